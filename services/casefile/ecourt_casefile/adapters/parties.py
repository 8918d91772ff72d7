"""Intake's party registry, as the dossier view reads it: names and (masked) identifiers behind party references.

Casefile keeps party references only; intake owns personal data. The call is made with the viewer's own
token, so intake applies its own court boundary too. A registry that does not answer within
``timeout`` seconds (intake down, broker queue without consumers) is ``RegistryUnavailable``: the
dossier still opens, with the references and a notice, rather than hanging or failing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

import eventlet

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 3.0


class RegistryUnavailable(RuntimeError):
    """The party registry did not answer (in time, or at all)."""


PendingParties = Callable[[], dict[str, dict[str, Any]]]


class PartyRegistry(Protocol):
    def request(self, token: str, party_ids: list[str], reveal: bool) -> PendingParties:
        """Start the look-up now; the returned function gives the registry entries by party id (ids the registry
        does not show to the caller are missing), or raises ``RegistryUnavailable``. Starting early lets the
        dossier's own reads overlap the registry's answer."""


def _unavailable(exc: BaseException) -> RegistryUnavailable:
    log.warning("party registry unavailable: %s: %s", type(exc).__name__, exc)
    return RegistryUnavailable(f"{type(exc).__name__}: {exc}")


class IntakeParties:
    """``PartyRegistry`` over nameko RPC to ``intake.dossier_parties`` (``intake_rpc``: a ``ServiceRpc("intake")``).

    Built for one dossier view: ``case_id`` and the reveal's ``reason`` go with the call, because intake applies
    its own need to know (it knows who sits on the case from ``case_assigned``) and logs a reveal with its reason.
    """

    def __init__(self, intake_rpc: Any, timeout: float = DEFAULT_TIMEOUT, case_id: str | None = None,
                 reason: str | None = None) -> None:
        self.intake_rpc = intake_rpc
        self.timeout = timeout
        self.case_id = case_id
        self.reason = reason

    def request(self, token: str, party_ids: list[str], reveal: bool) -> PendingParties:
        if not party_ids:
            return dict
        deadline = time.monotonic() + self.timeout
        try:
            reply = self.intake_rpc.dossier_parties.call_async(token=token, party_ids=party_ids, reveal=reveal,
                                                               case_id=self.case_id,
                                                               reason=self.reason if reveal else None)
        except Exception as exc:  # no intake queue (UnknownService), a broken connection
            failure = _unavailable(exc)

            def failed() -> dict[str, dict[str, Any]]:
                raise failure
            return failed

        def result() -> dict[str, dict[str, Any]]:
            try:
                with eventlet.Timeout(max(deadline - time.monotonic(), 0.01)):
                    found = reply.result()
            except eventlet.Timeout:
                raise RegistryUnavailable(f"intake did not answer within {self.timeout} s") from None
            except Exception as exc:  # a remote error or a broken connection: the dossier opens without details
                raise _unavailable(exc) from exc
            return {p["party_id"]: p for p in found if isinstance(p, dict) and "party_id" in p}
        return result
