"""The environment every service process of a run gets."""

from __future__ import annotations

import os
from pathlib import Path


def child_env(data_dir: Path) -> dict[str, str]:
    """Inherited environment plus ECOURT_DATA_DIR.

    ECOURT_AMQP_URI / ECOURT_POSTGRES_URL pass through only when the user set them: the services have their own
    defaults (ecourt_shared.settings, where the PostgreSQL URL names the server and each service adds its database).
    """
    env = dict(os.environ)
    env["ECOURT_DATA_DIR"] = str(data_dir)
    env.setdefault("PYTHONUNBUFFERED", "1")  # logs reach <data>/logs as they are written
    return env
