"""The party registry's views with need to know applied (``domain.need_to_know``): masked unless the viewer's role
needs the identifiers, and every unmasked view logged in the same transaction as its read.

Search results are masked for everyone, except the identifier an exact identifier search matched (the caller
typed it; echoing it only confirms the match, and the confirmation is logged): a list of namesakes with their
numbers is more than anyone at the counter needs, and the party's own page (logged) has the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ecourt_intake.adapters import view_log
from ecourt_intake.domain.need_to_know import (
    Ground,
    mask_registry_view,
    matched_identifier,
    personal_fields_in,
    registry_ground,
)
from ecourt_intake.service_layer import registry
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.reception import PartyCorrectionV1, PartyViewV1
from ecourt_shared.db import UnitOfWorkFactory


def _shown(view: PartyViewV1, actor: Principal) -> tuple[dict[str, Any], list[str]]:
    """The view for ``actor`` with ``masked`` saying which way, and the personal fields it shows unmasked."""
    data = view.model_dump(mode="json")
    if registry_ground(actor) is None:
        return {**mask_registry_view(data), "masked": True}, []
    return {**data, "masked": False}, personal_fields_in(data)


def _log(uows: UnitOfWorkFactory, actor: Principal, shown: list[tuple[str, list[str]]], purpose: str,
         now: Callable[[], datetime], ground: Ground | None = None) -> None:
    ground = ground or registry_ground(actor)
    if ground is None or not any(fields for _, fields in shown):
        return
    with uows() as uow:
        view_log.record(uow, actor, shown, purpose, ground.value, now())
        uow.commit()


def show_party(uows: UnitOfWorkFactory, actor: Principal, party_id: str,
               now: Callable[[], datetime]) -> dict[str, Any]:
    data, fields = _shown(registry.get_party(uows, actor, party_id), actor)
    _log(uows, actor, [(party_id, fields)], "party", now)
    return data


def show_correction(uows: UnitOfWorkFactory, actor: Principal, correction: PartyCorrectionV1,
                    now: Callable[[], datetime]) -> dict[str, Any]:
    """The corrected party as its corrector may see it (a president's correction is answered masked)."""
    data, fields = _shown(registry.correct_party(uows, actor, correction, now), actor)
    _log(uows, actor, [(correction.party_id, fields)], "party_correction", now)
    return data


def show_history(uows: UnitOfWorkFactory, actor: Principal, party_id: str,
                 now: Callable[[], datetime]) -> list[dict[str, Any]]:
    versions = registry.history(uows, actor, party_id)
    if registry_ground(actor) is None:
        return [{**v, "snapshot": mask_registry_view(v["snapshot"]), "masked": True} for v in versions]
    fields = sorted({f for v in versions for f in personal_fields_in(v["snapshot"])})
    _log(uows, actor, [(party_id, fields)], "party_history", now)
    return [{**v, "masked": False} for v in versions]


def show_search(uows: UnitOfWorkFactory, actor: Principal, text: str, limit: int,
                now: Callable[[], datetime]) -> list[dict[str, Any]]:
    results, confirmed = [], []
    for view in registry.search_parties(uows, actor, text, limit):
        data = view.model_dump(mode="json")
        matched = matched_identifier(data, text)
        keep = [matched] if matched else []
        results.append({**mask_registry_view(data, keep=keep), "masked": True, "matched_by": matched})
        if matched and matched in personal_fields_in(data):
            confirmed.append((view.party_id, [matched]))
    _log(uows, actor, confirmed, "search_match", now, Ground.SEARCH_MATCH)
    return results


def views_of(uows: UnitOfWorkFactory, actor: Principal, party_id: str) -> list[dict[str, Any]]:
    """The log of unmasked views of a party the caller's court can see, made at the caller's court."""
    registry.get_party(uows, actor, party_id)  # NotFound for a party the court cannot see
    with uows() as uow:
        return [v for v in view_log.views_of(uow, party_id) if v["court_id"] == actor.court_id]
