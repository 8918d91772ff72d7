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


# What the incremental updates after a signature did, from harmless to worst. "allowed": further signatures,
# document timestamps, validation data, or the form filling / annotations the certification (DocMDP) permits.
CHANGE_CLASSES = ("none", "allowed", "modified", "shadow_hide", "shadow_replace", "shadow_hide_and_replace")
CHANGE_LABELS: dict[str, tuple[str, str]] = {
    "none": ("Không có thay đổi sau khi ký", "no change after signing"),
    "allowed": ("Chỉ có thay đổi được phép (chữ ký tiếp theo, dấu thời gian, điền biểu mẫu được chữ ký chứng thực "
                "cho phép)", "only permitted changes (further signatures, timestamps, form filling the "
                "certification allows)"),
    "modified": ("Cập nhật gia tăng làm thay đổi nội dung", "incremental update modifying content"),
    "shadow_hide": ("Tấn công che giấu (shadow attack: hide)", "shadow attack: hide"),
    "shadow_replace": ("Tấn công thay thế (shadow attack: replace)", "shadow attack: replace"),
    "shadow_hide_and_replace": ("Tấn công che giấu và thay thế (shadow attack: hide-and-replace)",
                                "shadow attack: hide-and-replace"),
}


def worst_change(classes: list[str]) -> str:
    return max(classes, key=CHANGE_CLASSES.index, default="none")


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
    changes: str = "none"  # one of CHANGE_CLASSES
    change_details: tuple[str, ...] = ()  # which objects, for an expert (technical, English)

    def to_dict(self) -> dict[str, Any]:
        label_vi, label_en = CHANGE_LABELS[self.changes]
        return {"field_name": self.field_name, "signer_name": self.signer_name,
                "changes": self.changes, "changes_vi": label_vi, "changes_en": label_en,
                "change_details": list(self.change_details),
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
    def changes(self) -> str:
        """The worst of what was done after any signature (one of ``CHANGE_CLASSES``)."""
        return worst_change([s.changes for s in self.signatures])

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
                "modified_after_signing": self.modified_after_signing, "changes": self.changes,
                "changes_vi": CHANGE_LABELS[self.changes][0], "changes_en": CHANGE_LABELS[self.changes][1],
                "reasons": self.reasons,
                "reason_codes": [f.code for f in self.findings],
                "signatures": [s.to_dict() for s in self.signatures]}
