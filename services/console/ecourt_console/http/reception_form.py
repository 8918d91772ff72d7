"""The reception form: what the clerk types, the petition it becomes, and where intake's errors go.

Intake validates everything (one set of rules); the console only maps each error back to the field
it belongs to, so the message appears next to it.
"""

from __future__ import annotations

import base64
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from ecourt_console.http.rpc_errors import Message

CASE_TYPES = ("DS", "HNGĐ", "KDTM", "LĐ")  # the types a civil-procedure petition (BLTTDS) is filed for
IDEMPOTENCY_KEY = re.compile(r"console-[0-9a-f]{32}")
PARTY_FIELDS = {"full_name": "name", "cccd": "cccd", "date_of_birth": "dob", "phone": "phone", "sex": "cccd",
                "address": "name"}
PARTY_ROLES = ("plaintiff", "defendant")  # parties[0] is the plaintiff, parties[1] the defendant
FORM_FIELDS = ("subject", "case_type", *(f"{role}_{name}" for role in PARTY_ROLES
                                         for name in ("name", "cccd", "dob", "phone")))


def new_idempotency_key() -> str:
    return f"console-{uuid.uuid4().hex}"


@dataclass
class ReceptionForm:
    values: dict[str, str]
    idempotency_key: str
    field_errors: dict[str, list[Message]] = field(default_factory=dict)
    general_errors: list[Message] = field(default_factory=list)

    @classmethod
    def blank(cls) -> ReceptionForm:
        return cls(values={name: "" for name in FORM_FIELDS} | {"case_type": "DS"},
                   idempotency_key=new_idempotency_key())

    @classmethod
    def submitted(cls, values: dict[str, str], idempotency_key: str) -> ReceptionForm:
        clean = {name: (values.get(name) or "").strip() for name in FORM_FIELDS}
        if clean["case_type"] not in CASE_TYPES:
            clean["case_type"] = "DS"
        key = idempotency_key if IDEMPOTENCY_KEY.fullmatch(idempotency_key or "") else new_idempotency_key()
        return cls(values=clean, idempotency_key=key)

    def petition(self, attachment: bytes, filename: str) -> dict[str, Any]:
        """The ``PetitionV1`` body intake's ``file_petition`` takes (attachment as base64)."""
        v = self.values

        def party(role: str) -> dict[str, Any]:
            return {"role": role, "full_name": v[f"{role}_name"], "cccd": v[f"{role}_cccd"],
                    "date_of_birth": v[f"{role}_dob"] or None, "phone": v[f"{role}_phone"] or None}

        return {"idempotency_key": self.idempotency_key, "case_type": v["case_type"], "subject": v["subject"],
                "channel": "counter", "parties": [party(role) for role in PARTY_ROLES],
                "attachment": {"filename": (filename or "don-khoi-kien.pdf")[-255:],
                               "content_base64": base64.b64encode(attachment).decode("ascii")}}

    def add_errors(self, messages: list[Message]) -> None:
        for message in messages:
            target = form_field(message.field)
            message = friendlier(message)
            if target is None:
                self.general_errors.append(message)
            else:
                self.field_errors.setdefault(target, []).append(message)


def form_field(error_field: str) -> str | None:
    """``parties.1.cccd`` -> ``defendant_cccd``; ``attachment.content_base64`` -> ``attachment``; else None."""
    parts = error_field.split(".") if error_field else []
    if not parts:
        return None
    if parts[0] in ("subject", "case_type"):
        return parts[0]
    if parts[0] == "attachment":
        return "attachment"
    if parts[0] == "parties" and len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) < len(PARTY_ROLES):
        name = PARTY_FIELDS.get(parts[2])
        return f"{PARTY_ROLES[int(parts[1])]}_{name}" if name else None
    return None


_REQUIRED_CODES = {"missing", "string_too_short"}


def friendlier(message: Message) -> Message:
    """Intake passes pydantic's English text for contract errors; say the common ones plainly in both languages."""
    if message.code in _REQUIRED_CODES:
        return Message(vi="Mục này không được để trống (hoặc quá ngắn).", en="This field is required (or too short).",
                       field=message.field, code=message.code)
    if message.code in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return Message(vi="Ngày không hợp lệ.", en="Not a valid date.", field=message.field, code=message.code)
    return message
