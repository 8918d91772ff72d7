"""Shadow attacks: what the incremental updates after a signature did to the objects that signature covers.

A shadow attack (Mainka, Mladenov, Rohlmann, Schwenk: "Attacks bypassing the signature validation in PDF",
NDSS 2021) prepares content *inside* the signed revision and activates it afterwards with a small
incremental update that viewers let through:

- **hide**: content already in the signed revision is uncovered or covered: an overlay stream dropped from a
  page's content, an annotation hidden, an optional-content (layer) state switched, the crop box changed;
- **replace**: an object of the signed revision is redefined in place: a page content stream, a font (or its
  font program), an image or form XObject, a form field's appearance stream;
- **hide-and-replace**: the catalog or the page tree is pointed at other pages (typically ones already shipped,
  unreferenced, inside the signed revision): the whole document the reader sees is swapped.

pyHanko's difference analysis (``pyhanko.sign.diff_analysis``) judges whether the *kind* of change is permitted
(signatures, form filling, annotations); it does not name these patterns, and it lets through changes that are
legitimate in kind but redefine signed objects. This module names them from the object graph: it maps every
object the signed revision's pages reach to its role, then looks at which of them later revisions overwrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

# Annotation flags (ISO 32000-1 § 12.5.3, Table 165): Hidden (bit 2), NoView (bit 6).
_INVISIBLE_FLAGS = 2 | 32
_MAX_OBJECTS = 200_000  # a document with more reachable objects than this is not walked (and not vouched for)


class ShadowAttack(StrEnum):
    HIDE = "hide"
    REPLACE = "replace"
    HIDE_AND_REPLACE = "hide_and_replace"


# The worst finding wins: swapping the whole document subsumes replacing an object, which subsumes hiding.
_SEVERITY = {ShadowAttack.HIDE: 1, ShadowAttack.REPLACE: 2, ShadowAttack.HIDE_AND_REPLACE: 3}


@dataclass
class ShadowFindings:
    """What later revisions did to the signed objects; ``attack`` is the most severe pattern seen."""

    attack: ShadowAttack | None = None
    details: list[str] = field(default_factory=list)  # short, technical, English: "obj 12 0 (page 1 content)"

    def add(self, attack: ShadowAttack, detail: str) -> None:
        if self.attack is None or _SEVERITY[attack] > _SEVERITY[self.attack]:
            self.attack = attack
        if len(self.details) < 8:
            self.details.append(detail)


Key = tuple[int, int]


def _key(ref: Any) -> Key:
    return (int(ref.idnum), int(ref.generation))


def _raw(container: Any, name: str) -> Any:
    try:
        return container.raw_get(name)
    except (KeyError, AttributeError):
        return None


def _deref(res: Any, value: Any) -> Any:
    """The object ``value`` refers to *as of the revision* ``res`` reads (an IndirectObject's own
    ``get_object`` would read the latest revision)."""
    return res.get_object(value.reference) if isinstance(value, generic.IndirectObject) else value


def _refs_in(res: Any, value: Any) -> list[Key]:
    """The indirect references directly in ``value`` (a reference, or an array of them)."""
    if isinstance(value, generic.IndirectObject):
        inner = _deref(res, value)
        if isinstance(inner, generic.ArrayObject):  # /Contents or /Kids held in an indirect array
            return [_key(value), *_refs_in(res, inner)]
        return [_key(value)]
    if isinstance(value, generic.ArrayObject):
        return [_key(v) for v in value if isinstance(v, generic.IndirectObject)]
    return []


@dataclass
class _SignedGraph:
    """The roles of the objects the signed revision's catalog reaches (page tree, pages, their resources)."""

    roles: dict[Key, str] = field(default_factory=dict)
    pages: list[Key] = field(default_factory=list)
    catalog: Key | None = None

    def note(self, ref: Any, role: str) -> bool:
        """Record ``ref`` as ``role``; False if already seen (the graph has cycles and shared resources)."""
        if not isinstance(ref, generic.IndirectObject) or len(self.roles) >= _MAX_OBJECTS:
            return False
        key = _key(ref)
        if key in self.roles:
            return False
        self.roles[key] = role
        return True


