"""Demo data for `ecourt up`: Area 1, Ho Chi Minh City, with staff, judges, lay assessors, clerks and real filings.

Everything goes through the running system's own front doors (console accounts, assignment RPC,
intake's HTTP filing API), so the demo cases travel the same path as real ones. Seeding is
idempotent: fixed usernames, judge ids and filing keys, so restarting `ecourt up` adds nothing twice.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import httpx

from ecourt_shared.auth import Principal, Role, issue_token, load_private_key
from ecourt_shared.contracts.errors import Conflict, NotFound
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.settings import Settings, get_settings
from ecourt_shared.testing.documents import blank_pdf

COURT = "79KV01"
PASSWORD = "ecourt-demo"
ACCOUNTS = [  # username, roles, display name, judge id
    ("chanhan", "president", "Nguyễn Thị Hoa", None),
    ("thamphan.an", "judge", "Lê Văn An", "J-79KV01-001"),
    ("thamphan.binh", "judge", "Phạm Thị Bình", "J-79KV01-002"),
    ("thamphan.cuong", "judge", "Hoàng Minh Cường", "J-79KV01-003"),
    ("thuky", "clerk", "Võ Thị Duyên", None),
    ("thuky.phuong", "clerk", "Đặng Thị Phương", None),
    ("tiepnhan", "reception", "Đỗ Văn Giang", None),
    ("quantri", "it_admin", "Trần Quốc Huy", None),
]
# Lay assessors (hội thẩm nhân dân) sit on first-instance panels (Điều 11, khoản 1 Điều 63 BLTTDS 2015); they have
# no console account, so their roster ids are fixed here. Clerks sit under their console user id.
ASSESSORS = [
    ("HT-79KV01-001", "Trương Văn Hải"),
    ("HT-79KV01-002", "Lâm Thị Hằng"),
    ("HT-79KV01-003", "Mai Xuân Khôi"),
    ("HT-79KV01-004", "Quách Thị Liên"),
]
CASES = [  # key, subject, plaintiff (name, cccd, dob, sex, phone), defendant (name, cccd)
    (
        "demo-case-0001",
        "Tranh chấp hợp đồng vay tài sản",
        ("Nguyễn Văn Khánh", "079088001234", "1988-03-12", "male", "0903123456"),
        ("Lý Thị Lan", "079192004321"),
    ),
    (
        "demo-case-0002",
        "Tranh chấp quyền sử dụng đất",
        ("Trần Thị Mai", "079175002345", "1975-07-30", "female", "0938765432"),
        ("Bùi Văn Nam", "079065003456"),
    ),
    (
        "demo-case-0003",
        "Yêu cầu bồi thường thiệt hại ngoài hợp đồng",
        ("Phan Văn Oanh", "079099005678", "1999-11-02", "male", "0987654321"),
        ("Công ty TNHH ABC", "079080006789"),
    ),
]


def _token(settings: Settings, role: Role, user_id: str) -> str:
    principal = Principal(user_id=user_id, court_id=COURT, roles=[role], display_name="ecourt demo seed")
    return issue_token(principal, load_private_key(settings.key_file("private")), 600)


def _accounts() -> tuple[list[str], dict[str, str]]:
    """Create (or update) the demo accounts; return the lines to print and each username's user id."""
    user_ids: dict[str, str] = {}
    for username, roles, name, judge_id in ACCOUNTS:
        args = [
            sys.executable,
            "-m",
            "ecourt_console",
            "create-user",
            "--username",
            username,
            "--password",
            PASSWORD,
            "--display-name",
            name,
            "--roles",
            roles,
            "--court",
            COURT,
        ]
        done = subprocess.run(
            args + (["--judge-id", judge_id] if judge_id else []),
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        # "console: created account thuky (U-1A2B…) roles=…": the user id stays the same on every rerun
        found = re.search(r"account \S+ \((U-[0-9A-F]+)\)", done.stdout)
        if found:
            user_ids[username] = found.group(1)
    lines = [f"  demo accounts (password {PASSWORD}): " + ", ".join(f"{u} ({r})" for u, r, _, _ in ACCOUNTS)]
    return lines, user_ids


def _roster(rpc: RpcClientPool, admin: str, user_ids: dict[str, str]) -> None:
    """Judges, lay assessors and clerks of the demo court: upserts by id, so a rerun changes nothing."""
    members = [(judge_id, name, "judge") for _, _, name, judge_id in ACCOUNTS if judge_id]
    members += [(member_id, name, "assessor") for member_id, name in ASSESSORS]
    members += [(user_ids[u], name, "clerk") for u, roles, name, _ in ACCOUNTS if roles == "clerk" and u in user_ids]
    for member_id, name, kind in members:
        rpc.call(
            "assignment",
            "register_judge",
            token=admin,
            judge={"judge_id": member_id, "full_name": name, "specializations": ["civil"], "kind": kind},
        )


def _file(settings: Settings, token: str, case: tuple) -> dict[str, str]:
    key, subject, plaintiff, defendant = case
    body = {
        "idempotency_key": key,
        "case_type": "DS",
        "subject": subject,
        "parties": [
            {
                "role": "plaintiff",
                "full_name": plaintiff[0],
                "cccd": plaintiff[1],
                "date_of_birth": plaintiff[2],
                "sex": plaintiff[3],
                "phone": plaintiff[4],
            },
            {"role": "defendant", "full_name": defendant[0], "cccd": defendant[1]},
        ],
    }
    response = httpx.post(
        f"http://127.0.0.1:{settings.web_port('intake')}/api/v1/petitions",
        headers={"Authorization": f"Bearer {token}"},
        data={"petition": json.dumps(body)},
        files={"attachment": ("don-khoi-kien.pdf", blank_pdf(pages=2), "application/pdf")},
        timeout=30,
    )
    response.raise_for_status()
    return dict(response.json())


def seed_demo(env: dict[str, str]) -> list[str]:
    """Load demo data into the running system; return lines to print."""
    os.environ.update(env)
    get_settings.cache_clear()
    settings = get_settings()
    lines, user_ids = _accounts()
    rpc = RpcClientPool(settings.amqp_uri)
    try:
        _roster(rpc, _token(settings, Role.IT_ADMIN, "demo-seed"), user_ids)
        reception = _token(settings, Role.RECEPTION, "tiepnhan")
        filed = [_file(settings, reception, case) for case in CASES]
        president = _token(settings, Role.PRESIDENT, "chanhan")
        _assign_first(rpc, president, filed[0]["case_id"])
        _draw_first_panel(rpc, president, filed[0]["case_id"])
    finally:
        rpc.close()
    lines.append("  demo cases (case code / receipt secret for the portal):")
    lines += [f"    {f['case_code']}  {f['receipt_secret']}  {f['acceptance_number']}" for f in filed]
    return lines


def _assign_first(rpc: RpcClientPool, president: str, case_id: str) -> None:
    """Assign the first demo case so a judge has something to open; the others wait in the inbox."""
    deadline = time.monotonic() + 30
    while True:
        try:
            rpc.call("assignment", "assign_random", token=president, case_id=case_id)
            return
        except Conflict:
            return  # assigned by an earlier `ecourt up`
        except NotFound:  # the case_received event has not reached assignment yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _draw_first_panel(rpc: RpcClientPool, president: str, case_id: str) -> None:
    """Draw the trial panel (judge, two lay assessors, clerk) of the assigned demo case, once."""
    try:
        rpc.call("assignment", "draw_panel", token=president, case_id=case_id)
    except Conflict:
        return  # drawn by an earlier `ecourt up` (panel.already_drawn)
