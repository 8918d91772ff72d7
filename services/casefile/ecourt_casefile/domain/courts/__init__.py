"""The courts: hierarchy (who hears appeals, who reviews judgments in legal effect) and the successor map.

Data: ``data/courts.yaml``. Every competence answer comes from there with its source, never from the shape of
a court id. A dissolved court resolves to its successor (District 1, 3 and 4 -> Area 1), so case ids it
issued, and cases it held, still find their court.
"""

from .registry import Court, CourtRegistry, UnknownCourt

__all__ = ["Court", "CourtRegistry", "UnknownCourt"]
