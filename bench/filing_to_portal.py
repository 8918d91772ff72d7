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
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from ecourt_cli.processes import PROCESSES
from ecourt_cli.standins import start_standins
from ecourt_shared.auth import Role
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf, petition
from ecourt_shared.testing.environment import create_environment, destroy_environment
from ecourt_shared.testing.processes import free_port, run_command, start_process


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    rate = len(seconds) / sum(seconds)
    return (f"{name:<28} n={len(ms):<5} p50={percentile(ms, 0.5):8.2f} ms  p99={percentile(ms, 0.99):8.2f} ms  "
            f"mean={statistics.fmean(ms):8.2f} ms  rate={rate:8.1f}/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=100)
    parser.add_argument("--pings", type=int, default=1000)
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="ecourt-bench-"))
    standins = start_standins(base, free_port(), free_port())
    env = create_environment(base)
    env.env.update(standins.env)
    import os

    os.environ.update(standins.env)
    env.env["ECOURT_OTEL_EXPORTER"] = "none"
    # The benchmark polls the portal until each case appears; its "not found yet" answers must not trip the
    # per-client failed-lookup limit that protects receipt secrets (tested in the portal's own tests).
    env.env["ECOURT_PORTAL_LOOKUP_MAX_FAILURES"] = "1000000"
    processes = []
    try:
        from ecourt_shared.bus.topology import declare_topology

        for package in dict.fromkeys(spec.module for spec in PROCESSES):
            run_command(package, "migrate", env.env)
        declare_topology(env.settings.amqp_uri)
        for spec in PROCESSES:
            processes.append(start_process(spec.module.removeprefix("ecourt_"), spec.module, spec.command,
                                           base / "logs", env.env))
        urls = {p.name: p.url for p in processes}
        rpc = RpcClientPool(env.settings.amqp_uri)
        reception = env.token(Role.RECEPTION)
        pdf = blank_pdf()
        client = httpx.Client(timeout=30)

        for _ in range(50):  # warm up connections and caches on both paths
            rpc.call("intake", "ping")
        pings = []
        for _ in range(args.pings):
            started = time.perf_counter()
            rpc.call("intake", "ping")
            pings.append(time.perf_counter() - started)

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
        print(summary("nameko RPC round trip", pings))
        print(summary("filing HTTP response", http_only))
        print(summary("filing -> portal shows it", filings))
        print(f"ratio filing->portal p50 / RPC p50: {percentile(filings, 0.5) / percentile(pings, 0.5):.1f}x")
        rpc.close()
    finally:
        for proc in reversed(processes):
            proc.stop()
        destroy_environment(env)
        standins.stop()


if __name__ == "__main__":
    main()
