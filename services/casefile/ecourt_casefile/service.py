"""Casefile's nameko service: a thin adapter from events and RPC contracts to the handlers."""

from __future__ import annotations

from datetime import date
from typing import Any

from nameko.rpc import ServiceRpc, rpc
from nameko.timer import timer

from ecourt_casefile.adapters.orm import metadata
from ecourt_casefile.adapters.parties import DEFAULT_TIMEOUT as PARTY_LOOKUP_SECONDS
from ecourt_casefile.adapters.parties import IntakeParties
from ecourt_casefile.dependencies import SERVICE, Dossiers, Storage, readiness_checks
from ecourt_casefile.domain.access import STAFF_ROLES
from ecourt_casefile.domain.clock import utc_now
from ecourt_casefile.ledger.runtime import LedgerEndpoints
from ecourt_casefile.service_layer import assigning, notes, publishing, receiving, stepping, viewing, watching
from ecourt_shared.auth.nameko import Auth
from ecourt_shared.bus.consumer import on_event
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import NotFound, PermissionDenied, RequestRejected
from ecourt_shared.contracts.events import CaseAssignedV1, CaseReceivedV1
from ecourt_shared.contracts.signing import DocumentSealedV1, DocumentSignedV1
from ecourt_shared.db.nameko import ServiceDatabase
from ecourt_shared.nameko_health import HealthEndpoints, Readiness
from ecourt_shared.telemetry.nameko import Tracing

# Answers to the caller, not faults of the service: nameko logs them without a traceback.
EXPECTED = (NotFound, PermissionDenied, RequestRejected)


