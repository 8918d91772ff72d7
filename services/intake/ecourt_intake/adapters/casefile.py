"""Casefile's ``lodge_filing`` over nameko RPC, as reception's accept of an appeal, protest or petition calls it.

The call carries the reception officer's own token, so casefile applies its own court boundary and capacities.
Casefile's answers (``RequestRejected``, ``NotFound``, ``PermissionDenied``) come back as those exceptions. A
casefile that does not answer within ``timeout`` seconds is ``CasefileUnavailable``: the decision is not
recorded, and the officer's retry is safe (casefile is idempotent on the reception id).
"""

from __future__ import annotations

from typing import Any, Protocol

import eventlet

from ecourt_shared.contracts.casefile import LodgingV1


class CasefileUnavailable(RuntimeError):
    """Casefile did not answer (in time, or at all)."""


class Lodging(Protocol):
    def __call__(self, case_id: str, filing: LodgingV1) -> dict[str, Any]:
        """Record ``filing`` on case ``case_id``; the ``LodgingResultV1`` as a dict, or casefile's refusal."""


class CasefileLodging:
    """``Lodging`` over ``casefile_rpc`` (a ``ServiceRpc("casefile")``) with the caller's token."""

    def __init__(self, casefile_rpc: Any, token: str, timeout: float) -> None:
        self.casefile_rpc = casefile_rpc
        self.token = token
        self.timeout = timeout

    def __call__(self, case_id: str, filing: LodgingV1) -> dict[str, Any]:
        from nameko.exceptions import UnknownService

        try:
            with eventlet.Timeout(self.timeout):
                reply = self.casefile_rpc.lodge_filing.call_async(token=self.token, case_id=case_id,
                                                                  filing=filing.model_dump(mode="json"))
                result: dict[str, Any] = reply.result()
        except eventlet.Timeout:
            raise CasefileUnavailable(f"casefile did not answer within {self.timeout} s") from None
        except UnknownService as exc:
            raise CasefileUnavailable(str(exc)) from exc
        return result
