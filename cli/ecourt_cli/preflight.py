"""Preflight: RabbitMQ and PostgreSQL must answer before anything starts."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from . import sysdeps
from .common import DEFAULT_AMQP_URI, DEFAULT_POSTGRES_URL, CliError, say

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}
# psycopg2 reports every failure as OperationalError; these words mean nothing listens there.
PG_DOWN_MARKERS = ("Connection refused", "timeout expired", "No such file or directory", "could not connect")


@dataclass(frozen=True)
class Check:
    error: str | None  # None: a connection opened
    down: bool = False  # nothing answered (refused, timed out), as opposed to an answer that refused us


@dataclass(frozen=True)
class Problem:
    what: str  # "RabbitMQ" or "PostgreSQL"
    env_var: str
    url: str
    error: str
    installable: bool  # down, and at the local default port that scripts/install-system-deps.sh serves

    def headline(self) -> str:
        state = "is not reachable" if self.installable or "refused" in self.error.lower() else "is not usable"
        return f"{self.what} {state} at {redact(self.url)} ({self.error})"


def redact(url: str) -> str:
    """The URL with its password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def _is_local_default(url: str, default_port: int) -> bool:
    try:
        parts = urlsplit(url)
        return (parts.hostname or "") in LOCAL_HOSTS and (parts.port or default_port) == default_port
    except ValueError:
        return False


def check_amqp(uri: str, timeout: float = 3.0) -> Check:
    """Open (and close) an AMQP connection with kombu."""
    from kombu import Connection

    conn = Connection(uri, connect_timeout=timeout)
    try:
        conn.connect()
        return Check(None)
    except OSError as exc:  # refused, timed out, unknown host
        return Check(f"{type(exc).__name__}: {exc}", down=True)
    except Exception as exc:  # the broker answered: access refused, unknown vhost...
        return Check(f"{type(exc).__name__}: {exc}")
    finally:
        conn.release()


def check_postgres(url: str, timeout: int = 3) -> Check:
    """Open (and close) a PostgreSQL connection with psycopg2."""
    import psycopg2

    # ecourt_shared.settings takes a server URL without a database (each service adds its own): check `postgres`.
    extra = {"dbname": "postgres"} if urlsplit(url).path in ("", "/") else {}
    try:
        conn = psycopg2.connect(url, connect_timeout=timeout, **extra)
    except Exception as exc:
        text = " ".join(str(exc).split())
        return Check(f"{type(exc).__name__}: {text}", down=any(m in text for m in PG_DOWN_MARKERS))
    conn.close()
    return Check(None)


def amqp_uri() -> str:
    return os.environ.get("ECOURT_AMQP_URI") or DEFAULT_AMQP_URI


def postgres_url() -> str:
    return os.environ.get("ECOURT_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def find_problems(amqp: str | None = None, postgres: str | None = None) -> list[Problem]:
    amqp = amqp or amqp_uri()
    postgres = postgres or postgres_url()
    problems = []
    for what, env_var, url, port, check in (
        ("RabbitMQ", "ECOURT_AMQP_URI", amqp, 5672, check_amqp),
        ("PostgreSQL", "ECOURT_POSTGRES_URL", postgres, 5432, check_postgres),
    ):
        result = check(url)
        if result.error is not None:
            installable = result.down and _is_local_default(url, port)
            problems.append(Problem(what, env_var, url, result.error, installable))
    return problems


def describe(problems: list[Problem], tried_install: bool = False) -> str:
    lines = [p.headline() for p in problems]
    if tried_install:
        lines.append(f"(still, after running {sysdeps.script_path()} --services)")
    lines.append("How to fix:")
    for p in problems:
        if p.installable:
            lines.append(
                f"  - {p.what}: install and start it as root: sudo {sysdeps.script_path()} --services, "
                f"or set {p.env_var} to a running {p.what}"
            )
        else:
            lines.append(
                f"  - {p.what}: make {redact(p.url)} answer (server running, user, password, vhost or database), "
                f"or set {p.env_var} to one that does"
            )
    return "\n".join(lines)


def ensure_infrastructure(amqp: str | None = None, postgres: str | None = None, install: bool = True) -> None:
    """Raise CliError naming what is unreachable; install/start the local servers first when that can help."""
    problems = find_problems(amqp, postgres)
    if not problems:
        return
    tried = False
    if install and sysdeps.can_install() and any(p.installable for p in problems):
        for p in problems:
            if p.installable:
                say(f"{p.what} is not reachable at {redact(p.url)}; trying to install/start it")
        sysdeps.run_install("--services")
        tried = True
        problems = find_problems(amqp, postgres)
        if not problems:
            return
    raise CliError(describe(problems, tried))
