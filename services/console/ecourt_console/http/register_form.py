"""The register forms: what staff type, the intake contract it becomes, and where intake's errors go.

Intake validates everything (one set of rules); these forms only shape the request and put each
field error next to the input it belongs to (``parties.2.cccd`` -> the third person's CCCD box).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from ecourt_console.http.reception_form import IDEMPOTENCY_KEY, friendlier, new_idempotency_key
from ecourt_console.http.register_words import (
    CHANNEL_NAMES,
    DECISION_NAMES,
    KIND_NAMES,
    PARTY_KIND_NAMES,
    RECEPTION_ROLE_NAMES,
    RECEPTION_STATUS_NAMES,
)
from ecourt_console.http.rpc_errors import Message

KINDS = tuple(KIND_NAMES)
CHANNELS = tuple(CHANNEL_NAMES)
STATUSES = tuple(RECEPTION_STATUS_NAMES)
DECISIONS = tuple(DECISION_NAMES)
ROLES = tuple(RECEPTION_ROLE_NAMES)
PARTY_KINDS = tuple(PARTY_KIND_NAMES)
CASE_TYPES = ("DS", "HNGĐ", "KDTM", "LĐ", "HC", "HS")
PARTY_ROWS = 3  # enough for a plaintiff, a defendant and one more; a fourth is added after registering
PARTY_INPUTS = ("role", "kind", "name", "cccd", "dob", "phone", "tax_code")
# intake's field name in a party -> the form's input
PARTY_ERROR_INPUTS = {"role": "role", "kind": "kind", "full_name": "name", "cccd": "cccd", "date_of_birth": "dob",
                      "phone": "phone", "tax_code": "tax_code", "sex": "cccd", "party_id": "name"}
ITEM_INPUTS = ("kind", "case_type", "subject", "channel", "postmark_date", "detention_certified_date",
               "submitted_at", "sender", "related_case")
CHANNEL_DATES = {"postmark_date": "post", "detention_certified_date": "detention_facility", "submitted_at": "online"}
COURT_OFFSET = "+07:00"  # a datetime-local typed at the court is court time (Asia/Ho_Chi_Minh, no DST)


def party_input(row: int, name: str) -> str:
    return f"party_{row}_{name}"


ALL_INPUTS = (*ITEM_INPUTS, *(party_input(r, n) for r in range(PARTY_ROWS) for n in PARTY_INPUTS))


@dataclass
class FormErrors:
    field_errors: dict[str, list[Message]] = field(default_factory=dict)
    general_errors: list[Message] = field(default_factory=list)

    def add(self, target: str | None, message: Message) -> None:
        message = friendlier(message)
        if target is None:
            self.general_errors.append(message)
        else:
            self.field_errors.setdefault(target, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.field_errors or self.general_errors)


@dataclass
class RegisterForm:
    values: dict[str, str]
    idempotency_key: str
    errors: FormErrors = field(default_factory=FormErrors)
    sent_rows: list[int] = field(default_factory=list)  # parties[i] of the request came from form row sent_rows[i]

    @classmethod
    def blank(cls) -> RegisterForm:
        values = {name: "" for name in ALL_INPUTS} | {"kind": "petition", "case_type": "DS", "channel": "counter"}
        for row, role in enumerate(("plaintiff", "defendant", "related")):
            values[party_input(row, "role")] = role
            values[party_input(row, "kind")] = "person"
        return cls(values=values, idempotency_key=new_idempotency_key())

    @classmethod
    def submitted(cls, raw: dict[str, str], idempotency_key: str) -> RegisterForm:
        values = {name: (raw.get(name) or "").strip() for name in ALL_INPUTS}
        for name, allowed, default in (("kind", KINDS, "petition"), ("channel", CHANNELS, "counter"),
                                       ("case_type", ("", *CASE_TYPES), "")):
            if values[name] not in allowed:
                values[name] = default
        for row in range(PARTY_ROWS):
            if values[party_input(row, "role")] not in ROLES:
                values[party_input(row, "role")] = "related"
            if values[party_input(row, "kind")] not in PARTY_KINDS:
                values[party_input(row, "kind")] = "person"
        key = idempotency_key if IDEMPOTENCY_KEY.fullmatch(idempotency_key or "") else new_idempotency_key()
        return cls(values=values, idempotency_key=key)

    def _party(self, row: int) -> dict[str, Any] | None:
        v = {name: self.values[party_input(row, name)] for name in PARTY_INPUTS}
        if not (v["name"] or v["cccd"] or v["tax_code"]):
            return None  # an unused row
        party: dict[str, Any] = {"role": v["role"], "kind": v["kind"], "full_name": v["name"] or None}
        for contract, form in (("cccd", "cccd"), ("date_of_birth", "dob"), ("phone", "phone"),
                               ("tax_code", "tax_code")):
            if v[form]:
                party[contract] = v[form]
        return party

    def item(self, files: list[tuple[str, bytes]]) -> dict[str, Any]:
        """The ``ReceptionV1`` intake's ``register_reception`` takes (attachments as base64)."""
        v = self.values
        parties, self.sent_rows = [], []
        for row in range(PARTY_ROWS):
            party = self._party(row)
            if party is not None:
                parties.append(party)
                self.sent_rows.append(row)
        item: dict[str, Any] = {
            "idempotency_key": self.idempotency_key, "kind": v["kind"], "case_type": v["case_type"] or None,
            "subject": v["subject"], "channel": v["channel"], "parties": parties,
            "attachments": [{"filename": (name or f"tai-lieu-{i + 1}.pdf")[-255:],
                             "content_base64": base64.b64encode(data).decode("ascii")}
                            for i, (name, data) in enumerate(files)]}
        for name in ("sender", "related_case"):
            if v[name]:
                item[name] = v[name]
        # a channel's date input is shown only for that channel (CSS); a value left in a hidden input is not meant
        for name, channel in CHANNEL_DATES.items():
            if v[name] and v["channel"] == channel and name != "submitted_at":
                item[name] = v[name]
        if v["submitted_at"] and v["channel"] == "online":
            stamp = v["submitted_at"] if len(v["submitted_at"]) > 16 else v["submitted_at"] + ":00"
            item["submitted_at"] = stamp + COURT_OFFSET
        return item

    def add_errors(self, messages: list[Message]) -> None:
        for message in messages:
            self.errors.add(self.input_for(message.field), message)

    def input_for(self, error_field: str) -> str | None:
        """``parties.1.cccd`` -> the CCCD input of the row sent as parties[1]; ``attachments.0`` -> attachments."""
        parts = error_field.split(".") if error_field else []
        if not parts:
            return None
        if parts[0] in ITEM_INPUTS:
            return parts[0]
        if parts[0] == "attachments":
            return "attachments"
        if parts[0] == "parties":
            if len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) < len(self.sent_rows):
                name = PARTY_ERROR_INPUTS.get(parts[2])
                return party_input(self.sent_rows[int(parts[1])], name) if name else None
            return "parties"
        return None