def _walk_signed(res: Any) -> _SignedGraph:
    graph = _SignedGraph()
    root_ref = _raw(res.trailer_view, "/Root")
    if isinstance(root_ref, generic.IndirectObject):
        graph.catalog = _key(root_ref)
        graph.note(root_ref, "the document catalog")
    root = _deref(res, root_ref)
    for name in ("/OCProperties", "/AcroForm"):
        value = _raw(root, name)
        graph.note(value, "the optional content properties" if name == "/OCProperties" else "the form dictionary")
    ocprops = _deref(res, _raw(root, "/OCProperties"))
    if isinstance(ocprops, generic.DictionaryObject):
        for ocg in _deref(res, _raw(ocprops, "/OCGs")) or ():
            graph.note(ocg, "an optional content group (layer)")
        graph.note(_raw(ocprops, "/D"), "the layer visibility configuration")
    _walk_pages(res, _raw(root, "/Pages"), graph, depth=0)
    return graph


def _walk_pages(res: Any, node_ref: Any, graph: _SignedGraph, depth: int) -> None:
    node = _deref(res, node_ref)
    if not isinstance(node, generic.DictionaryObject) or depth > 64:
        return
    if node.get("/Type") == "/Pages" or "/Kids" in node:
        graph.note(node_ref, "the page tree")
        for kid in _deref(res, _raw(node, "/Kids")) or ():
            _walk_pages(res, kid, graph, depth + 1)
        return
    number = len(graph.pages) + 1
    if isinstance(node_ref, generic.IndirectObject):
        graph.pages.append(_key(node_ref))
    graph.note(node_ref, f"page {number}")
    contents = _raw(node, "/Contents")
    graph.note(contents, f"the content of page {number}")
    for item in _deref(res, contents) if isinstance(_deref(res, contents), generic.ArrayObject) else ():
        graph.note(item, f"the content of page {number}")
    _walk_resources(res, _raw(node, "/Resources"), graph, f"page {number}", depth)
    for annot in _deref(res, _raw(node, "/Annots")) or ():
        if graph.note(annot, f"an annotation on page {number}"):
            _walk_appearance(res, _deref(res, annot), graph, f"an annotation on page {number}", depth)


def _walk_resources(res: Any, res_ref: Any, graph: _SignedGraph, where: str, depth: int) -> None:
    graph.note(res_ref, f"the resources of {where}")
    resources = _deref(res, res_ref)
    if not isinstance(resources, generic.DictionaryObject) or depth > 64:
        return
    fonts = _deref(res, _raw(resources, "/Font"))
    if isinstance(fonts, generic.DictionaryObject):
        for name in list(fonts):
            font_ref = fonts.raw_get(name)
            if graph.note(font_ref, f"a font of {where}"):
                _walk_font(res, _deref(res, font_ref), graph, where)
    xobjects = _deref(res, _raw(resources, "/XObject"))
    if isinstance(xobjects, generic.DictionaryObject):
        for name in list(xobjects):
            xobj_ref = xobjects.raw_get(name)
            if graph.note(xobj_ref, f"an image or form drawn on {where}"):
                xobj = _deref(res, xobj_ref)
                if isinstance(xobj, generic.StreamObject):  # a form XObject has resources of its own
                    _walk_resources(res, _raw(xobj, "/Resources"), graph, where, depth + 1)
    for name in ("/Properties", "/ExtGState"):
        graph.note(_raw(resources, name), f"the resources of {where}")


def _walk_font(res: Any, font: Any, graph: _SignedGraph, where: str) -> None:
    if not isinstance(font, generic.DictionaryObject):
        return
    for name in ("/FontDescriptor", "/ToUnicode", "/Encoding", "/Widths", "/CIDToGIDMap"):
        graph.note(_raw(font, name), f"a font of {where}")
    for descendant in _deref(res, _raw(font, "/DescendantFonts")) or ():
        if graph.note(descendant, f"a font of {where}"):
            _walk_font(res, _deref(res, descendant), graph, where)
    descriptor = _deref(res, _raw(font, "/FontDescriptor"))
    if isinstance(descriptor, generic.DictionaryObject):
        for name in ("/FontFile", "/FontFile2", "/FontFile3"):
            graph.note(_raw(descriptor, name), f"a font program of {where}")


