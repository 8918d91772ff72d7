"""What a verification found, in words a clerk can act on (Vietnamese first, English alongside)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Finding:
    code: str
    message_vi: str
    message_en: str

    @property
    def text(self) -> str:
        return f"{self.message_vi} / {self.message_en}"


@dataclass(frozen=True)
class SignatureReport:
    """One signature of the document, in signing order."""

    field_name: str
    signer_name: str | None
    signed_at: datetime | None
    intact: bool  # the bytes it covers are unchanged
    valid: bool  # the cryptographic signature checks out
    trusted: bool  # the signer's certificate chains to a root the court trusts
    modified_after_signing: bool  # something other than later signatures was appended after it
    coverage: str  # pyHanko's SignatureCoverageLevel name
    modification_level: str | None  # pyHanko's ModificationLevel name, None if unknown

    def to_dict(self) -> dict[str, Any]:
        return {"field_name": self.field_name, "signer_name": self.signer_name,
                "signed_at": self.signed_at.isoformat() if self.signed_at else None, "intact": self.intact,
                "valid": self.valid, "trusted": self.trusted, "modified_after_signing": self.modified_after_signing,
                "coverage": self.coverage, "modification_level": self.modification_level}


@dataclass(frozen=True)
class VerificationResult:
    """The document's verdict. With several signatures, each flag holds for all of them, and the signer and
    time are those of the latest; ``signatures`` has the detail of each."""

    signed: bool
    intact: bool
    valid: bool
    trusted: bool
    signer_name: str | None
    signed_at: datetime | None
    modified_after_signing: bool
    findings: list[Finding] = field(default_factory=list)
    signatures: list[SignatureReport] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        """Each problem found, as "tiếng Việt / English"."""
        return [f.text for f in self.findings]

    @property
    def ok(self) -> bool:
        """The one answer a person needs: signed, unaltered, valid and by someone the court trusts."""
        return self.signed and self.intact and self.valid and self.trusted and not self.modified_after_signing

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "signed": self.signed, "intact": self.intact, "valid": self.valid,
                "trusted": self.trusted, "signer_name": self.signer_name,
                "signed_at": self.signed_at.isoformat() if self.signed_at else None,
                "modified_after_signing": self.modified_after_signing, "reasons": self.reasons,
                "reason_codes": [f.code for f in self.findings],
                "signatures": [s.to_dict() for s in self.signatures]}