class CasefileService(HealthEndpoints, LedgerEndpoints):
    name = SERVICE

    db = ServiceDatabase(SERVICE, metadata)
    dossiers = Dossiers()
    store = Storage()
    auth = Auth()
    tracing = Tracing()
    readiness = Readiness(readiness_checks)
    # The party registry behind the full dossier view (adapters/parties.py); a request not picked up before the
    # caller gives up expires in the broker instead of being answered to nobody once intake is back.
    intake_rpc = ServiceRpc("intake", expiration=PARTY_LOOKUP_SECONDS)
    # The signed text a judgment is published from (publishing.prepare_publication asks signing.document_text).
    signing_rpc = ServiceRpc("signing", expiration=publishing.SIGNING_TIMEOUT)

    @on_event(CaseReceivedV1)
    def on_case_received(self, payload: CaseReceivedV1, envelope: EventEnvelope) -> None:
        """Open the dossier of an accepted case, record its state and first deadline, emit ``case_progressed``.

        Example payload (in an ``EventEnvelope`` from ``intake.events``, routing key ``case_received``)::

            {"court_id": "79KV01", "case_id": "79KV01202600012365", "acceptance_number": "12/2026/TLST-DS",
             "case_type": "DS", "stage": "ST", "subject": "Tranh chấp hợp đồng vay tài sản",
             "accepted_at": "2026-01-15T02:30:00Z", "accepted_on": "2026-01-15",
             "parties": [{"party_id": "P-1A2B3C4D5E6F7A8B", "role": "plaintiff", "is_minor": false}],
             "documents": [{"document_id": "D-0123456789ABCDEF", "title": "Đơn khởi kiện",
                            "filename": "don-khoi-kien.pdf", "content_type": "application/pdf",
                            "size_bytes": 1024, "sha256": "9f86d0…", "page_count": 1, "bucket": "ecourt-79kv01",
                            "object_key": "documents/sha256/9f/9f86d0…"}],
             "receipt_secret_hash": "…"}

        Errors: a document whose bytes do not match (or outside the court's bucket) is dead-lettered at
        once; a document not yet in the store is retried, then dead-lettered.
        """
        receiving.receive_case(payload, envelope, self.db, self.dossiers, self.store, utc_now)

    @on_event(CaseAssignedV1)
    def on_case_assigned(self, payload: CaseAssignedV1, envelope: EventEnvelope) -> None:
        """Record the judge of a case, in its state and its dossier; converges if it comes before the case.

        Example payload (from ``assignment.events``, routing key ``case_assigned``)::

            {"court_id": "79KV01", "case_id": "79KV01202600012365", "judge_id": "J-0007",
             "judge_name": "Lê Văn Cường", "method": "random", "draw_id": "DR-2026-0042",
             "assigned_by": "u-president", "assigned_at": "2026-01-16T03:00:00Z"}
        """
        assigning.assign_judge(payload, envelope, self.db, self.dossiers, utc_now)

    @rpc(expected_exceptions=EXPECTED)
    def get_dossier(self, token: str, case_id: str, reveal: bool = False, reason: str | None = None) -> dict[str, Any]:
        """The dossier of a case of the caller's court, in the view the caller may see.

        Example call: ``get_dossier(token="eyJ…", case_id="79KV01-2026-000123-65")`` (canonical or display
        form). The president, the assigned judge, the trial panel and the clerk of the case get ``DossierFullV1``
        (``"view": "full"``: header, parties with names from intake's registry and CCCD / phone masked as
        ``0792******21`` / ``+8490****567``, documents, timeline, deadlines with legal basis), logged in
        ``access_log`` with the personal fields shown; other staff get ``DossierEssentialsV1`` (``"view":
        "essentials"``, no personal data). ``get_dossier(token, case_id, reveal=True, reason="Tống đạt giấy
        triệu tập")`` shows CCCD and phone unmasked, for the judges of the case and its clerk only (else
        ``PermissionDenied``; a missing reason is ``RequestRejected`` on ``reason``), and is logged with the
        reason. A case of another court, or none, is ``NotFound``; a malformed id is ``RequestRejected``. If
        intake does not answer, the full view has party references only and a notice.
        """
        principal = self.auth(token, *STAFF_ROLES)
        registry = IntakeParties(self.intake_rpc, PARTY_LOOKUP_SECONDS, case_id, reason)  # intake checks too
        return viewing.get_dossier(principal, case_id, self.db, self.dossiers, utc_now, registry=registry,
                                   token=token, reveal=reveal, reason=reason).model_dump(mode="json")

    @rpc(expected_exceptions=EXPECTED)
    def case_deadline(self, token: str, case_id: str) -> dict[str, Any]:
        """The case's current statutory deadline with its legal basis (``CaseDeadlineV1``).

        Example call: ``case_deadline(token="eyJ…", case_id="79KV01202600012365")`` ->
        ``{"case_id": "79KV01202600012365", "case_code": "79KV01-2026-000123-65", "status": "preparing",
        "deadline": {"rule_id": "civil.first_instance.preparation", "due_on": "2026-05-15",
        "legal_basis_vi": "Điểm a khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015", …}}``.
        Any staff member of the case's court may ask; another court's case is ``NotFound``.
        """
        principal = self.auth(token, *STAFF_ROLES)
        return viewing.case_deadline(principal, case_id, self.db).model_dump(mode="json")

    @rpc(expected_exceptions=EXPECTED)
    def add_note(self, token: str, case_id: str, text: str) -> dict[str, Any]:
        """Add a working note to the case (``CaseNoteV1``); it stays with the case when its judge changes.

        Example call: ``add_note(token="eyJ…", case_id="79KV01-2026-000123-65", text="Đương sự hẹn nộp chứng cứ
        bổ sung trước 15/4.")`` -> ``{"note_id": "N-…", "text": "…", "written_by": "u-j7", "written_by_name":
        "Lê Văn Cường", "written_at": "…", "judge_id_then": "J-0007", "carried_over": false}``. The president, the
        judges on the case and its clerk may write; other staff of the court are ``PermissionDenied``; another
        court's case is ``NotFound``; an empty or over-long text is ``RequestRejected`` on ``text``. Notes are
        never edited; each is a ledger entry (the hash of its text).
        """
        principal = self.auth(token, *STAFF_ROLES)
        return notes.add_note(principal, case_id, text, self.db, utc_now).model_dump(mode="json")

    @rpc(expected_exceptions=EXPECTED)
    def case_standing(self, token: str, case_id: str) -> dict[str, Any]:
        """Who the caller is for the case (``CaseStandingV1``), for other services' access checks.

        Example call: ``case_standing(token="eyJ…", case_id="79KV01-2026-000123-65")`` ->
        ``{"case_id": "79KV01202600012365", "case_code": "79KV01-2026-000123-65", "court_id": "79KV01",
        "involved": true, "capacities": ["judge"]}``. Signing asks it before drafting, reading, signing or
        sealing a case's documents. Any staff member of the case's court may ask; no personal data is returned
        and nothing is logged; another court's case is ``NotFound``; a malformed id is ``RequestRejected``.
        """
        principal = self.auth(token, *STAFF_ROLES)
        return viewing.case_standing(principal, case_id, self.db).model_dump(mode="json")

    @rpc(expected_exceptions=EXPECTED)
    def record_step(self, token: str, case_id: str, step: str, on: str | None = None,
                    params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Record a procedural step of the case, if the procedure allows it (``StepResultV1``).

        Example call: ``record_step(token="eyJ…", case_id="79KV01-2026-000123-65", step="decide_to_try",
        on="2026-04-01", params={"hearing_on": "2026-04-20", "room": "P.3", "panel": ["J-0007"]})`` ->
        ``{"stage": "ST", "state": "hearing_scheduled", "status": "hearing_scheduled", "deadlines": [{"rule_id":
        "civil.first_instance.hearing", "due_on": "2026-05-04", "legal_basis_vi": "Khoản 4 Điều 203 …"}], …}``.
        Steps and who may record them: ``domain/procedure/data/*.yaml``. An illegal step, a bad parameter or a
        filing out of time is ``RequestRejected`` naming the provision; a step the caller may not record is
        ``PermissionDenied``; a case of another court is ``NotFound`` (except for the president of the court
        competent for cassation and retrial, who records ``protest_cassation`` / ``protest_retrial``).
        """
        principal = self.auth(token, *STAFF_ROLES)
        day = None
        if on is not None:
            try:
                day = date.fromisoformat(on)
            except (TypeError, ValueError):
                raise RequestRejected.single("on", "procedure.bad_date", "ngày phải có dạng YYYY-MM-DD",
                                             "the date must be YYYY-MM-DD") from None
        result = stepping.record_step(principal, case_id, step, day, params or {}, self.db, utc_now)
        return result.model_dump(mode="json")

    @timer(interval=300)
    def watch_deadlines(self) -> None:
        """Every 5 minutes: announce deadlines falling due within 7 days, and deadlines missed (once each)."""
        watching.scan_deadlines(self.db, utc_now)

    @rpc(expected_exceptions=EXPECTED)
    def publication_status(self, token: str, case_id: str) -> dict[str, Any]:
        """The case's publication deadline and each judgment/decision's publication record (``PublicationStatusV1``).

        Example call: ``publication_status(token="eyJ…", case_id="79KV01-2026-000123-65")`` ->
        ``{"case_blocks": [{"code": "minor", "legal_basis_vi": "Điểm d khoản 2 Điều 4 Nghị quyết 03/2017/NQ-HĐTP",
        …}], "deadline": {"rule_id": "publication.judgment", "legal_effect_on": "2026-04-20", "due_on": "2026-05-20",
        …}, "documents": [{"document_id": "BA-01-2026", "status": "prepared", "encoded_text": "…", …}]}``.
        Only the case's judge or panel, its clerk and the court's president (else ``PermissionDenied``).
        """
        principal = self.auth(token, *STAFF_ROLES)
        return publishing.publication_status(principal, case_id, self.db, self.dossiers).model_dump(mode="json")

    @rpc(expected_exceptions=EXPECTED)
    def flag_publication(self, token: str, case_id: str, document_id: str, category: str, reason: str,
                         lift: bool = False) -> dict[str, Any]:
        """The judge records that a document falls under art. 4 of Resolution 03/2017 (or lifts that flag).

        Example call: ``flag_publication(token, "79KV01-2026-000123-65", "BA-01-2026", "personal_family_secret",
        "Bản án nêu bệnh án của đương sự")``. Categories: state_secret, business_secret, customs,
        personal_family_secret. The case's judge or the president only. Answers ``PublicationStatusV1``.
        """
        principal = self.auth(token, *STAFF_ROLES)
        return publishing.flag_publication(principal, case_id, document_id, category, reason, lift, self.db,
                                           self.dossiers, utc_now).model_dump(mode="json")

    @rpc(expected_exceptions=EXPECTED)
    def prepare_publication(self, token: str, case_id: str, document_id: str,
                            document: dict[str, Any] | None = None) -> dict[str, Any]:
        """Encode a judgment or decision of the dossier (names, addresses, CCCD and phone numbers) for review.

        The document must be a judgment (or a decision Resolution 03/2017 publishes) of the case's dossier that
        took effect as a signed document; its text is read from signing (``document_text``), the parties' names
        from intake's registry. Example call: ``prepare_publication(token, "79KV01-2026-000123-65", "VB-…",
        {"number": "01/2026/DS-ST", "persons": [{"name": "Lê Hoàng Nam"}]})`` (``number``, ``title`` optional;
        ``persons``: further people named in the text, e.g. witnesses). Only for a scan a clerk uploaded does the
        caller give ``kind``, ``number``, ``title``, ``issued_on`` and the typed ``text`` (OCR is out of scope).
        Refusals on ``document_id``: ``publication.unknown_document``, ``publication.not_publishable_kind``,
        ``publication.not_signed``. The case's judge or clerk. A name still found after encoding is
        ``RequestRejected`` on ``parties[<id>]`` / ``persons[i].name``; the original text is not stored.
        """
        principal = self.auth(token, *STAFF_ROLES)
        registry = IntakeParties(self.intake_rpc, PARTY_LOOKUP_SECONDS, case_id)
        sources = publishing.TextSources(
            signed_text=publishing.signing_text(self.signing_rpc, token),
            parties=lambda party_ids: registry.request(token, party_ids, reveal=False)())
        return publishing.prepare_publication(principal, case_id, document_id, document if isinstance(document, dict)
                                              else {}, self.db, self.dossiers, sources, utc_now
                                              ).model_dump(mode="json")

    @rpc(expected_exceptions=EXPECTED)
    def review_publication(self, token: str, case_id: str, document_id: str, decision: str,
                           reason: str | None = None) -> dict[str, Any]:
        """Approve the encoded version, or return it with a reason: ``review_publication(token, case, doc,
        "return", "Còn địa chỉ của người làm chứng")``. By someone other than the person who prepared it."""
        principal = self.auth(token, *STAFF_ROLES)
        return publishing.review_publication(principal, case_id, document_id, decision, reason, self.db,
                                             self.dossiers, utc_now).model_dump(mode="json")

    @rpc(expected_exceptions=EXPECTED)
    def release_publication(self, token: str, case_id: str, document_id: str) -> dict[str, Any]:
        """Publish an approved document on the portal (``document_published``); the publication deadline is met.

        Refused (``RequestRejected`` with code ``publication.blocked.<rule>`` and the provision) while a rule of
        art. 4 of Resolution 03/2017 applies: closed hearing, minor, not in legal effect, or a judge's flag.
        """
        principal = self.auth(token, *STAFF_ROLES)
        return publishing.release_publication(principal, case_id, document_id, self.db, self.dossiers,
                                              utc_now).model_dump(mode="json")

    @rpc(expected_exceptions=EXPECTED)
    def lodge_filing(self, token: str, case_id: str, filing: dict[str, Any]) -> dict[str, Any]:
        """Record on its case a filing accepted at reception: appeal, protest, cassation petition, retrial request.

        Called by intake before it commits the acceptance. Example call: ``lodge_filing(token="eyJ…",
        case_id="79KV01-2026-000123-65", filing={"kind": "appeal", "reception_id": "R-1A2B3C4D5E6F7A8B",
        "case_type": "DS", "received_on": "2026-04-08", "counting_basis": "postmark", "counts_from": "2026-04-04",
        "party_ids": ["P-00000000000000B2"]})`` -> ``LodgingResultV1`` ``{"step": "lodge_appeal", "filed_on":
        "2026-04-04", "court_id": "79TA00", "stage": "PT", "notes": [{"vi": "Ngày kháng cáo là ngày dấu bưu điện
        …"}], "replayed": false, …}``. A later appeal once the appellate stage is open is ``join_appeal``;
        protests need ``protest_level``; petitions are received by the review court's reception. Out of time or
        not allowed by the procedure: ``RequestRejected`` naming the provision; a case of an unrelated court:
        ``NotFound``. The same ``reception_id`` again answers the first result with ``"replayed": true``.
        """
        from ecourt_casefile.service_layer import lodging

        principal = self.auth(token, *STAFF_ROLES)
        return lodging.lodge_filing(principal, case_id, lodging.parse_lodging(filing), self.db,
                                    utc_now).model_dump(mode="json")

    @on_event(DocumentSignedV1)
    def on_document_signed(self, payload: DocumentSignedV1, envelope: EventEnvelope) -> None:
        """Attach a signed version (ký số) to the case's document in the dossier, on the timeline and the ledger.

        Example payload (from ``signing.events``, routing key ``document_signed``)::

            {"court_id": "79KV01", "case_id": "79KV01-2026-000001-43", "document_id": "VB-3f2a…",
             "kind": "judgment", "title": "BẢN ÁN SƠ THẨM", "version_no": 2, "sha256": "9f2c…",
             "size_bytes": 48211, "step": 1, "signer_user_id": "u-judge", "signer_role": "judge",
             "signer_name": "Phạm Minh Tuấn", "certificate_serial": "4f1a…",
             "signed_at": "2026-11-27T03:15:00Z", "in_effect": false, "needs_seal": true,
             "bucket": "ecourt-79kv01", "object_key": "documents/sha256/9f/9f2c…"}

        Retried while the case is not recorded yet or the object is not in the store; dead-lettered at once
        when the stored bytes do not match, the object is outside the court's bucket, or there is no object
        reference.
        """
        from ecourt_casefile.service_layer import signed_documents

        signed_documents.record_signed(payload, envelope, self.db, self.dossiers, self.store, utc_now)

    @on_event(DocumentSealedV1)
    def on_document_sealed(self, payload: DocumentSealedV1, envelope: EventEnvelope) -> None:
        """Show the court's seal (đóng dấu) on the case timeline and in the ledger; the document becomes sealed.

        Example payload (from ``signing.events``, routing key ``document_sealed``)::

            {"court_id": "79KV01", "case_id": "79KV01-2026-000001-43", "document_id": "VB-3f2a…",
             "kind": "judgment", "title": "BẢN ÁN SƠ THẨM", "sealed_by": "u-clerk", "sealed_by_name": "Vũ Ngọc Ánh",
             "sealed_at": "2026-11-27T04:00:00Z", "scan_sha256": "77ab…", "scan_bucket": "ecourt-79kv01",
             "scan_object_key": "documents/sha256/77/77ab…", "scan_size_bytes": 10240}

        Retried until the signed document is in the dossier; a scan whose bytes do not match is dead-lettered.
        """
        from ecourt_casefile.service_layer import signed_documents

        signed_documents.record_sealed(payload, envelope, self.db, self.dossiers, self.store, utc_now)

    @rpc(expected_exceptions=EXPECTED)
    def add_document(self, token: str, case_id: str, title: str, filename: str, content_base64: str,
                     replaces_document_id: str | None = None, sha256: str | None = None) -> dict[str, Any]:
        """Add a document to the case's dossier, or a new version of one of its documents (previous ones kept).

        For the court's president, the judges on the case and its clerk. Example call: ``add_document(
        token="eyJ…", case_id="79KV01-2026-000123-65", title="Biên bản hòa giải", filename="bien-ban.pdf",
        content_base64="JVBERi0xLjcK…", replaces_document_id=None, sha256="9f2c…")`` -> ``{"document_id":
        "D-1A2B3C4D5E6F7A8B", "title": "Biên bản hòa giải", "version": 1, "source": "upload", "sha256": "9f2c…",
        "size": 48211, "content_type": "application/pdf", "page_count": 3, "bucket": "ecourt-79kv01",
        "object_key": "documents/sha256/9f/9f2c…", "already_stored": false, …}``. The file is judged by its
        content (PDF, PNG or JPEG), within ``ECOURT_MAX_ATTACHMENT_BYTES``; ``sha256`` (optional) is the hash
        the client computed. Refusals are ``RequestRejected`` field by field (``title``, ``filename``,
        ``content_base64``, ``sha256``, ``replaces_document_id``), with nothing stored; another court's case,
        or none, is ``NotFound``; other staff get ``PermissionDenied``.
        """
        from ecourt_casefile.service_layer import uploading
        from ecourt_shared.settings import get_settings

        principal = self.auth(token, *STAFF_ROLES)
        return uploading.add_document(principal, case_id, title, filename, content_base64, replaces_document_id,
                                      sha256, self.db, self.dossiers, self.store, utc_now,
                                      get_settings().max_attachment_bytes)
