"""Signing's contracts: the events of signed and sealed court documents, and the shapes its RPCs return.

``document_signed`` is emitted for every signature that is stored (one per signer, in workflow order);
``in_effect`` is true on the one that completes the document's required signatures (an order takes effect
only then). ``document_sealed`` is emitted when the clerk records the court's physical seal. casefile
attaches each signed version to the dossier and shows both on the case timeline.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from ecourt_shared.contracts.envelope import EventPayload, register_event

SignerRole = Literal["judge", "president", "clerk"]


@register_event
class DocumentSignedV1(EventPayload):
    """A signature on a court document was stored: the signed PDF is in the court's bucket at ``bucket`` /
    ``object_key`` (content-addressed; its bytes hash to ``sha256``), and ``signing.get_document`` serves it."""

    event_type: ClassVar[str] = "document_signed"
    version: ClassVar[int] = 1
    source: ClassVar[str] = "signing"
    case_id: str
    document_id: str
    kind: str  # template kind: summons, judgment, ...
    title: str
    version_no: int  # the stored version this signature produced
    sha256: str  # of the signed PDF, as stored
    size_bytes: int
    step: int  # 1-based position in the workflow
    signer_user_id: str
    signer_role: SignerRole
    signer_name: str
    certificate_serial: str
    signed_at: datetime  # from the timestamp authority's token
    in_effect: bool  # every required signature is now present
    needs_seal: bool
    # Where the signed PDF is stored (the court's bucket, content-addressed); absent on events emitted before
    # signing kept its versions in the object store.
    bucket: str | None = None
    object_key: str | None = None


@register_event
class DocumentSealedV1(EventPayload):
    """The clerk recorded the court's physical seal on a signed document, with a scan of the sealed paper."""

    event_type: ClassVar[str] = "document_sealed"
    version: ClassVar[int] = 1
    source: ClassVar[str] = "signing"
    case_id: str
    document_id: str
    kind: str
    title: str
    sealed_by: str
    sealed_at: datetime
    scan_sha256: str
    sealed_by_name: str | None = None  # the clerk's display name, for the case timeline
    scan_bucket: str | None = None  # where the scan is stored (absent on events emitted before that)
    scan_object_key: str | None = None
    scan_size_bytes: int | None = None


class WorkflowStepV1(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    step: int
    role: SignerRole
    certify: bool
    signed_by: str | None = None
    signer_name: str | None = None
    signed_at: datetime | None = None


class DocumentStateV1(BaseModel):
    """What ``signing.get_document`` and the drafting/signing RPCs return about a document."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    document_id: str
    case_id: str
    kind: str
    title: str
    status: Literal["draft", "signing", "in_effect", "sealed"]
    current_version: int
    current_sha256: str
    needs_seal: bool
    legal_basis_vi: str
    legal_basis_en: str
    workflow: list[WorkflowStepV1]
    next_role: SignerRole | None
