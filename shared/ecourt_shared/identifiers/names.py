"""Vietnamese personal names: one stored spelling (NFC) and one search key without diacritics."""

from __future__ import annotations

import unicodedata

# "đ" is a letter of its own, not "d" plus a combining mark, so decomposition alone keeps it.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "D"})


def normalize_name(s: str) -> str:
    """NFC with single spaces: the same name typed on two keyboards compares equal."""
    return " ".join(unicodedata.normalize("NFC", s).split())


def search_key(s: str) -> str:
    """Lowercase, diacritic-insensitive key: ``"Nguyễn Văn Đức"`` -> ``"nguyen van duc"``."""
    decomposed = unicodedata.normalize("NFD", normalize_name(s).translate(_LETTERS_WITHOUT_DECOMPOSITION))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare).casefold()
