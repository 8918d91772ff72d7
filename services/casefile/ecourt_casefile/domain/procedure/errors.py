"""A step the law does not allow, with the provision that forbids it."""

from __future__ import annotations


class StepRefused(ValueError):
    def __init__(self, field: str, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{field}: {message_en}")
        self.field = field
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en
