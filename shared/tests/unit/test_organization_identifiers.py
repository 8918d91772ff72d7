import pytest

from ecourt_shared.identifiers import (
    IdentifierError,
    parse_bar_number,
    parse_procuracy_code,
    parse_tax_code,
    tax_check_digit,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("raw", "compact"), [
    ("0100233488", "0100233488"),  # a real enterprise's code
    ("0314409058-002", "0314409058002"),  # a branch: parent code + unit number
    ("01.00.112.437", "0100112437"),
    ("0312 68 78 78 - 001", "0312687878001"),
])
def test_tax_codes_in_real_spellings_are_accepted_and_compacted(raw, compact):
    assert parse_tax_code(raw).number == compact


def test_branch_tax_code_names_its_parent_and_displays_with_a_hyphen():
    code = parse_tax_code("0314409058002")
    assert (code.parent, code.display) == ("0314409058", "0314409058-002")


def test_tax_check_digit_uses_weights_31_to_3_modulo_11():
    assert tax_check_digit("010023348") == "8"


@pytest.mark.parametrize(("raw", "rule"), [
    ("0100233480", "tax_code.check_digit"),
    ("12345", "tax_code.format"),
    ("01002334881", "tax_code.format"),
    ("0100000000", "tax_code.serial"),
    ("0314409058-000", "tax_code.unit"),
    ("01002334AB", "tax_code.format"),
])
def test_tax_code_rules_refuse_with_the_rule_named(raw, rule):
    with pytest.raises(IdentifierError) as err:
        parse_tax_code(raw)
    assert (err.value.field, err.value.code) == ("tax_code", rule)
    assert err.value.message_vi and raw in err.value.message_en


@pytest.mark.parametrize(("raw", "canonical"), [("12345/TP/LS-CCHN", "12345/TP/LS-CCHN"),
                                                (" 12345 / tp / ls-cchn", "12345/TP/LS-CCHN"),
                                                ("10234/LS", "10234/LS")])
def test_bar_numbers_are_normalized(raw, canonical):
    assert parse_bar_number(raw) == canonical


@pytest.mark.parametrize("raw", ["LS-12345", "0/LS", "1234567/TP/LS-CCHN", ""])
def test_malformed_bar_numbers_are_refused(raw):
    with pytest.raises(IdentifierError) as err:
        parse_bar_number(raw)
    assert err.value.code == "bar_number.format"


@pytest.mark.parametrize(("raw", "canonical"), [("vks79kv01", "VKS79KV01"), ("VKS-79KV01", "VKS79KV01"),
                                                ("VKSTC", "VKSTC")])
def test_procuracy_codes_pair_with_a_court_code(raw, canonical):
    assert parse_procuracy_code(raw) == canonical


@pytest.mark.parametrize("raw", ["VKS79KV0", "79KV01", "VKSND"])
def test_procuracy_codes_without_a_court_code_are_refused(raw):
    with pytest.raises(IdentifierError) as err:
        parse_procuracy_code(raw)
    assert err.value.code == "procuracy_code.format"
