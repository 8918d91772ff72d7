"""Every failure of a call to another service becomes a bilingual message with a 4xx/5xx, never a 500."""

from __future__ import annotations

import pytest
from nameko.exceptions import MethodNotFound, RemoteError, RpcTimeout, UnknownService

from ecourt_console.http.rpc_errors import classify
from ecourt_shared.contracts.errors import Conflict, FieldError, NotFound, PermissionDenied, RequestRejected

pytestmark = pytest.mark.unit


def test_request_rejected_keeps_each_field_error_in_both_languages():
    exc = RequestRejected.of([
        FieldError(field="parties.0.cccd", code="cccd.checksum", message_vi="Số CCCD sai.", message_en="bad CCCD"),
        FieldError(field="subject", code="string_too_short", message_vi="Quá ngắn", message_en="too short")])
    failure = classify(exc, "intake")
    assert (failure.kind, failure.status) == ("rejected", 422)
    assert [(m.field, m.vi, m.en) for m in failure.field_errors()] == [
        ("parties.0.cccd", "Số CCCD sai.", "bad CCCD"), ("subject", "Quá ngắn", "too short")]


def test_conflict_with_errors_list_and_permission_denied_with_messages():
    conflict = classify(Conflict({"errors": [{"field": "case_id", "code": "already_assigned",
                                              "message_vi": "Vụ án đã được phân công.",
                                              "message_en": "already assigned"}]}), "assignment")
    assert (conflict.kind, conflict.status, conflict.messages[0].vi) == ("conflict", 409, "Vụ án đã được phân công.")
    denied = classify(PermissionDenied({"message_vi": "Không có quyền.", "message_en": "Not allowed."}), "casefile")
    assert (denied.kind, denied.status, denied.messages[0].en) == ("denied", 403, "Not allowed.")


def test_errors_without_messages_get_default_bilingual_ones():
    failure = classify(NotFound(), "casefile")
    assert (failure.kind, failure.status) == ("not_found", 404)
    assert failure.messages[0].vi and failure.messages[0].en
    assert classify(Conflict(), "assignment").messages[0].vi


@pytest.mark.parametrize("exc", [RpcTimeout(), UnknownService("assignment"), ConnectionResetError(), OSError()])
def test_a_service_that_does_not_answer_is_unavailable(exc):
    failure = classify(exc, "assignment")
    assert (failure.kind, failure.status) == ("unavailable", 503)
    assert "phân công" in failure.messages[0].vi and "assignment" in failure.messages[0].en


@pytest.mark.parametrize("exc", [RemoteError("KeyError", "x"), MethodNotFound("inbox"), RuntimeError("boom")])
def test_unexpected_remote_errors_are_a_bad_gateway_not_a_500(exc):
    failure = classify(exc, "casefile")
    assert (failure.kind, failure.status) == ("error", 502)
    assert "boom" not in failure.messages[0].en  # internals are logged, not shown