def _walk_appearance(res: Any, annot: Any, graph: _SignedGraph, where: str, depth: int) -> None:
    ap = _deref(res, _raw(annot, "/AP")) if isinstance(annot, generic.DictionaryObject) else None
    if not isinstance(ap, generic.DictionaryObject):
        return
    for mode in ("/N", "/R", "/D"):
        value = _raw(ap, mode)
        inner = _deref(res, value)
        states = ([inner.raw_get(k) for k in inner] if isinstance(inner, generic.DictionaryObject)
                  and not isinstance(inner, generic.StreamObject) else [value])
        for state in states:
            if graph.note(state, f"the appearance of {where}"):
                stream = _deref(res, state)
                if isinstance(stream, generic.StreamObject):
                    _walk_resources(res, _raw(stream, "/Resources"), graph, where, depth + 1)


def find_shadow_attacks(reader: PdfFileReader, signed_revision: int) -> ShadowFindings:
    """Name what the revisions after ``signed_revision`` did to the objects that revision's pages reach."""
    found = ShadowFindings()
    last = reader.xrefs.total_revisions - 1
    if signed_revision >= last:
        return found
    before = reader.get_historical_resolver(signed_revision)
    graph = _walk_signed(before)
    after = reader.get_historical_resolver(last)
    overwritten: set[Key] = set()
    for revision in range(signed_revision + 1, last + 1):
        overwritten |= {_key(r) for r in reader.xrefs.explicit_refs_in_revision(revision)}
    _compare_roots(before, after, graph, found)

    def existed(key: Key) -> bool:
        try:
            return int(reader.xrefs.get_introducing_revision(generic.Reference(*key))) <= signed_revision
        except KeyError:
            return False

    for key in sorted(overwritten & graph.roles.keys()):
        role = graph.roles[key]
        ref = generic.Reference(key[0], key[1])
        label = f"obj {key[0]} {key[1]} ({role})"
        old, new = before.get_object(ref), after.get_object(ref)
        if role.startswith(("the content of", "a font", "an image or form", "the appearance of")):
            if _fingerprint(old) != _fingerprint(new):
                found.add(ShadowAttack.REPLACE, f"{label} redefined")
        elif role.startswith(("an optional content", "the layer", "the optional content")):
            if _fingerprint(old) != _fingerprint(new):
                found.add(ShadowAttack.HIDE, f"{label} changed")
        elif role.startswith("page "):
            _compare_page(before, after, old, new, existed, found, label)
        elif role.startswith("an annotation"):
            _compare_annotation(before, after, old, new, found, label)
        elif role.startswith("the resources of"):
            _compare_resources(before, after, old, new, found, label)
    return found


def _compare_roots(before: Any, after: Any, graph: _SignedGraph, found: ShadowFindings) -> None:
    root_after = _raw(after.trailer_view, "/Root")
    if isinstance(root_after, generic.IndirectObject) and graph.catalog is not None \
            and _key(root_after) != graph.catalog:
        found.add(ShadowAttack.HIDE_AND_REPLACE, f"the trailer points to another catalog (obj {root_after.idnum})")
    old_root, new_root = before.root, after.root
    old_pages, new_pages = _raw(old_root, "/Pages"), _raw(new_root, "/Pages")
    if _refs_in(before, old_pages)[:1] != _refs_in(after, new_pages)[:1]:
        found.add(ShadowAttack.HIDE_AND_REPLACE, "the catalog points to another page tree")
    else:
        now = _SignedGraph()
        _walk_pages(after, new_pages, now, depth=0)
        if not set(graph.pages) <= set(now.pages):
            found.add(ShadowAttack.HIDE_AND_REPLACE, "signed pages left the page tree or were swapped for others")
        elif now.pages[:len(graph.pages)] != graph.pages:
            found.add(ShadowAttack.HIDE_AND_REPLACE, "the signed pages were reordered")
    if _fingerprint(_deref(before, _raw(old_root, "/OCProperties"))) != \
            _fingerprint(_deref(after, _raw(new_root, "/OCProperties"))):
        found.add(ShadowAttack.HIDE, "the layer (optional content) configuration changed")


