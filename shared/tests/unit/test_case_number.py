import pytest

from ecourt_shared.identifiers import (
    IdentifierError,
    OfficialNumber,
    case_type_names,
    format_acceptance_number,
    parse_official_number,
    stage_names,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("stage", "case_type", "expected"),
    [("ST", "DS", "01/2026/TLST-DS"), ("PT", "HNGD", "01/2026/TLPT-HNGĐ"), ("st", "LĐ", "01/2026/TLST-LĐ")],
)
def test_acceptance_number_pads_sequence_and_names_stage_and_type(stage, case_type, expected):
    assert format_acceptance_number(1, 2026, stage, case_type) == expected


def test_acceptance_number_keeps_sequences_above_99():
    assert format_acceptance_number(1234, 2026, "ST", "KDTM") == "1234/2026/TLST-KDTM"


@pytest.mark.parametrize(("stage", "case_type"), [("GĐT", "DS"), ("XX", "DS"), ("ST", "XY")])
def test_acceptance_number_refuses_unknown_or_unacceptable_codes(stage, case_type):
    with pytest.raises(IdentifierError):
        format_acceptance_number(1, 2026, stage, case_type)


@pytest.mark.parametrize(
    ("text", "expected", "canonical"),
    [
        ("01/2022/LĐ-ST", OfficialNumber(1, 2022, "ST", "LĐ"), "01/2022/LĐ-ST"),
        ("58/2023/HNGĐ-ST", OfficialNumber(58, 2023, "ST", "HNGĐ"), "58/2023/HNGĐ-ST"),
        ("157/2024/DS-GĐT", OfficialNumber(157, 2024, "GĐT", "DS"), "157/2024/DS-GĐT"),
        ("03/2021/TLST-LĐ", OfficialNumber(3, 2021, "TLST", "LĐ"), "03/2021/TLST-LĐ"),
        ("37/2023/QĐST-HNGĐ", OfficialNumber(37, 2023, "QĐST", "HNGĐ"), "37/2023/QĐST-HNGĐ"),
        ("01/2022/LD-ST", OfficialNumber(1, 2022, "ST", "LĐ"), "01/2022/LĐ-ST"),
        ("58 / 2023 / HNGD - ST", OfficialNumber(58, 2023, "ST", "HNGĐ"), "58/2023/HNGĐ-ST"),
        ("157/2024/ds-gdt", OfficialNumber(157, 2024, "GĐT", "DS"), "157/2024/DS-GĐT"),
        ("3/2021/tlst-lđ", OfficialNumber(3, 2021, "TLST", "LĐ"), "03/2021/TLST-LĐ"),
        ("12/2025/HS-PT", OfficialNumber(12, 2025, "PT", "HS"), "12/2025/HS-PT"),
        ("05/2026/TLPT-KDTM", OfficialNumber(5, 2026, "TLPT", "KDTM"), "05/2026/TLPT-KDTM"),
    ],
)
def test_official_numbers_parse_real_world_spellings(text, expected, canonical):
    parsed = parse_official_number(text)
    assert parsed == expected
    assert str(parsed) == canonical


def test_official_number_knows_its_stage_and_whether_it_is_an_acceptance():
    acceptance = parse_official_number("03/2021/TLST-LĐ")
    assert (acceptance.stage, acceptance.is_acceptance) == ("ST", True)
    judgment = parse_official_number("157/2024/DS-GĐT")
    assert (judgment.stage, judgment.is_acceptance) == ("GĐT", False)


@pytest.mark.parametrize("text", ["01-2022-LĐ-ST", "01/22/LĐ-ST", "01/2022/LĐST", "01/2022/XX-ST",
                                  "01/2022/ST-LĐ", "00/2022/DS-ST", ""])
def test_official_number_refuses_malformed_text(text):
    with pytest.raises(IdentifierError) as err:
        parse_official_number(text)
    assert err.value.field == "official_number"


def test_case_type_and_stage_codes_carry_vietnamese_and_english_names():
    assert case_type_names("HNGD") == ("Hôn nhân và gia đình", "Marriage and family")
    assert stage_names("GDT") == ("Giám đốc thẩm", "Cassation")


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("03/2021/TLST - LĐ", "03/2021/TLST-LĐ"),  # spaces around the hyphen, as typed on forms
        ("3 /2021/ tlst-ld", "03/2021/TLST-LĐ"),  # lowercase, D for Đ, stray spaces
        ("37/2023/QDST-HNGD", "37/2023/QĐST-HNGĐ"),  # no Đ anywhere on the keyboard
        ("1/2024/TLPT-HC", "01/2024/TLPT-HC"),
        ("0157/2024/DS-GDT", "157/2024/DS-GĐT"),
        ("12/2025/hs-tt", "12/2025/HS-TT"),
    ],
)
def test_official_numbers_forgive_how_people_type_them(text, canonical):
    assert str(parse_official_number(text)) == canonical


@pytest.mark.parametrize("text", ["01-2026-TLST-DS", "01/26/TLST-DS", "0/2026/TLST-DS", "01/2026/TLST-XX",
                                  "01/2026/ST-ST"])
def test_malformed_official_numbers_are_refused(text):
    with pytest.raises(IdentifierError):
        parse_official_number(text)
