"""The portal's own settings (``ECOURT_PORTAL_*``); everything shared comes from ``ecourt_shared.settings``."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from ecourt_portal.domain.ratelimit import RateLimitPolicy


class PortalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ECOURT_PORTAL_", extra="ignore")

    lookup_max_failures: int = 10
    lookup_window_seconds: int = 600

    def rate_limit(self) -> RateLimitPolicy:
        return RateLimitPolicy(max_failures=self.lookup_max_failures,
                               window=timedelta(seconds=self.lookup_window_seconds))


@lru_cache(maxsize=1)
def get_portal_settings() -> PortalSettings:
    return PortalSettings()
