"""A citizen's lookup: rate limit, validate, find, compare the secret; count only failures.

The whole lookup runs in one transaction holding the client's advisory lock, so parallel requests
from one client (even on different web replicas) cannot slip past the limit together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ecourt_portal.adapters import repository
from ecourt_portal.domain.clock import legal_day
from ecourt_portal.domain.lookup import LookupQuery, not_found_error, parse_lookup
from ecourt_portal.domain.public_case import CaseView, describe
from ecourt_portal.domain.ratelimit import RateLimitPolicy, client_key
from ecourt_shared.contracts.errors import FieldError
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers.receipt import secret_matches


@dataclass(frozen=True)
class Found:
    view: CaseView


@dataclass(frozen=True)
class Rejected:
    """422: the input itself is wrong (says nothing about any case; not counted as a failure)."""

    errors: list[FieldError]


@dataclass(frozen=True)
class NotFound:
    """404: no case, no receipt yet, or a wrong secret; always the same answer."""

    error: FieldError


@dataclass(frozen=True)
class RateLimited:
    retry_after: int


LookupResult = Found | Rejected | NotFound | RateLimited


def lookup_case(uows: UnitOfWorkFactory, case_code: str, receipt_secret: str, client_address: str,
                policy: RateLimitPolicy, now: Callable[[], datetime]) -> LookupResult:
    client = client_key(client_address)
    with uows() as uow:
        repository.lock_client(uow, client)
        instant = now()
        failures = repository.recent_failures(uow, client, instant - policy.window, policy.max_failures)
        wait = policy.retry_after(failures, instant)
        if wait is not None:
            return RateLimited(retry_after=wait)
        query = parse_lookup(case_code, receipt_secret)
        if not isinstance(query, LookupQuery):
            return Rejected(errors=query)
        found = repository.find_case(uow, query.case_id)
        stored_hash = found[1] if found else None
        if found is None or not secret_matches(stored_hash, query.secret_hash):
            repository.record_failure(uow, client, instant, forget_before=instant - policy.window)
            uow.commit()
            return NotFound(error=not_found_error())
        return Found(view=describe(found[0], legal_day(instant)))
