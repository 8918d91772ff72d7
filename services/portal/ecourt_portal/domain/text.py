"""Text a person reads, Vietnamese first and English alongside."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class Text:
    vi: str
    en: str

    def in_(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi

    def other(self, lang: str) -> str:
        """The same text in the language the reader did not choose (shown alongside for errors)."""
        return self.vi if lang == "en" else self.en


def legal_term(term_vi: str, gloss_en: str, vi: str | None = None) -> Text:
    """A legal term keeps its Vietnamese name in English: ``Text("Đã thụ lý", "Thụ lý (accepted)")``."""
    return Text(vi or term_vi, f"{term_vi} ({gloss_en})")
