"""How long opening a full dossier takes: one case with 50 documents, through casefile's ``get_dossier`` RPC.

Starts intake (worker and web), assignment and casefile as separate processes in an isolated environment,
files one civil petition over HTTP (two parties in intake's registry, the petition PDF), assigns it by a
random draw, and adds documents through ``casefile.add_document`` until the dossier lists 50 (scanned-size
PDFs from 20 KB to 1.5 MB; every fifth upload a new version of an earlier document). Then, as the assigned
judge, it opens the full dossier N times one after another (each open: the case state, deadlines, steps and
stages from PostgreSQL, the dossier from MongoDB, the parties from intake's registry over RPC with CCCD and
phone masked, and one committed access-log row), and the same with ``--threads`` callers at once. As a
baseline in the same run it times bare nameko RPC round trips (``casefile.ping``), and for comparison the
essentials view (no personal data, no registry call, no log row) as an unassigned judge.

    .venv/bin/python bench/dossier_open.py [--opens 500] [--threads 8]

Prints p50/p99, opens per second and the ratio of an open's p50 to the RPC round trip's p50.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from harness import percentile, ping_round_trips, ratio, running_system, summary

from ecourt_shared.auth import Role
from ecourt_shared.contracts.errors import NotFound
from ecourt_shared.mongo import service_database
from ecourt_shared.testing.documents import blank_pdf, petition

DOCUMENTS = 50
TITLES = ["Biên bản lấy lời khai", "Biên bản hòa giải", "Chứng cứ: hợp đồng vay", "Giấy ủy quyền",
          "Bản tự khai", "Biên bản xem xét thẩm định tại chỗ", "Thông báo thụ lý", "Giấy triệu tập"]


def scanned_sizes(count: int, seed: int = 7) -> list[int]:
    """Padding bytes giving file sizes from about 20 KB to 1.5 MB, most of them small (as scans are)."""
    rng = random.Random(seed)
    return [int(min(1_500_000, 20_000 * rng.paretovariate(1.2))) for _ in range(count)]


def file_and_assign(system) -> str:
    """A civil petition filed over HTTP and assigned by a random draw; returns the case id."""
    reception = system.token(Role.RECEPTION, user_id="u-bench-reception")
    president = system.token(Role.PRESIDENT, user_id="u-bench-president")
    response = httpx.post(f"{system.urls['intake-web']}/api/v1/petitions",
                          headers={"Authorization": f"Bearer {reception}"},
                          data={"petition": json.dumps(petition(f"bench-dossier-{system.base.name}"))},
                          files={"attachment": ("don.pdf", blank_pdf(pages=3), "application/pdf")}, timeout=30)
    response.raise_for_status()
    case_id = response.json()["case_id"]
    started = time.monotonic()
    while not any(c["case_id"] == case_id for c in system.rpc.call("assignment", "inbox", token=president)):
        if time.monotonic() - started > 60:
            raise SystemExit("the case did not reach the president's inbox in 60 s")
        time.sleep(0.1)
    system.rpc.call("assignment", "assign_random", token=president, case_id=case_id)
    return case_id


def assigned_judge(system, president: str, case_id: str) -> str:
    """The case's judge, once both the case and its assignment have reached casefile."""
    started = time.monotonic()
    while time.monotonic() - started < 60:
        try:
            judge_id = system.rpc.call("casefile", "get_dossier", token=president, case_id=case_id)["judge_id"]
        except NotFound:
            judge_id = None
        if judge_id:
            return str(judge_id)
        time.sleep(0.1)
    raise SystemExit("the case and its judge did not reach casefile in 60 s")


