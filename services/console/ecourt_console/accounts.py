"""Staff accounts: creating or updating one (``upsert_account``), and checking a login (``authenticate``).

``python -m ecourt_console create-user --username chanhan --password '...' --display-name 'Nguyễn Văn A'
--roles president,judge --court 79KV01 --judge-id J-0001`` calls :func:`upsert_account`; so does the demo
seeder. Upserting an existing username updates it; if its roles, court, judge id or password change,
its open sessions end (their tokens would carry the old identity).
"""

from __future__ import annotations

import argparse
import getpass
import re
import secrets
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import OperationalError, ProgrammingError

from ecourt_console.adapters import sessions as session_store
from ecourt_console.adapters import throttle_store
from ecourt_console.adapters.db import Target, transaction
from ecourt_console.adapters.orm import accounts, sessions
from ecourt_console.domain.passwords import (
    DEFAULT_PARAMS,
    PasswordPolicyError,
    ScryptParams,
    check_password_policy,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from ecourt_console.domain.roles import parse_roles
from ecourt_console.domain.throttle import ThrottlePolicy
from ecourt_shared.auth import Principal, Role

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
COURT_ID = re.compile(r"[A-Z0-9]{2,20}")
JUDGE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


class AccountError(ValueError):
    """An account cannot be created as asked; the messages say why in both languages."""

    def __init__(self, field: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{field}: {message_en}")
        self.field = field
        self.message_vi = message_vi
        self.message_en = message_en


@dataclass(frozen=True)
class Account:
    username: str
    user_id: str
    display_name: str
    roles: list[Role]
    court_id: str
    judge_id: str | None
    active: bool = True

    def principal(self) -> Principal:
        return Principal(user_id=self.user_id, court_id=self.court_id, roles=list(self.roles),
                         display_name=self.display_name, judge_id=self.judge_id)


@dataclass(frozen=True)
class UpsertResult:
    account: Account
    created: bool
    sessions_revoked: int


def normalize_username(raw: str) -> str:
    return unicodedata.normalize("NFC", raw).strip().lower()


def _validated(username: str, password: str, display_name: str, roles: str | Sequence[str], court_id: str,
               judge_id: str | None) -> tuple[str, str, list[Role], str, str | None]:
    user = normalize_username(username)
    if not USERNAME.fullmatch(user):
        raise AccountError("username", "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch.",
                           "a username has 3-64 characters: a-z, digits, dot, hyphen, underscore")
    try:
        check_password_policy(password)
    except PasswordPolicyError as exc:
        raise AccountError("password", exc.message_vi, exc.message_en) from None
    name = unicodedata.normalize("NFC", display_name).strip()
    if not 1 <= len(name) <= 200:
        raise AccountError("display_name", "Họ tên hiển thị phải có từ 1 đến 200 ký tự.",
                           "the display name must have 1-200 characters")
    try:
        role_list = parse_roles(roles if isinstance(roles, str) else list(roles))
    except ValueError as exc:
        raise AccountError("roles", f"Vai trò không hợp lệ: {exc}", str(exc)) from None
    court = court_id.strip().upper()
    if not COURT_ID.fullmatch(court):
        raise AccountError("court_id", "Mã tòa án gồm 2–20 chữ in hoa hoặc chữ số (ví dụ 79KV01).",
                           "a court id has 2-20 uppercase letters or digits (e.g. 79KV01)")
    judge = (judge_id or "").strip() or None
    if judge is not None and not JUDGE_ID.fullmatch(judge):
        raise AccountError("judge_id", "Mã thẩm phán không hợp lệ.", "the judge id is not valid")
    if Role.JUDGE in role_list and judge is None:
        raise AccountError("judge_id",
                           "Tài khoản Thẩm phán cần mã thẩm phán trong danh sách phân công (--judge-id).",
                           "a judge account needs the judge's id in assignment's roster (--judge-id)")
    return user, name, role_list, court, judge


def _account(row: Any) -> Account:
    return Account(username=row.username, user_id=row.user_id, display_name=row.display_name,
                   roles=[Role(r) for r in row.roles], court_id=row.court_id, judge_id=row.judge_id,
                   active=row.active)


def upsert_account(engine_or_uow: Target, username: str, password: str, display_name: str,
                   roles: str | Sequence[str], court_id: str, judge_id: str | None = None, *,
                   params: ScryptParams = DEFAULT_PARAMS, now: datetime | None = None) -> UpsertResult:
    """Create the account, or update the one with this username (and make it active).

    ``engine_or_uow``: an Engine or database URL (committed here), or a Connection / UnitOfWork (the
    caller commits). ``roles``: ``"president,judge"`` or a list. Raises :class:`AccountError`.
    """
    user, name, role_list, court, judge = _validated(username, password, display_name, roles, court_id, judge_id)
    instant = now or datetime.now(UTC)
    role_values = [r.value for r in role_list]
    with transaction(engine_or_uow) as execute:
        inserted = execute(insert(accounts).values(
            username=user, user_id=f"U-{secrets.token_hex(8).upper()}", display_name=name, roles=role_values,
            court_id=court, judge_id=judge, password_hash=hash_password(password, params), active=True,
            created_at=instant, updated_at=instant, password_changed_at=instant,
        ).on_conflict_do_nothing(index_elements=["username"]).returning(*accounts.c)).first()
        if inserted is not None:
            return UpsertResult(_account(inserted), created=True, sessions_revoked=0)
        row = execute(select(accounts).where(accounts.c.username == user).with_for_update()).one()
        same_password = verify_password(password, row.password_hash)
        identity_changed = (list(row.roles) != role_values or row.court_id != court or row.judge_id != judge
                            or row.display_name != name or not row.active)
        values: dict[str, Any] = {"display_name": name, "roles": role_values, "court_id": court,
                                  "judge_id": judge, "active": True, "updated_at": instant}
        if not same_password or needs_rehash(row.password_hash, params):
            values["password_hash"] = hash_password(password, params)
        if not same_password:
            values["password_changed_at"] = instant
        updated = execute(accounts.update().where(accounts.c.username == user).values(**values)
                          .returning(*accounts.c)).one()
        revoked = 0
        if identity_changed or not same_password:
            revoked = int(execute(update(sessions).where(sessions.c.user_id == row.user_id,
                                                         sessions.c.revoked_at.is_(None))
                                  .values(revoked_at=instant)).rowcount or 0)
    return UpsertResult(_account(updated), created=False, sessions_revoked=revoked)


def find_account(target: Target, username: str) -> Account | None:
    with transaction(target) as execute:
        row = execute(select(accounts).where(accounts.c.username == normalize_username(username))).first()
    return _account(row) if row else None


@dataclass(frozen=True)
class LoginRefused:
    """Why a login failed: ``invalid`` (wrong username or password: never says which) or ``throttled``."""

    reason: str
    retry_at: datetime | None = None


def authenticate(target: Target, username: str, password: str, client_ip: str, *,
                 policy: ThrottlePolicy | None = None, params: ScryptParams = DEFAULT_PARAMS,
                 now: datetime | None = None) -> Account | LoginRefused:
    """Check a login. Throttled pairs are refused before the password is even checked."""
    policy = policy or ThrottlePolicy()
    instant = now or datetime.now(UTC)
    user = normalize_username(username)[:64]
    retry_at = policy.blocked_until(throttle_store.current_state(target, user, client_ip), instant)
    if retry_at is not None:
        return LoginRefused("throttled", retry_at)
    with transaction(target) as execute:
        row = execute(select(accounts).where(accounts.c.username == user)).first()
    stored = row.password_hash if row is not None else dummy_hash(params)
    matches = verify_password(password, stored)  # spend the same time whether or not the user exists
    if row is None or not row.active or not matches:
        state = throttle_store.record_failure(target, user, client_ip, policy, instant)
        if state.blocked_until is not None:
            return LoginRefused("throttled", state.blocked_until)
        return LoginRefused("invalid")
    throttle_store.clear(target, user, client_ip)
    if needs_rehash(row.password_hash, params):
        with transaction(target) as execute:
            execute(accounts.update().where(accounts.c.username == user)
                    .values(password_hash=hash_password(password, params)))
    return _account(row)


def deactivate_account(target: Target, username: str, now: datetime | None = None) -> bool:
    """Disable a login and end its sessions; the row stays (tokens and records name its user_id)."""
    instant = now or datetime.now(UTC)
    with transaction(target) as execute:
        row = execute(accounts.update().where(accounts.c.username == normalize_username(username))
                      .values(active=False, updated_at=instant).returning(accounts.c.user_id)).first()
        if row is None:
            return False
    session_store.revoke_user_sessions(target, row.user_id, instant)
    return True


# --- command line ---------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ecourt_console create-user",
        description="Tạo hoặc cập nhật tài khoản cán bộ (create or update a staff account).")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", help="omit to read it from the terminal (or one line of stdin)")
    parser.add_argument("--display-name", required=True)
    parser.add_argument("--roles", required=True, help="comma-separated: president,judge,clerk,reception,it_admin")
    parser.add_argument("--court", required=True, help="court id, e.g. 79KV01")
    parser.add_argument("--judge-id", default=None, help="the judge's id in assignment's roster (judges only)")
    return parser


def create_user_main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    password = args.password
    if password is None:
        password = getpass.getpass("Mật khẩu (password): ") if sys.stdin.isatty() else sys.stdin.readline()
        password = password.rstrip("\r\n")
    from ecourt_shared.settings import get_settings

    url = get_settings().database_url("console")
    try:
        result = upsert_account(url, args.username, password, args.display_name, args.roles, args.court,
                                args.judge_id)
    except AccountError as exc:
        print(f"create-user: {exc.message_vi} ({exc.message_en})", file=sys.stderr)
        return 2
    except (OperationalError, ProgrammingError) as exc:
        print(f"create-user: không ghi được vào cơ sở dữ liệu của console; đã chạy `python -m ecourt_console "
              f"migrate` chưa? (cannot write to the console database; run migrate first?)\n{exc.orig}",
              file=sys.stderr)
        return 1
    account = result.account
    verb = "created" if result.created else "updated"
    print(f"console: {verb} account {account.username} ({account.user_id}) roles={','.join(account.roles)} "
          f"court={account.court_id}" + (f" judge_id={account.judge_id}" if account.judge_id else ""))
    return 0
