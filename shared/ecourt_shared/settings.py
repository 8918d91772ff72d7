"""Settings for every ecourt process, read from the environment with one prefix: ``ECOURT_``.

A process reads only what it needs; defaults match a developer machine (RabbitMQ and PostgreSQL on
localhost, embedded MongoDB wire server and S3 endpoint started by ``ecourt up``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

# Health/web ports per process; ECOURT_<SERVICE>_HEALTH_PORT / _WEB_PORT override them.
DEFAULT_HEALTH_PORTS = {
    "intake": 8201,
    "assignment": 8202,
    "casefile": 8203,
    "signing": 8204,
    "stats": 8205,
    "portal": 8206,
    "qlta": 8207,
}
DEFAULT_WEB_PORTS = {"intake": 8101, "portal": 8080, "qlta": 8107, "signing": 8108, "console": 8090}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ECOURT_", extra="ignore")

    court_id: str = "79KV01"
    data_dir: Path = Path(".data")
    amqp_uri: str = "amqp://guest:guest@127.0.0.1:5672/"
    postgres_url: str = "postgresql://postgres@127.0.0.1:5432"
    db_prefix: str = "ecourt"
    mongo_url: str = "mongodb://127.0.0.1:27117"
    s3_endpoint: str = "127.0.0.1:9100"
    s3_access_key: str = "ecourt"
    s3_secret_key: str = "ecourt-dev-secret"
    s3_region: str = "us-east-1"
    s3_secure: bool = False
    otel_exporter: str = "none"  # none | console | jsonl | otlp
    otel_endpoint: str = ""
    auth_private_key_file: Path | None = None
    auth_public_key_file: Path | None = None
    token_ttl_seconds: int = 8 * 3600
    rpc_timeout_seconds: float = 30.0
    max_attachment_bytes: int = 20 * 1024 * 1024
    event_max_attempts: int = 5
    event_retry_delay_ms: int = 2000
    bind_host: str = "127.0.0.1"

    def database_url(self, service: str) -> str:
        """The SQLAlchemy URL of a service's own database (one database per service)."""
        # The server's address only: a database named in ECOURT_POSTGRES_URL is ignored, never nested.
        from urllib.parse import urlsplit

        base = urlsplit(self.postgres_url)._replace(path="", query="", fragment="").geturl()
        if base.startswith("postgresql://"):
            base = "postgresql+psycopg2://" + base.removeprefix("postgresql://")
        return f"{base}/{self.db_prefix}_{service.replace('-', '_')}"

    def health_port(self, service: str) -> int:
        return _port_override(service, "HEALTH") or DEFAULT_HEALTH_PORTS[service]

    def web_port(self, service: str) -> int:
        return _port_override(service, "WEB") or DEFAULT_WEB_PORTS[service]

    def key_file(self, which: str) -> Path:
        explicit = self.auth_private_key_file if which == "private" else self.auth_public_key_file
        return explicit or self.data_dir / "keys" / f"auth-{which}.pem"


def _port_override(service: str, kind: str) -> int | None:
    import os

    raw = os.environ.get(f"ECOURT_{service.upper().replace('-', '_')}_{kind}_PORT")
    return int(raw) if raw else None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