def _compare_page(before: Any, after: Any, old: Any, new: Any, existed: Callable[[Key], bool],
                  found: ShadowFindings, label: str) -> None:
    old_contents = _refs_in(before, _raw(old, "/Contents"))
    new_contents = _refs_in(after, _raw(new, "/Contents"))
    if old_contents != new_contents:
        removed = set(old_contents) - set(new_contents)
        revived = [k for k in new_contents if k not in old_contents and existed(k)]
        if removed or revived:  # an overlay dropped, or a stream hidden in the signed revision switched on
            found.add(ShadowAttack.HIDE, f"{label}: content streams removed or revived from the signed revision")
    for box in ("/CropBox", "/MediaBox", "/Rotate"):  # the effective values: writers materialise inherited ones
        if _fingerprint(_inherited(before, old, box)) != _fingerprint(_inherited(after, new, box)):
            found.add(ShadowAttack.HIDE, f"{label}: {box[1:]} changed")
    if set(_refs_in(before, _raw(old, "/Annots"))) - set(_refs_in(after, _raw(new, "/Annots"))):
        found.add(ShadowAttack.HIDE, f"{label}: annotations of the signed revision removed")
    _compare_resources(before, after, _deref(before, _raw(old, "/Resources")),
                       _deref(after, _raw(new, "/Resources")), found, label)


def _compare_resources(before: Any, after: Any, old: Any, new: Any, found: ShadowFindings, label: str) -> None:
    for kind in ("/Font", "/XObject"):
        old_map, new_map = _named_refs(before, old, kind), _named_refs(after, new, kind)
        changed = [name for name, ref in old_map.items() if name in new_map and new_map[name] != ref]
        if changed:
            found.add(ShadowAttack.REPLACE, f"{label}: {kind[1:]} {', '.join(changed)} points to another object")


def _compare_annotation(before: Any, after: Any, old: Any, new: Any, found: ShadowFindings, label: str) -> None:
    old_flags = int(_deref(before, _raw(old, "/F")) or 0)
    new_flags = int(_deref(after, _raw(new, "/F")) or 0)
    if (old_flags ^ new_flags) & _INVISIBLE_FLAGS:
        found.add(ShadowAttack.HIDE, f"{label}: shown or hidden (flags {old_flags} -> {new_flags})")
    if _fingerprint(_deref(before, _raw(old, "/Rect"))) != _fingerprint(_deref(after, _raw(new, "/Rect"))):
        found.add(ShadowAttack.HIDE, f"{label}: moved or resized")
    if _fingerprint(_raw(old, "/OC")) != _fingerprint(_raw(new, "/OC")):
        found.add(ShadowAttack.HIDE, f"{label}: put on another layer")


def _inherited(res: Any, page: Any, name: str) -> Any:
    """A page attribute as it applies (ISO 32000-1 § 7.7.3.4): its own, or the nearest ancestor's; the crop
    box defaults to the media box."""
    node, depth = page, 0
    while isinstance(node, generic.DictionaryObject) and depth < 32:
        if name in node:
            return _deref(res, _raw(node, name))
        node, depth = _deref(res, _raw(node, "/Parent")), depth + 1
    return _inherited(res, page, "/MediaBox") if name == "/CropBox" else None


def _named_refs(res: Any, resources: Any, kind: str) -> dict[str, Key]:
    mapping = _deref(res, _raw(resources, kind)) if isinstance(resources, generic.DictionaryObject) else None
    if not isinstance(mapping, generic.DictionaryObject):
        return {}
    return {str(name): _key(v) for name in mapping
            if isinstance(v := mapping.raw_get(name), generic.IndirectObject)}


def _fingerprint(value: Any, depth: int = 0) -> Any:
    """A comparable form of a (small) PDF value: references by number, containers recursively."""
    if isinstance(value, generic.IndirectObject):
        return ("ref", value.idnum, value.generation)
    if depth > 8:
        return "..."
    if isinstance(value, generic.StreamObject):
        return ("stream", _fingerprint(generic.DictionaryObject(value), depth + 1), bytes(value.encoded_data or b""))
    if isinstance(value, generic.DictionaryObject):
        return tuple(sorted((str(k), _fingerprint(value.raw_get(k), depth + 1)) for k in value))
    if isinstance(value, generic.ArrayObject):
        return tuple(_fingerprint(v, depth + 1) for v in value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return ("num", round(float(value), 4))  # 595.28 and 595.2800 are one width
    return repr(value)
