import unicodedata

import pytest

from ecourt_shared.identifiers import normalize_name, search_key

pytestmark = pytest.mark.unit


def test_name_typed_in_decomposed_unicode_is_stored_composed():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert decomposed != "Nguyễn Thị Ánh"
    assert normalize_name(decomposed) == "Nguyễn Thị Ánh"


def test_name_whitespace_collapses_to_single_spaces():
    assert normalize_name("  Trần \t Văn\u00a0 Bình ") == "Trần Văn Bình"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("ĐẶNG THỊ HỒNG", "dang thi hong"),
        ("Lê  Quý   Đôn", "le quy don"),
        (unicodedata.normalize("NFD", "Phạm Ngọc Thạch"), "pham ngoc thach"),
    ],
)
def test_search_key_ignores_diacritics_case_and_d_stroke(name, key):
    assert search_key(name) == key


def test_search_finds_a_name_typed_without_diacritics():
    assert search_key("Đỗ Mười") == search_key("do muoi") == search_key("ĐỖ MƯỜI")
