"""The visible signature stamp: who signed, in what capacity, for which court, when — in Vietnamese first.

Each signer gets their own signature field (``SignatureN``) with its own box at the foot of the last page,
placed by N in a grid, so the judge's, the president's and the clerk's stamps never overlap.

The text is set in Source Serif Pro, the font the templates embed, as a Type 0 (CID) font with a
ToUnicode map: diacritics are drawn by the font's own precomposed glyphs (input is NFC) and survive text
extraction. pyHanko's own OpenType support needs HarfBuzz (a new native dependency) and subsets the font for
every stamp; here the subset is made once per *character set* and reused: in a batch the signer, role and
court are the same for every stamp and the time only uses digits that are always in the set, so a batch of
200 signatures subsets the font once.
"""

from __future__ import annotations

import functools
import io
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content import PdfContent, ResourceType
from pyhanko.pdf_utils.layout import BoxConstraints

WIDTH, HEIGHT, GAP, BOTTOM = 172.0, 76.0, 8.0, 24.0
ICT = timezone(timedelta(hours=7), "ICT")  # Vietnam's time, shown on the stamp
ROLE_LABELS = {"judge": "Thẩm phán / Judge", "president": "Chánh án / President of the court",
               "clerk": "Thư ký Tòa án / Court clerk"}
# Always in the subset, so stamps that differ only in their time share one font subset.
_BASE_CHARS = frozenset("0123456789:/()+-.,| …")


@dataclass(frozen=True)
class StampText:
    signer_name: str
    role: str  # judge | president | clerk, or a free label
    court: str  # the court's name (or id when the name is not known)
    signed_at: datetime

    def lines(self) -> list[tuple[str, float, bool]]:
        """(text, size, bold) per line, top to bottom."""
        when = self.signed_at.astimezone(ICT)
        role = ROLE_LABELS.get(self.role, self.role)
        return [("Đã ký số bởi / Digitally signed by", 6.5, False),
                (self.signer_name.upper(), 9.0, True),
                (role, 7.0, False),
                (self.court, 7.0, False),
                (f"Thời gian ký / Signed: {when:%d/%m/%Y %H:%M:%S} (UTC+7)", 6.5, False)]