def add_documents(system, token: str, case_id: str) -> tuple[int, int]:
    """Upload until the dossier lists ``DOCUMENTS``; returns how many it lists and the bytes uploaded."""
    listed, total, uploaded = 1, 0, []
    for i, padding in enumerate(scanned_sizes(DOCUMENTS * 2)):
        if listed >= DOCUMENTS:
            break
        data = blank_pdf(pages=1 + i % 5, padding_bytes=padding)
        replaces = uploaded[i // 5 % len(uploaded)] if uploaded and i % 5 == 4 else None
        added = system.rpc.call("casefile", "add_document", token=token, case_id=case_id,
                                title=f"{TITLES[i % len(TITLES)]} số {i + 1}", filename=f"tai-lieu-{i + 1}.pdf",
                                content_base64=base64.b64encode(data).decode(), replaces_document_id=replaces)
        total += len(data)
        if replaces is None:
            uploaded.append(added["document_id"])
        view = system.rpc.call("casefile", "get_dossier", token=token, case_id=case_id)
        listed = len(view["documents"])
    return listed, total


def timed(call, count: int) -> list[float]:
    seconds = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=500)
    parser.add_argument("--pings", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    processes = [("ecourt_intake", "worker"), ("ecourt_intake", "web"), ("ecourt_assignment", "worker"),
                 ("ecourt_casefile", "worker")]
    with running_system(processes, rpc_options={"size": max(8, args.threads)}) as system:
        admin = system.token(Role.IT_ADMIN, user_id="u-bench-admin")
        for judge_id, name in (("J-79KV01-001", "Lê Văn Cường"), ("J-79KV01-002", "Phạm Thị Dung")):
            system.rpc.call("assignment", "register_judge", token=admin,
                            judge={"judge_id": judge_id, "full_name": name, "specializations": ["civil"]})
        president = system.token(Role.PRESIDENT, user_id="u-bench-president")
        case_id = file_and_assign(system)
        judge_id = assigned_judge(system, president, case_id)
        judge = system.token(Role.JUDGE, user_id="u-bench-judge", judge_id=judge_id)
        other = next(j for j in ("J-79KV01-001", "J-79KV01-002") if j != judge_id)
        unassigned_judge = system.token(Role.JUDGE, user_id="u-bench-judge-2", judge_id=other)
        listed, total = add_documents(system, judge, case_id)

        def open_full() -> dict:
            return system.rpc.call("casefile", "get_dossier", token=judge, case_id=case_id)

        sample = open_full()
        assert sample["view"] == "full" and len(sample["documents"]) == listed and not sample["notices"]
        assert all(p["full_name"] and p["masked"] for p in sample["party_details"])
        versions = sum(1 for d in sample["documents"] if d["version"] > 1)

        pings = ping_round_trips(system.rpc, "casefile", args.pings)  # after 50 untimed warm-up calls
        timed(open_full, 20)  # warm-up
        opens = timed(open_full, args.opens)
        essentials = timed(lambda: system.rpc.call("casefile", "get_dossier", token=unassigned_judge,
                                                   case_id=case_id), args.opens)
        # Parts of an open, timed alone from here: the registry call casefile makes, and the dossier document read.
        party_ids = [p["party_id"] for p in sample["parties"]]
        registry = timed(lambda: system.rpc.call("intake", "dossier_parties", token=judge, party_ids=party_ids,
                                                 case_id=case_id), args.opens)
        settings = system.env.settings.model_copy(update={"mongo_url": system.env.env["ECOURT_MONGO_URL"]})
        dossiers = service_database(settings, "casefile")["dossiers"]
        mongo_reads = timed(lambda: dossiers.find_one({"_id": case_id}), args.opens)
        with ThreadPoolExecutor(args.threads) as pool:
            begun = time.perf_counter()
            concurrent = list(pool.map(lambda _: timed(open_full, 1)[0], range(args.opens)))
            wall = time.perf_counter() - begun

        print(f"machine: {os.cpu_count()} cores; every service a separate process; one case, {listed} documents "
              f"({versions} later versions, {total / 1e6:.1f} MB of PDFs), {len(sample['party_details'])} parties")
        print(summary("nameko RPC round trip", pings, width=36))
        print(summary("open full dossier (sequential)", opens, width=36))
        print(summary("open essentials view (sequential)", essentials, width=36))
        print(summary("  part: intake.dossier_parties RPC", registry, width=36))
        print(summary("  part: MongoDB read of the dossier", mongo_reads, width=36))
        print(summary(f"open full dossier ({args.threads} threads)", concurrent, width=36, rate_width=None)
              + f"  rate={len(concurrent) / wall:8.1f}/s")
        print(f"ratio full open p50 / RPC p50: {ratio(opens, pings):.1f}x; p99 / RPC p99: "
              f"{percentile(opens, 0.99) / percentile(pings, 0.99):.1f}x; essentials p50 / RPC p50: "
              f"{ratio(essentials, pings):.1f}x")


if __name__ == "__main__":
    main()
