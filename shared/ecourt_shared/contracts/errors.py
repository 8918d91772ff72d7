"""Errors that cross service boundaries.

They are registered with nameko so that an RPC caller gets the same exception back (not a bare
``RemoteError``), and every HTTP front maps them to a 4xx with field-level messages in Vietnamese
and English.
"""

from __future__ import annotations

from typing import Any

from nameko.exceptions import deserialize_to_instance
from pydantic import BaseModel


class FieldError(BaseModel):
    field: str
    code: str
    message_vi: str
    message_en: str


class _ContractError(Exception):
    http_status = 400

    def __init__(self, detail: dict[str, Any] | None = None) -> None:
        super().__init__(detail or {})

    @property
    def detail(self) -> dict[str, Any]:
        return self.args[0]


@deserialize_to_instance
class RequestRejected(_ContractError):
    """The request is invalid; ``detail['errors']`` lists each field and the rule it broke."""

    http_status = 422

    @classmethod
    def of(cls, errors: list[FieldError]) -> RequestRejected:
        return cls({"errors": [e.model_dump() for e in errors]})

    @classmethod
    def single(cls, field: str, code: str, message_vi: str, message_en: str) -> RequestRejected:
        return cls.of([FieldError(field=field, code=code, message_vi=message_vi, message_en=message_en)])

    @property
    def errors(self) -> list[FieldError]:
        return [FieldError.model_validate(e) for e in self.detail.get("errors", [])]

    def __str__(self) -> str:
        return "; ".join(f"{e.field}: {e.message_en}" for e in self.errors) or "request rejected"


@deserialize_to_instance
class NotFound(_ContractError):
    http_status = 404


@deserialize_to_instance
class PermissionDenied(_ContractError):
    http_status = 403


@deserialize_to_instance
class Conflict(_ContractError):
    http_status = 409