def stamp_box(index: int, page_width: float) -> tuple[float, float, float, float]:
    """The box of the ``index``-th signature (1-based) on a page ``page_width`` wide: left to right, then up."""
    columns = max(1, int((page_width - 2 * GAP + GAP) // (WIDTH + GAP)))
    left = (page_width - columns * WIDTH - (columns - 1) * GAP) / 2
    row, column = divmod(index - 1, columns)
    x = left + column * (WIDTH + GAP)
    y = BOTTOM + row * (HEIGHT + GAP)
    return (round(x, 2), round(y, 2), round(x + WIDTH, 2), round(y + HEIGHT, 2))


# -- the font ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Subset:
    name: str  # /BaseFont, with the subset tag
    program: bytes  # the TrueType subset, Flate-compressed
    program_length: int
    gid_of: dict[str, int]
    widths: dict[int, int]  # glyph id -> advance in 1/1000 em
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int

    def encode(self, text: str) -> bytes:
        return b"<" + "".join(f"{self.gid_of.get(c, 0):04X}" for c in text).encode("ascii") + b">"

    def width(self, text: str, size: float) -> float:
        return sum(self.widths.get(self.gid_of.get(c, 0), 500) for c in text) * size / 1000


_subsets: OrderedDict[tuple[bool, frozenset[str]], _Subset] = OrderedDict()
_subsets_lock = threading.Lock()


def _font_file(bold: bool) -> Path:
    from ecourt_signing.domain.templates import font_dir

    return font_dir() / ("SourceSerifPro-Bold.ttf" if bold else "SourceSerifPro-Regular.ttf")


def _subset(chars: frozenset[str], bold: bool) -> _Subset:
    key = (bold, chars | _BASE_CHARS)
    with _subsets_lock:
        if key in _subsets:
            _subsets.move_to_end(key)
            return _subsets[key]
    made = _make_subset(key[1], bold)
    with _subsets_lock:
        _subsets[key] = made
        while len(_subsets) > 64:
            _subsets.popitem(last=False)
    return made


_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "kern", "DSIG", "STAT")


@functools.cache
def _plain_font(bold: bool) -> bytes:
    """The font without its layout tables, once per process: the subsetter would decompile them (~1 s) even
    when told to drop them, and stamps need no shaping (precomposed glyphs only)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(_font_file(bold)))
    for tag in _LAYOUT_TABLES:
        if tag in font:
            del font[tag]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def warm_up() -> None:
    """Prepare both stamp fonts once (about a second), at worker start rather than inside the first signature."""
    for bold in (False, True):
        _subset(frozenset(), bold)


def _make_subset(chars: frozenset[str], bold: bool) -> _Subset:
    import hashlib
    import zlib

    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(_plain_font(bold)))
    options = ft_subset.Options()
    options.layout_features = []  # no shaping: precomposed glyphs only, so the layout tables can go
    options.hinting = False  # a stamp is small print on screen and paper; hinting programs are most of the bytes
    options.name_IDs = [1, 2]
    options.notdef_outline = True
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    program = out.getvalue()
    cmap = font.getBestCmap()
    scale = 1000 / font["head"].unitsPerEm
    gid_of = {chr(cp): font.getGlyphID(name) for cp, name in cmap.items() if chr(cp) in chars}
    widths = {font.getGlyphID(name): round(font["hmtx"][name][0] * scale) for name in font.getGlyphOrder()}
    head, os2 = font["head"], font["OS/2"]
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(program).digest()[:6])
    family = "SourceSerifPro-Bold" if bold else "SourceSerifPro-Regular"
    return _Subset(name=f"{tag}+{family}", program=zlib.compress(program), program_length=len(program),
                   gid_of=gid_of, widths=widths,
                   bbox=(round(head.xMin * scale), round(head.yMin * scale), round(head.xMax * scale),
                         round(head.yMax * scale)),
                   ascent=round(os2.sTypoAscender * scale), descent=round(os2.sTypoDescender * scale),
                   cap_height=round(getattr(os2, "sCapHeight", 650) * scale))


def _embed(writer: object, sub: _Subset) -> generic.IndirectObject:
    """Add the subset to ``writer`` as a Type 0 font (Identity-H, CID = glyph id) with a ToUnicode map."""
    add = writer.add_object  # type: ignore[attr-defined]
    n = generic.NameObject
    program = generic.StreamObject({n("/Length1"): generic.NumberObject(sub.program_length),
                                    n("/Filter"): n("/FlateDecode")}, encoded_data=sub.program)
    descriptor = add(generic.DictionaryObject({
        n("/Type"): n("/FontDescriptor"), n("/FontName"): n(f"/{sub.name}"), n("/Flags"): generic.NumberObject(6),
        n("/FontBBox"): generic.ArrayObject([generic.NumberObject(v) for v in sub.bbox]),
        n("/ItalicAngle"): generic.NumberObject(0), n("/Ascent"): generic.NumberObject(sub.ascent),
        n("/Descent"): generic.NumberObject(sub.descent), n("/CapHeight"): generic.NumberObject(sub.cap_height),
        n("/StemV"): generic.NumberObject(80), n("/FontFile2"): add(program)}))
    gids = sorted(sub.widths)
    cid_font = add(generic.DictionaryObject({
        n("/Type"): n("/Font"), n("/Subtype"): n("/CIDFontType2"), n("/BaseFont"): n(f"/{sub.name}"),
        n("/CIDSystemInfo"): generic.DictionaryObject({
            n("/Registry"): generic.TextStringObject("Adobe"), n("/Ordering"): generic.TextStringObject("Identity"),
            n("/Supplement"): generic.NumberObject(0)}),
        n("/FontDescriptor"): descriptor, n("/CIDToGIDMap"): n("/Identity"),
        n("/W"): generic.ArrayObject([generic.NumberObject(gids[0]) if gids else generic.NumberObject(0),
                                      generic.ArrayObject([generic.NumberObject(sub.widths[g]) for g in gids])])}))
    to_unicode = add(generic.StreamObject(stream_data=_to_unicode_cmap(sub)))
    return add(generic.DictionaryObject({
        n("/Type"): n("/Font"), n("/Subtype"): n("/Type0"), n("/BaseFont"): n(f"/{sub.name}"),
        n("/Encoding"): n("/Identity-H"), n("/DescendantFonts"): generic.ArrayObject([cid_font]),
        n("/ToUnicode"): to_unicode}))


def _to_unicode_cmap(sub: _Subset) -> bytes:
    pairs = sorted((gid, ch) for ch, gid in sub.gid_of.items())
    body = [f"<{gid:04X}> <{''.join(f'{u:04X}' for u in _utf16(ch))}>" for gid, ch in pairs]
    chunks = [body[i:i + 100] for i in range(0, len(body), 100)]
    ranges = "".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar\n" for c in chunks)
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + ranges +
            "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode("ascii")


def _utf16(ch: str) -> list[int]:
    data = ch.encode("utf-16-be")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


# -- the appearance ------------------------------------------------------------------------------------------


class StampAppearance(PdfContent):
    """The stamp's appearance, for pyHanko's ``StaticStampStyle(background=...)``: a frame and five lines."""

    def __init__(self, text: StampText) -> None:
        super().__init__(box=BoxConstraints(width=WIDTH, height=HEIGHT))
        self.text = text

    def render(self) -> bytes:
        lines = [(unicodedata.normalize("NFC", t), size, bold) for t, size, bold in self.text.lines()]
        regular_chars = frozenset("".join(t for t, _s, bold in lines if not bold))
        bold_chars = frozenset("".join(t for t, _s, bold in lines if bold))
        regular, bold_font = _subset(regular_chars, False), _subset(bold_chars, True)
        writer = self._ensure_writer
        self.set_resource(ResourceType.FONT, generic.NameObject("/StR"), _embed(writer, regular))
        self.set_resource(ResourceType.FONT, generic.NameObject("/StB"), _embed(writer, bold_font))
        ops = [b"q 0.65 0.05 0.05 RG 0.8 w 1.5 1.5 %.2f %.2f re S Q" % (WIDTH - 3, HEIGHT - 3), b"0.55 0 0 rg"]
        y = HEIGHT - 12.0
        placed = [(part, size, is_bold) for text, size, is_bold in lines
                  for part in _wrap(text, size, bold_font if is_bold else regular)]
        for text, size, is_bold in placed:
            font = bold_font if is_bold else regular
            x = (WIDTH - font.width(text, size)) / 2
            ops.append(b"BT /%s %.1f Tf %.2f %.2f Td %s Tj ET" % (b"StB" if is_bold else b"StR", size, x, y,
                                                                  font.encode(text)))
            y -= size + 3.2
        return b"\n".join(ops)


# -- reading a stamp back ------------------------------------------------------------------------------------

_TF = re.compile(rb"/([A-Za-z0-9]+)\s+[\d.]+\s+Tf")
_TJ = re.compile(rb"<([0-9A-Fa-f]+)>\s*Tj")
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def stamp_texts(pdf: bytes) -> dict[str, list[str]]:
    """The lines each signature field's stamp shows, decoded through its fonts' ToUnicode maps (what a reader
    copies out of it), by field name; a field without a stamp of ours maps to []."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    found: dict[str, list[str]] = {}
    for name, _value, field_ref in enumerate_sig_fields(reader):
        widget = field_ref.get_object()
        appearance = widget["/AP"]["/N"] if "/AP" in widget and "/N" in widget["/AP"] else None
        found[str(name)] = _lines_in(appearance, depth=0) if isinstance(appearance, generic.StreamObject) else []
    return found


def _get(container: generic.PdfObject, key: str) -> generic.PdfObject | None:
    """``container[key]`` dereferenced (pyHanko's ``get`` returns references as they are), or None."""
    container = container.get_object()
    return container[key] if isinstance(container, generic.DictionaryObject) and key in container else None


def _lines_in(stream: generic.StreamObject, depth: int) -> list[str]:
    resources = _get(stream, "/Resources")
    xobjects = _get(resources, "/XObject") if resources is not None else None
    font_dict = _get(resources, "/Font") if resources is not None else None
    lines: list[str] = []
    if isinstance(xobjects, generic.DictionaryObject) and depth < 4:
        for name in list(xobjects):
            if isinstance(xobj := xobjects[name], generic.StreamObject):
                lines += _lines_in(xobj, depth + 1)
    fonts = ({str(k)[1:]: _unicode_map(font_dict[k]) for k in list(font_dict)}
             if isinstance(font_dict, generic.DictionaryObject) else {})
    font: dict[int, str] = {}
    for match in re.finditer(rb"%s|%s" % (_TF.pattern, _TJ.pattern), stream.data):
        if match.group(1) is not None:
            font = fonts.get(match.group(1).decode(), {})
        else:
            hexdigits = match.group(2).decode()
            codes = [int(hexdigits[i:i + 4], 16) for i in range(0, len(hexdigits), 4)]
            lines.append("".join(font.get(c, "\ufffd") for c in codes))
    return lines


def _unicode_map(font: generic.PdfObject) -> dict[int, str]:
    cmap = _get(font, "/ToUnicode")
    if not isinstance(cmap, generic.StreamObject):
        return {}
    return {int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
            for code, text in _BFCHAR.findall(cmap.data)}


def _wrap(text: str, size: float, font: _Subset, max_lines: int = 2) -> list[str]:
    """``text`` in at most ``max_lines`` lines that fit the stamp (a long court name), the last one shortened."""
    room = WIDTH - 10
    lines: list[str] = []
    words = text.split(" ")
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and font.width(f"{line} {words[0]}", size) <= room:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words:
        lines[-1] = f"{lines[-1]} {' '.join(words)}"
    while len(lines[-1]) > 4 and font.width(lines[-1], size) > room:  # never spill out of the frame
        lines[-1] = lines[-1].rstrip("…")[:-1].rstrip() + "…"
    return lines
