"""How long one filing takes to reach the public portal, end to end, on the real components.

Starts every process of the system (as `ecourt up` does) in an isolated environment, files N civil
petitions over HTTP one after another, and for each measures the time from sending the HTTP request
until the portal's lookup answers with the case's judge-less status and its first statutory deadline
(which needs intake, the relay, RabbitMQ, casefile's deadline engine, casefile's relay and the portal
consumer). As a baseline measured in the same run, it times bare nameko RPC round trips (`intake.ping`).

    .venv/bin/python bench/filing_to_portal.py [--filings 100]

Prints rates, p50/p99 and the ratio of the filing's p50 to the RPC round trip's p50.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import httpx
from harness import ping_round_trips, ratio, running_system, summary

from ecourt_cli.processes import PROCESSES
from ecourt_shared.auth import Role
from ecourt_shared.testing.documents import blank_pdf, petition


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=100)
    parser.add_argument("--pings", type=int, default=1000)
    args = parser.parse_args()

    # The benchmark polls the portal until each case appears; its "not found yet" answers must not trip the
    # per-client failed-lookup limit that protects receipt secrets (tested in the portal's own tests).
    with running_system([(spec.module, spec.command) for spec in PROCESSES],
                        extra_env={"ECOURT_PORTAL_LOOKUP_MAX_FAILURES": "1000000"}) as system:
        urls, rpc, base = system.urls, system.rpc, system.base
        reception = system.token(Role.RECEPTION)
        pdf = blank_pdf()
        client = httpx.Client(timeout=30)

        pings = ping_round_trips(rpc, "intake", args.pings)  # after 50 untimed warm-up calls

        filings, http_only = [], []
        for i in range(args.filings):
            started = time.perf_counter()
            response = client.post(f"{urls['intake-web']}/api/v1/petitions",
                                   headers={"Authorization": f"Bearer {reception}"},
                                   data={"petition": json.dumps(petition(f"bench-{i:06d}-{base.name}"))},
                                   files={"attachment": ("don.pdf", pdf, "application/pdf")})
            http_only.append(time.perf_counter() - started)
            response.raise_for_status()
            filed = response.json()
            while True:
                found = client.post(f"{urls['portal-web']}/api/v1/lookup",
                                    json={"case_code": filed["case_code"], "receipt_secret": filed["receipt_secret"]})
                if found.status_code == 200 and "203" in found.text:
                    break
                if time.perf_counter() - started > 60:
                    raise SystemExit(f"filing {i} did not reach the portal in 60 s")
                time.sleep(0.002)
            filings.append(time.perf_counter() - started)

        print(f"machine: {os.cpu_count()} cores; every service a separate process; sequential filings")
        print(summary("nameko RPC round trip", pings, width=28))
        print(summary("filing HTTP response", http_only, width=28))
        print(summary("filing -> portal shows it", filings, width=28))
        print(f"ratio filing->portal p50 / RPC p50: {ratio(filings, pings):.1f}x")


if __name__ == "__main__":
    main()
