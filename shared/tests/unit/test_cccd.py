from datetime import date

import pytest

from ecourt_shared.identifiers import CccdInfo, IdentifierError, is_valid_cccd, parse_cccd
from ecourt_shared.identifiers._data import load_table

pytestmark = pytest.mark.unit


def test_cccd_place_code_table_holds_the_63_pre_2025_provinces():
    codes = load_table("cccd_place_codes.yaml")["place_codes"]
    assert len(codes) == 63
    assert (codes["001"], codes["048"], codes["079"], codes["096"]) == ("Hà Nội", "Đà Nẵng", "Hồ Chí Minh", "Cà Mau")


def test_cccd_of_a_man_born_1998_registered_in_ha_noi():
    info = parse_cccd("001098012345")
    assert info == CccdInfo("001098012345", "001", "Hà Nội", "male", 1998)


def test_cccd_of_a_woman_born_2001_registered_in_ho_chi_minh_city_accepts_spaces():
    info = parse_cccd("079 301 012345", date_of_birth=date(2001, 4, 3), sex="female")
    assert (info.number, info.place_name, info.sex, info.birth_year) == ("079301012345", "Hồ Chí Minh", "female", 2001)


def test_cccd_keeps_the_birth_registration_province_even_after_the_2025_merger():
    # Bình Dương merged into Hồ Chí Minh City in 2025; the number still says Bình Dương.
    assert parse_cccd("074201000001").place_name == "Bình Dương"


@pytest.mark.parametrize("raw", ["00109801234", "0010980123456", "00109801234A", ""])
def test_cccd_rejects_anything_but_twelve_digits(raw):
    with pytest.raises(IdentifierError) as err:
        parse_cccd(raw)
    assert (err.value.field, err.value.code) == ("cccd", "cccd.format")


@pytest.mark.parametrize("prefix", ["000", "003", "097", "100"])
def test_cccd_rejects_an_unknown_place_code(prefix):
    with pytest.raises(IdentifierError) as err:
        parse_cccd(prefix + "098012345")
    assert err.value.code == "cccd.unknown_place_code"
    assert prefix in err.value.message_vi and prefix in err.value.message_en


def test_cccd_rejects_birth_year_that_disagrees_with_date_of_birth():
    with pytest.raises(IdentifierError) as err:
        parse_cccd("079298012345", date_of_birth=date(2001, 4, 3))
    assert err.value.code == "cccd.birth_year_mismatch"
    assert err.value.message_en == "birth-year digits 98 do not match date of birth 2001-04-03"
    assert str(err.value) == "cccd: birth-year digits 98 do not match date of birth 2001-04-03"
    assert "98" in err.value.message_vi


def test_cccd_rejects_century_digit_that_disagrees_with_date_of_birth():
    with pytest.raises(IdentifierError) as err:
        parse_cccd("079001012345", date_of_birth=date(2001, 4, 3))  # digit 0 means born in the 1900s
    assert err.value.code == "cccd.century_mismatch"


def test_cccd_rejects_sex_digit_that_disagrees_with_declared_sex():
    with pytest.raises(IdentifierError) as err:
        parse_cccd("001098012345", sex="female")
    assert err.value.code == "cccd.sex_mismatch"
    assert "nữ" in err.value.message_vi


def test_cccd_never_raises_for_validity_check():
    assert is_valid_cccd("001098012345") and not is_valid_cccd("999098012345")


@pytest.mark.parametrize(
    ("number", "dob", "on", "minor"),
    [
        ("001208000001", None, date(2025, 6, 1), True),  # born 2008, 17 at most in 2025
        ("001208000001", None, date(2026, 6, 1), True),  # may still be 17 during 2026: treated as minor
        ("001208000001", None, date(2027, 1, 1), False),
        ("001208000001", date(2008, 3, 1), date(2026, 3, 1), False),  # 18th birthday
        ("001208000001", date(2008, 3, 2), date(2026, 3, 1), True),  # the day before
        ("001098012345", None, date(2026, 6, 1), False),
    ],
)
def test_cccd_tells_whether_the_holder_is_a_minor(number, dob, on, minor):
    assert parse_cccd(number, date_of_birth=dob).is_minor(on) is minor
