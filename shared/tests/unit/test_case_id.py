import pytest

from ecourt_shared.identifiers import CaseId, IdentifierError, format_case_id, make_case_id, parse_case_id

pytestmark = pytest.mark.unit


def test_case_id_has_18_characters_ending_in_mod_97_check_digits():
    canonical = make_case_id("79KV01", 2026, 123)
    assert canonical == "79KV01202600012365"
    # ISO 7064 MOD 97-10 with letters A=10..Z=35: the whole number leaves remainder 1.
    assert int("".join(str(int(c, 36)) for c in canonical)) % 97 == 1


def test_case_id_display_form_has_hyphens():
    assert format_case_id("79KV01202600012365") == "79KV01-2026-000123-65"


@pytest.mark.parametrize("text", ["79KV01202600012365", "79KV01-2026-000123-65", " 79kv01-2026-000123-65 ",
                                  "79KV01 2026 000123 65"])
def test_case_id_parses_either_form_case_insensitively(text):
    assert parse_case_id(text) == CaseId("79KV01", 2026, 123, "65")


def test_case_id_round_trips_through_parse():
    for court, year, serial in [("01TC00", 2025, 1), ("79KV01", 2026, 999_999), ("ABCDEF", 2031, 42)]:
        parsed = parse_case_id(format_case_id(make_case_id(court, year, serial)))
        assert (parsed.court_code, parsed.year, parsed.serial) == (court, year, serial)


@pytest.mark.parametrize(
    "typo",
    [
        "79KV01202600012366",  # last check digit mistyped
        "79KV01202600013365",  # serial digit mistyped
        "79KV01202600021365",  # adjacent digits swapped
        "97KV01202600012365",  # court code digits swapped
        "79KW01202600012365",  # court code letter mistyped
    ],
)
def test_case_id_check_digits_catch_typos_and_swaps(typo):
    with pytest.raises(IdentifierError) as err:
        parse_case_id(typo)
    assert (err.value.field, err.value.code) == ("case_id", "case_id.check_digits")


@pytest.mark.parametrize("text", ["79KV0120260001236", "79KV01-2026-00123-65", "79KV0!202600012365", ""])
def test_case_id_refuses_wrong_length_or_characters(text):
    with pytest.raises(IdentifierError) as err:
        parse_case_id(text)
    assert err.value.code == "case_id.format"


@pytest.mark.parametrize(("court", "year", "serial"), [("79KV1", 2026, 1), ("79KV01", 26, 1), ("79KV01", 2026, 0),
                                                       ("79KV01", 2026, 1_000_000)])
def test_case_id_is_not_issued_from_bad_parts(court, year, serial):
    with pytest.raises(IdentifierError):
        make_case_id(court, year, serial)
