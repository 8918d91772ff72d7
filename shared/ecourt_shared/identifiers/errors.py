"""The one error every identifier check raises, readable in Vietnamese first and English alongside."""

from __future__ import annotations


class IdentifierError(ValueError):
    """A value that is not a valid identifier.

    ``field`` names the input (``"cccd"``, ``"phone"``, ``"case_id"``...), ``code`` is a stable machine
    key for the rule that failed, and the two messages say the same thing for a person to read.
    """

    def __init__(self, field: str, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{field}: {message_en}")
        self.field = field
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.field}: {self.message_en}"

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "code": self.code,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
        }
