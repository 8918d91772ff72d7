"""Every queue the topology declares has a consumer, and every consumer has a declared queue.

A subscription nobody consumes is a queue that fills forever on a production broker (and an event that
silently does nothing); a consumer without a subscription cannot even start. Both are caught here, from
the service classes themselves, rather than by someone noticing a growing queue.
"""

from __future__ import annotations

import importlib

import pytest
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from ecourt_shared.bus.consumer import ReliableEventHandler
from ecourt_shared.bus.topology import SUBSCRIPTIONS

pytestmark = pytest.mark.unit

SERVICE_CLASSES = {
    "intake": ("ecourt_intake.service", "IntakeService"),
    "assignment": ("ecourt_assignment.service", "AssignmentService"),
    "casefile": ("ecourt_casefile.service", "CasefileService"),
    "signing": ("ecourt_signing.service", "SigningService"),
    "stats": ("ecourt_stats.service", "StatsService"),
    "portal": ("ecourt_portal.service", "PortalService"),
    "qlta": ("ecourt_qlta.service", "QltaService"),
}


def consumed() -> set[tuple[str, str]]:
    """(event_type, service name) for every ``@on_event`` handler of every service."""
    pairs = set()
    for module_name, class_name in SERVICE_CLASSES.values():
        cls = getattr(importlib.import_module(module_name), class_name)
        for attr in dir(cls):
            for extension in getattr(getattr(cls, attr), ENTRYPOINT_EXTENSIONS_ATTR, ()):
                if isinstance(extension, ReliableEventHandler):
                    pairs.add((extension.event.event_type, cls.name))
    return pairs


def declared() -> set[tuple[str, str]]:
    return {(sub.event.event_type, sub.consumer) for sub in SUBSCRIPTIONS}


def test_the_services_consume_something() -> None:
    # Guards the check itself: if entrypoint discovery broke, both sets would be empty and "equal".
    assert ("case_received", "casefile") in consumed()


def test_every_declared_subscription_has_a_consumer() -> None:
    missing = sorted(declared() - consumed())
    assert not missing, f"queues declared in topology.py that no service consumes (they would fill forever): {missing}"


def test_every_consumer_has_a_declared_subscription() -> None:
    undeclared = sorted(consumed() - declared())
    assert not undeclared, f"@on_event handlers without a subscription in topology.py: {undeclared}"
