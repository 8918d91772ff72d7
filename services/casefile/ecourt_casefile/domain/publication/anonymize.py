"""Encoding personal data in a judgment's text before publication (mã hóa thông tin, Resolution 03/2017 art. 7).

The rule (art. 7 of the resolution as explained by Official Letter 144/TANDTC-PC of 2017 [verify]): a natural
person who took part in the proceedings keeps family and middle names and their given name becomes its first
letter ("Nguyễn Văn An" -> "Nguyễn Văn A"); two people who would end up the same get numbers ("Phan Hoài H1",
"Phan Hoài H2"). Addresses are reduced to the province (tỉnh / thành phố trực thuộc trung ương); identity card
numbers (CCCD 12 digits, CMND 9 digits) and phone numbers are removed.

Matching is case- and diacritic-insensitive ("NGUYỄN VĂN AN", "Nguyen Van An" are found too): the text is folded
one character to one character, so a match in the folded text is the same span in the original. What this
cannot find (a nickname, a misspelt name, a relative named only in passing) is the reason a person reviews the
encoded text before release.

This works on the document's text layer. A scanned PDF has none: it would need OCR, then this encoding, then a
newly rendered PDF (redacting pixels in the scan is not enough when the OCR layer is kept). OCR is out of scope;
the caller supplies the text of the judgment as the court produced it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import phonenumbers

REMOVED = "[đã xóa]"
ADDRESS_HIDDEN = "[địa chỉ đã được mã hóa]"

# Words that stand before a person's given name alone in Vietnamese court prose ("ông An", "bà Bình").
HONORIFICS = ("ông", "bà", "anh", "chị", "em", "cháu", "cô", "chú", "bác", "cụ")
# The first word of an address component below the province.
_LOCAL = r"(?:số nhà|số|thôn|ấp|xóm|bản|tổ dân phố|tổ|khu phố|khu|đường|phố|ngõ|hẻm|kiệt|xã|phường|thị trấn|" \
         r"huyện|quận|thị xã|thành phố thuộc tỉnh)"
_PROVINCE = r"(?:tỉnh|thành phố|tp\.?)\s+[^\W\d_][^,.;:\n()]*"
# A run of local components ending with a province: "số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh".
_ADDRESS = re.compile(rf"(?<!\w){_LOCAL}\s[^;:\n()]*?,\s*(?P<province>{_PROVINCE})", re.IGNORECASE)
# A 12-digit run is a CCCD / personal identification number wherever it stands; a 9-digit run (old CMND) only
# after the words that introduce one, since a bare 9-digit run may be an amount of money.
_ID_NUMBER = re.compile(r"(?<![\d.,/])(?:\d{12}|\d{9})(?![\d.,/]?\d)")
_ID_INTRO = re.compile(r"(?:cccd|cmnd|căn cước|chứng minh|định danh|hộ chiếu)[^\d\n]{0,40}$", re.IGNORECASE)


def _fold_char(ch: str) -> str:
    low = unicodedata.normalize("NFD", ch)[0].lower()[:1] or ch
    return "d" if low == "đ" else low


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one character (so spans carry over to ``text``)."""
    return "".join(_fold_char(ch) for ch in text)


@dataclass(frozen=True)
class Person:
    """A natural person named in the judgment, as the court wrote the name (and address, when given)."""

    name: str
    address: str | None = None


@dataclass(frozen=True)
class Encoded:
    text: str
    aliases: list[str]  # the encoded name of each person, in the order given (no original name kept)
    counts: dict[str, int] = field(default_factory=dict)  # replacements made, by kind
    leaks: list[int] = field(default_factory=list)  # indexes of persons whose name is still found (must be empty)


def _words(name: str) -> list[str]:
    return unicodedata.normalize("NFC", name).split()


def aliases_for(names: list[str]) -> list[str]:
    """The encoded name of each person: given name -> its first letter; numbers where two would be equal."""
    base = []
    for name in names:
        words = _words(name)
        base.append(" ".join([*words[:-1], words[-1][0].upper()]))
    clashes = Counter(fold(b) for b in base)
    seen: Counter[str] = Counter()
    result = []
    for b in base:
        key = fold(b)
        if clashes[key] > 1:
            seen[key] += 1
            result.append(f"{b}{seen[key]}")
        else:
            result.append(b)
    return result


