"""An isolated ecourt environment for one test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from sqlalchemy import create_engine, text

from ecourt_shared.auth import Principal, Role, ensure_keypair, issue_token, load_private_key
from ecourt_shared.settings import Settings, get_settings

COURT = "79KV01"


@dataclass
class TestEnvironment:
    __test__ = False  # not a test class, whatever pytest thinks of its name

    data_dir: Path
    db_prefix: str
    vhost: str
    env: dict[str, str] = field(default_factory=dict)
    previous: dict[str, str | None] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        return get_settings()

    def token(self, *roles: Role, user_id: str = "u-test", court_id: str = COURT, judge_id: str | None = None,
              display_name: str = "Người kiểm thử") -> str:
        principal = Principal(user_id=user_id, court_id=court_id, roles=list(roles), display_name=display_name,
                              judge_id=judge_id)
        return issue_token(principal, load_private_key(self.settings.key_file("private")), 3600)


def _rabbitmqctl(*args: str) -> bool:
    if shutil.which("rabbitmqctl") is None:
        return False
    return subprocess.run(["rabbitmqctl", *args], capture_output=True, timeout=60).returncode == 0


def create_environment(base_dir: Path) -> TestEnvironment:
    run_id = uuid.uuid4().hex[:8]
    prefix = f"ect_{run_id}"
    vhost = f"ecourt-test-{run_id}"
    if not (_rabbitmqctl("add_vhost", vhost)
            and _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")):
        raise RuntimeError("tests need their own RabbitMQ virtual host: run them as a user who may call "
                           "rabbitmqctl (root on a developer or CI machine)")
    amqp = os.environ.get("ECOURT_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
    amqp = urlsplit(amqp)._replace(path="/" + quote(vhost, safe="")).geturl()  # same broker, our own vhost
    env = {"ECOURT_DATA_DIR": str(base_dir), "ECOURT_DB_PREFIX": prefix, "ECOURT_AMQP_URI": amqp,
           "ECOURT_OTEL_EXPORTER": "jsonl", "ECOURT_EVENT_RETRY_DELAY_MS": "200", "ECOURT_EVENT_MAX_ATTEMPTS": "3"}
    previous = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    get_settings.cache_clear()
    settings = get_settings()
    ensure_keypair(settings.key_file("private"), settings.key_file("public"))
    return TestEnvironment(data_dir=base_dir, db_prefix=prefix, vhost=vhost, env=env, previous=previous)


def destroy_environment(environment: TestEnvironment) -> None:
    _rabbitmqctl("delete_vhost", environment.vhost)
    admin = create_engine(get_settings().postgres_url.replace("postgresql://", "postgresql+psycopg2://") + "/postgres",
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        names = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                             {"p": environment.db_prefix + "\\_%"}).scalars().all()
        for name in names:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                         {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()
    _drop_mongo_databases(environment.db_prefix)
    for key, value in environment.previous.items():  # the next module starts from the caller's settings
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    get_settings.cache_clear()


def _drop_mongo_databases(prefix: str) -> None:
    from pymongo import MongoClient
    from pymongo.errors import PyMongoError

    client: MongoClient = MongoClient(get_settings().mongo_url, serverSelectionTimeoutMS=2000)
    try:
        for name in client.list_database_names():
            if name.startswith(prefix + "_"):
                client.drop_database(name)
    except PyMongoError:
        pass  # no MongoDB in this run (a module that never used it): nothing to drop
    finally:
        client.close()
