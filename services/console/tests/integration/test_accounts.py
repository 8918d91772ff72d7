"""Accounts on the real PostgreSQL: upsert, login checks, throttling rows, sessions ending."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ecourt_console.accounts import (
    AccountError,
    LoginRefused,
    authenticate,
    deactivate_account,
    find_account,
    upsert_account,
)
from ecourt_console.adapters import sessions as session_store
from ecourt_console.adapters.db import engine_for
from ecourt_console.adapters.orm import accounts, login_throttle
from ecourt_console.domain.passwords import ScryptParams, parse_hash
from ecourt_console.domain.throttle import ThrottlePolicy
from ecourt_shared.auth import Role
from ecourt_shared.db import UnitOfWorkFactory

pytestmark = pytest.mark.integration

FAST = ScryptParams(n=2**10)
POLICY = ThrottlePolicy(max_failures=3)


@pytest.fixture(scope="module")
def engine(ecourt_env, migrated):
    migrated("ecourt_console")
    engine = engine_for(ecourt_env.settings.database_url("console"))
    yield engine
    engine.dispose()


def test_upsert_creates_then_updates_the_same_account(engine):
    created = upsert_account(engine, "  ChanhAn.KV1 ", "mật khẩu ban đầu", "Nguyễn Văn Chánh", "president,judge",
                             "79kv01", "J-0001", params=FAST)
    assert created.created and created.account.username == "chanhan.kv1"
    assert created.account.roles == [Role.PRESIDENT, Role.JUDGE] and created.account.court_id == "79KV01"
    updated = upsert_account(engine, "chanhan.kv1", "mật khẩu ban đầu", "Nguyễn Văn Chánh", ["president"],
                             "79KV01", None, params=FAST)
    assert not updated.created and updated.account.user_id == created.account.user_id
    assert updated.account.roles == [Role.PRESIDENT] and updated.account.judge_id is None
    with engine.connect() as conn:
        stored = conn.execute(select(accounts.c.password_hash).where(accounts.c.username == "chanhan.kv1")).scalar_one()
    assert parse_hash(stored).params == FAST and "mật khẩu" not in stored


def test_upsert_inside_a_unit_of_work_commits_with_the_caller(engine):
    from ecourt_console.adapters.orm import metadata

    uows = UnitOfWorkFactory(engine, metadata)
    with uows() as uow:
        upsert_account(uow, "rollback.me", "một mật khẩu dài", "Không lưu", "clerk", "79KV01", params=FAST)
    assert find_account(engine, "rollback.me") is None  # no commit, no account
    with uows() as uow:
        upsert_account(uow, "commit.me", "một mật khẩu dài", "Được lưu", "clerk", "79KV01", params=FAST)
        uow.commit()
    assert find_account(engine, "commit.me") is not None


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"username": "a"}, "username"), ({"username": "có dấu"}, "username"), ({"password": "short"}, "password"),
    ({"roles": "president,citizen"}, "roles"), ({"roles": ""}, "roles"), ({"court_id": "79 KV 01"}, "court_id"),
    ({"roles": "judge", "judge_id": None}, "judge_id"), ({"display_name": "  "}, "display_name"),
])
def test_upsert_refuses_bad_accounts_with_bilingual_reasons(engine, kwargs, field):
    args = {"username": "valid.user", "password": "một mật khẩu dài", "display_name": "Cán bộ", "roles": "clerk",
            "court_id": "79KV01", "judge_id": None, **kwargs}
    with pytest.raises(AccountError) as refused:
        upsert_account(engine, params=FAST, **args)
    assert refused.value.field == field and refused.value.message_vi and refused.value.message_en


def test_authenticate_checks_the_password_and_active_flag(engine):
    upsert_account(engine, "thamphan.a", "đúng mật khẩu 1", "Thẩm phán A", "judge", "79KV01", "J-0101", params=FAST)
    account = authenticate(engine, "ThamPhan.A", "đúng mật khẩu 1", "10.0.0.1", policy=POLICY, params=FAST)
    assert not isinstance(account, LoginRefused) and account.principal().judge_id == "J-0101"
    assert authenticate(engine, "thamphan.a", "sai mật khẩu", "10.0.0.1", policy=POLICY, params=FAST) == \
        LoginRefused("invalid")
    assert deactivate_account(engine, "thamphan.a")
    assert authenticate(engine, "thamphan.a", "đúng mật khẩu 1", "10.0.0.1", policy=POLICY, params=FAST) == \
        LoginRefused("invalid")


def test_throttling_is_per_username_and_address_and_a_success_clears_it(engine):
    upsert_account(engine, "thuky.b", "đúng mật khẩu 2", "Thư ký B", "clerk", "79KV01", params=FAST)
    now = datetime(2030, 1, 1, tzinfo=UTC)
    for _ in range(2):
        assert authenticate(engine, "thuky.b", "sai", "10.0.0.2", policy=POLICY, params=FAST, now=now) == \
            LoginRefused("invalid")
    third = authenticate(engine, "thuky.b", "sai", "10.0.0.2", policy=POLICY, params=FAST, now=now)
    assert isinstance(third, LoginRefused) and third.reason == "throttled"
    blocked = authenticate(engine, "thuky.b", "đúng mật khẩu 2", "10.0.0.2", policy=POLICY, params=FAST, now=now)
    assert isinstance(blocked, LoginRefused) and blocked.reason == "throttled"
    # another address is not blocked, and its success clears only its own row
    ok = authenticate(engine, "thuky.b", "đúng mật khẩu 2", "10.0.0.3", policy=POLICY, params=FAST, now=now)
    assert not isinstance(ok, LoginRefused)
    later = now + POLICY.block + timedelta(seconds=1)
    assert not isinstance(authenticate(engine, "thuky.b", "đúng mật khẩu 2", "10.0.0.2", policy=POLICY,
                                       params=FAST, now=later), LoginRefused)
    with engine.connect() as conn:
        assert conn.execute(select(login_throttle).where(login_throttle.c.username == "thuky.b")).first() is None


def test_a_login_rehashes_a_password_stored_with_older_parameters(engine):
    upsert_account(engine, "cu.hash", "mật khẩu cũ 123", "Cũ", "clerk", "79KV01", params=ScryptParams(n=2**9))
    assert not isinstance(authenticate(engine, "cu.hash", "mật khẩu cũ 123", "10.0.0.4", params=FAST), LoginRefused)
    with engine.connect() as conn:
        stored = conn.execute(select(accounts.c.password_hash).where(accounts.c.username == "cu.hash")).scalar_one()
    assert parse_hash(stored).params == FAST


def test_changing_roles_or_password_ends_open_sessions(engine):
    result = upsert_account(engine, "doi.vaitro", "mật khẩu số một", "Đổi", "clerk", "79KV01", params=FAST)
    now = datetime.now(UTC)
    session_store.open_session(engine, "token-1", result.account.user_id, now, now + timedelta(hours=1))
    assert session_store.session_is_live(engine, "token-1", now)
    same = upsert_account(engine, "doi.vaitro", "mật khẩu số một", "Đổi", "clerk", "79KV01", params=FAST)
    assert same.sessions_revoked == 0 and session_store.session_is_live(engine, "token-1", now)
    changed = upsert_account(engine, "doi.vaitro", "mật khẩu số một", "Đổi", "clerk,reception", "79KV01",
                             params=FAST)
    assert changed.sessions_revoked == 1 and not session_store.session_is_live(engine, "token-1", now)
    session_store.open_session(engine, "token-2", result.account.user_id, now, now + timedelta(hours=1))
    upsert_account(engine, "doi.vaitro", "mật khẩu số hai", "Đổi", "clerk,reception", "79KV01", params=FAST)
    assert not session_store.session_is_live(engine, "token-2", now)


def test_sessions_expire_and_are_revoked_one_by_one(engine):
    user_id = upsert_account(engine, "phien.lam.viec", "mật khẩu phiên 1", "Phiên", "clerk", "79KV01",
                             params=FAST).account.user_id
    now = datetime.now(UTC)
    session_store.open_session(engine, "token-a", user_id, now, now + timedelta(hours=1))
    session_store.open_session(engine, "token-b", user_id, now, now + timedelta(hours=1))
    session_store.revoke_session(engine, "token-a", now)
    assert not session_store.session_is_live(engine, "token-a", now)
    assert session_store.session_is_live(engine, "token-b", now)
    assert not session_store.session_is_live(engine, "token-b", now + timedelta(hours=2))