DECISION_INPUTS = ("decision", "reason", "amendment_due_on", "transfer_to_court", "related_case_id", "protest_level")
PROTEST_LEVELS = ("same_level", "higher_level")
# intake's (or casefile's, as intake relays it) field -> the decision form's input
DECISION_ERROR_INPUTS = {"related_case": "related_case_id", "params.level": "protest_level"}


@dataclass
class DecisionForm:
    values: dict[str, str]
    errors: FormErrors = field(default_factory=FormErrors)

    @classmethod
    def blank(cls, related_case_code: str | None = None) -> DecisionForm:
        """A fresh form; an appeal's or petition's case id is prefilled from the register when it is known."""
        values = {name: "" for name in DECISION_INPUTS} | {"decision": "accept"}
        values["related_case_id"] = related_case_code or ""
        return cls(values=values)

    @classmethod
    def submitted(cls, raw: dict[str, str]) -> DecisionForm:
        values = {name: (raw.get(name) or "").strip() for name in DECISION_INPUTS}
        if values["protest_level"] not in PROTEST_LEVELS:
            values["protest_level"] = ""
        return cls(values=values)

    def decision(self, reception_id: str) -> dict[str, Any]:
        """The ``ReceptionDecisionV1``: empty inputs are left out, so intake names what a decision lacks."""
        v = self.values
        body: dict[str, Any] = {"reception_id": reception_id, "decision": v["decision"]}
        if v["reason"]:
            body["reason"] = v["reason"]
        # each of these inputs is shown only for its decision (CSS); a value left in a hidden input is not meant
        if v["amendment_due_on"] and v["decision"] == "request_amendment":
            body["amendment_due_on"] = v["amendment_due_on"]
        if v["transfer_to_court"] and v["decision"] == "transfer":
            body["transfer_to_court"] = v["transfer_to_court"]
        # the page has these inputs only for kinds lodged on a case (appeal, protest, cassation, retrial)
        if v["decision"] == "accept":
            for name in ("related_case_id", "protest_level"):
                if v[name]:
                    body[name] = v[name]
        return body

    def add_errors(self, messages: list[Message]) -> None:
        for message in messages:
            name = DECISION_ERROR_INPUTS.get(message.field, message.field)
            self.errors.add(name if name in self.values else None, message)
