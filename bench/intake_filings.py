"""Filings per second with one 200 KB attachment, end to end to the president's inbox, on the real components.

Starts intake (worker and web) and assignment in an isolated environment (as `ecourt up` does, only the processes
on this path), files petitions over HTTP with a 200 KB PDF and, for each, measures the time from sending the
request until the case appears in the president's inbox (`assignment.inbox` polled over RPC): validation, content
checks, S3 storage, the accepting transaction with its gap-free numbers, the outbox relay, RabbitMQ and
assignment's consumer. As a baseline measured in the same run it times bare nameko RPC round trips (`intake.ping`).

    .venv/bin/python bench/intake_filings.py [--filings 100] [--concurrency 4]

Prints sequential latency p50/p99, the throughput of --concurrency parallel filers, and ratios to the RPC p50.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from harness import ping_round_trips, ratio, running_system, summary

from ecourt_shared.auth import Role
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf, petition

PATH = (("ecourt_intake", "worker"), ("ecourt_intake", "web"), ("ecourt_assignment", "worker"))


class Filer:
    def __init__(self, intake_url: str, rpc: RpcClientPool, reception: str, president: str, pdf: bytes) -> None:
        self.intake_url, self.rpc, self.reception, self.president, self.pdf = (intake_url, rpc, reception, president,
                                                                               pdf)

    def file_to_inbox(self, key: str, client: httpx.Client) -> tuple[float, float]:
        """(seconds to the HTTP answer, seconds until the case is in the president's inbox)."""
        started = time.perf_counter()
        response = client.post(f"{self.intake_url}/api/v1/petitions",
                               headers={"Authorization": f"Bearer {self.reception}"},
                               data={"petition": json.dumps(petition(key))},
                               files={"attachment": ("don.pdf", self.pdf, "application/pdf")})
        answered = time.perf_counter() - started
        response.raise_for_status()
        case_id = response.json()["case_id"]
        while not any(c["case_id"] == case_id for c in self.rpc.call("assignment", "inbox", token=self.president)):
            if time.perf_counter() - started > 60:
                raise SystemExit(f"{key} did not reach the president's inbox in 60 s")
            time.sleep(0.002)
        return answered, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--filings", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--pings", type=int, default=1000)
    args = parser.parse_args()

    with running_system(PATH, prefix="ecourt-bench-intake-") as system:
        urls, rpc, base = system.urls, system.rpc, system.base
        pdf = blank_pdf(padding_bytes=200 * 1024)
        filer = Filer(urls["intake-web"], rpc, system.token(Role.RECEPTION), system.token(Role.PRESIDENT), pdf)

        pings = ping_round_trips(rpc, "intake", args.pings)  # after 50 untimed warm-up calls

        with httpx.Client(timeout=60) as client:
            for i in range(5):
                filer.file_to_inbox(f"bench-warm-{i}-{base.name}", client)
            timings = [filer.file_to_inbox(f"bench-seq-{i:06d}-{base.name}", client) for i in range(args.filings)]

        # In parallel, one watcher polls the inbox for everybody (four pollers would mostly measure themselves).
        sent: dict[str, float] = {}
        seen: dict[str, float] = {}

        def one(i: int) -> None:
            with httpx.Client(timeout=60) as client:
                started = time.perf_counter()
                response = client.post(f"{urls['intake-web']}/api/v1/petitions",
                                       headers={"Authorization": f"Bearer {filer.reception}"},
                                       data={"petition": json.dumps(petition(f"bench-par-{i:06d}-{base.name}"))},
                                       files={"attachment": ("don.pdf", pdf, "application/pdf")})
                response.raise_for_status()
                sent[response.json()["case_id"]] = started

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            pending = [pool.submit(one, i) for i in range(args.filings)]
            while len(seen) < args.filings:
                now = time.perf_counter()
                for case in rpc.call("assignment", "inbox", token=filer.president):
                    if case["case_id"] in sent and case["case_id"] not in seen:
                        seen[case["case_id"]] = now
                if now - started > 120:
                    raise SystemExit("parallel filings did not all reach the inbox in 120 s")
                time.sleep(0.005)
            for future in pending:
                future.result()
        wall = max(seen.values()) - started
        parallel = [seen[c] - sent[c] for c in seen]

        answered, inbox = [t[0] for t in timings], [t[1] for t in timings]
        print(f"machine: {os.cpu_count()} cores; intake worker + web and assignment as separate processes; "
              f"attachment {len(pdf)} bytes (PDF)")
        print(summary("nameko RPC round trip (intake.ping)", pings))
        print(summary("filing HTTP answer (sequential)", answered))
        print(summary("filing -> president's inbox (seq.)", inbox))
        print(summary(f"filing -> inbox ({args.concurrency} parallel)", parallel))
        print(f"throughput with {args.concurrency} parallel filers: {len(parallel) / wall:.1f} filings/s "
              f"(sequential: {len(inbox) / sum(inbox):.1f} filings/s)")
        print(f"ratio filing->inbox p50 / RPC p50: {ratio(inbox, pings):.1f}x")


if __name__ == "__main__":
    main()
