"""The gateway's own settings (``ECOURT_QLTA_*``), next to the shared ones in ecourt_shared.settings."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class QltaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ECOURT_QLTA_", extra="ignore")

    client: str = "simulator"  # which adapters.qlta_client implementation talks to QLTA
    send_batch_size: int = 50
    send_max_attempts: int = 8  # then the outbound row is "failed" until an operator retries it
    send_retry_base_seconds: float = 2.0  # back-off: base * 2^(attempts-1), capped below
    send_retry_max_seconds: float = 300.0
    send_poll_seconds: float = 0.5
    # /qlta/v1/changes lists only changes older than this, so a transaction still committing when the
    # SPC polls is never skipped by the next ``since``.
    changes_settle_seconds: float = 2.0


@lru_cache(maxsize=1)
def get_qlta_settings() -> QltaSettings:
    return QltaSettings()