def province_of(address: str) -> str:
    """The province part of an address ("…, tỉnh Bình Dương" -> "tỉnh Bình Dương"), else a neutral marker."""
    parts = [p.strip() for p in unicodedata.normalize("NFC", address).split(",") if p.strip()]
    for part in reversed(parts):
        if re.match(_PROVINCE, part, re.IGNORECASE):
            return part
    return ADDRESS_HIDDEN


def _replace_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, new in sorted(spans):
        if start < last:
            continue  # overlaps a longer replacement already made
        out.append(text[last:start])
        out.append(new)
        last = end
    out.append(text[last:])
    return "".join(out)


def lower(text: str) -> str:
    """Lower case, one character for one character (diacritics kept: "Ân" and "An" stay different)."""
    return "".join(ch.lower()[:1] or ch for ch in text)


def _find(folded: str, needle: str) -> list[tuple[int, int]]:
    pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(folded)]


def _substitute(text: str, targets: list[tuple[str, str]], folder: Callable[[str], str] = lower,
                keep_prefix: bool = False) -> tuple[str, int]:
    """Replace every whole-word occurrence of each target (compared through ``folder``), longest first.

    ``keep_prefix``: the first word of the match keeps the document's spelling ("Ông An" -> "Ông A").
    """
    folded = folder(text)
    spans: list[tuple[int, int, str]] = []
    for needle, new in sorted(targets, key=lambda t: -len(t[0])):
        key = " ".join(folder(needle).split())
        if not key:
            continue
        for start, end in _find(folded, key):
            if any(s < end and start < e for s, e, _ in spans):
                continue
            if keep_prefix:
                first = len(key.split()[0])
                new = text[start:start + first] + " " + new.split()[-1]
            spans.append((start, end, new))
    return _replace_spans(text, spans), len(spans)


def _given_name_targets(persons: list[Person], aliases: list[str]) -> list[tuple[str, str]]:
    """"ông An" -> "ông A1": a given name after an honorific, when exactly one person of the case has it."""
    by_given: dict[str, set[str]] = {}
    for person, alias in zip(persons, aliases, strict=True):
        by_given.setdefault(lower(_words(person.name)[-1]), set()).add(alias.split()[-1])
    targets: list[tuple[str, str]] = []
    for given_key, codes in by_given.items():
        code = next(iter(codes)) if len(codes) == 1 else given_key[0].upper()
        targets.extend((f"{h} {given_key}", f"{h} {code}") for h in HONORIFICS)
    return targets


def encode(text: str, persons: list[Person]) -> Encoded:
    """The text with every person's name and address encoded, identity and phone numbers removed."""
    text = unicodedata.normalize("NFC", text)
    persons = [p for p in persons if _words(p.name)]
    aliases = aliases_for([p.name for p in persons])
    counts: Counter[str] = Counter()

    addresses = [(p.address, province_of(p.address)) for p in persons if p.address and p.address.strip()]
    text, n = _substitute(text, addresses)
    counts["address"] += n
    named = list(zip(persons, aliases, strict=True))
    text, n = _substitute(text, [(p.name, a) for p, a in named])
    counts["name"] += n
    # Then the same names written without diacritics, for each name no other person's folds to.
    loose = Counter(" ".join(fold(p.name).split()) for p in persons)
    text, n = _substitute(text, [(p.name, a) for p, a in named if loose[" ".join(fold(p.name).split())] == 1],
                          fold)
    counts["name"] += n
    text, n = _substitute(text, _given_name_targets(persons, aliases), keep_prefix=True)
    counts["name"] += n

    text, n = _ADDRESS.subn(lambda m: m.group("province").strip(), text)
    counts["address"] += n
    text, n = _remove_id_numbers(text)
    counts["identity_number"] += n
    text, n = _remove_phones(text)
    counts["phone"] += n

    folded = fold(text)
    leaks = [i for i, p in enumerate(persons) if _find(folded, " ".join(fold(p.name).split()))]
    return Encoded(text=text, aliases=aliases, counts={k: v for k, v in counts.items() if v}, leaks=leaks)


def _remove_phones(text: str) -> tuple[str, int]:
    spans = [(m.start, m.end, REMOVED) for m in phonenumbers.PhoneNumberMatcher(text, "VN")]
    return _replace_spans(text, spans), len(spans)


def _remove_id_numbers(text: str) -> tuple[str, int]:
    spans = [(m.start(), m.end(), REMOVED) for m in _ID_NUMBER.finditer(text)
             if m.end() - m.start() == 12 or _ID_INTRO.search(text[max(0, m.start() - 60):m.start()])]
    return _replace_spans(text, spans), len(spans)
