"""Latency of one verifiable draw with 200 candidate judges, on the real worker, PostgreSQL and RabbitMQ.

Starts the assignment worker in an isolated environment, registers 200 civil judges of mixed capacity, puts N
cases in the president's inbox (as intake would, with case_received events), then times `assign_random` over
RPC, one case after another: the seed commitment committed and queued for publication in its own transaction,
then the draw in a second transaction (200 judge rows locked, the draw run, record stored, loads updated,
case_assigned emitted). As baselines measured in the same run: the bare RPC round trip (`assignment.ping`) and
the draw algorithm alone in this process (no database, no broker).

    .venv/bin/python bench/assignment_draw.py [--draws 300] [--judges 200]

Prints rates, p50/p99 and the ratio of the draw's p50 to the RPC round trip's p50.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
from datetime import UTC, date, datetime
from decimal import Decimal

from harness import ping_round_trips, ratio, running_system, summary
from kombu import Connection, Producer

from ecourt_assignment.domain.draw import Candidate, case_weight, run_draw
from ecourt_assignment.domain.rules import weight_table
from ecourt_shared.auth import Role
from ecourt_shared.bus.topology import event_exchange
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseReceivedV1, PartyRefV1
from ecourt_shared.identifiers import make_case_id

COURT = "79KV01"
CAPACITIES = ("1", "1", "0.75", "0.5")


def publish_cases(amqp_uri: str, count: int) -> list[str]:
    ids = []
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        producer = Producer(conn.channel(), exchange=event_exchange("intake"))
        for n in range(1, count + 1):
            case_id = make_case_id(COURT, 2026, n)
            payload = CaseReceivedV1(
                court_id=COURT, case_id=case_id, acceptance_number=f"{n:02d}/2026/TLST-DS", case_type="DS",
                stage="ST", subject="Tranh chấp hợp đồng", accepted_at=datetime.now(UTC), accepted_on=date.today(),
                parties=[PartyRefV1(party_id=f"P-{n}-{k}", role="plaintiff", is_minor=False) for k in range(2)],
                documents=[], receipt_secret_hash="0" * 64)
            envelope = EventEnvelope.wrap(payload)
            producer.publish(envelope.model_dump(mode="json"), routing_key=CaseReceivedV1.event_type,
                             serializer="json", message_id=envelope.event_id, delivery_mode=2, mandatory=True)
            ids.append(case_id)
    return ids


def algorithm_only(judges: int, draws: int) -> list[float]:
    table = weight_table()
    weight = case_weight(table, "DS", "ST", 2)
    totals = {f"TP-{n:03d}": Decimal("0.0000") for n in range(judges)}
    capacity = {j: Decimal(CAPACITIES[i % 4]) for i, j in enumerate(totals)}
    times = []
    for n in range(draws):
        pool = [Candidate(j, capacity[j], t) for j, t in totals.items()]
        started = time.perf_counter()
        outcome = run_draw(f"BENCH{n:013d}", pool, weight, table.draw, hashlib.sha256(str(n).encode()).digest())
        times.append(time.perf_counter() - started)
        totals[outcome.winner] += outcome.accrual
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--draws", type=int, default=300)
    parser.add_argument("--judges", type=int, default=200)
    parser.add_argument("--pings", type=int, default=1000)
    args = parser.parse_args()

    # The draw path needs no MongoDB or S3 stand-ins.
    with running_system([("ecourt_assignment", "worker")], prefix="ecourt-bench-assignment-", standins=False,
                        rpc_options={"timeout": 60}) as system:
        env, rpc = system.env, system.rpc
        admin = system.token(Role.IT_ADMIN, court_id=COURT)
        president = system.token(Role.PRESIDENT, court_id=COURT, user_id="chanhan")
        for n in range(args.judges):
            rpc.call("assignment", "register_judge", token=admin, judge={
                "judge_id": f"TP-{n:03d}", "full_name": f"Thẩm phán {n:03d}", "specializations": ["civil"],
                "capacity": CAPACITIES[n % 4]})
        cases = publish_cases(env.settings.amqp_uri, args.draws + 20)
        deadline = time.monotonic() + 120
        while len(rpc.call("assignment", "inbox", token=president)) < len(cases):
            if time.monotonic() > deadline:
                raise SystemExit("the cases did not reach the inbox in 120 s")
            time.sleep(0.2)

        pings = ping_round_trips(rpc, "assignment", args.pings)
        for case_id in cases[:20]:  # warm up
            rpc.call("assignment", "assign_random", token=president, case_id=case_id)
        draws = []
        for case_id in cases[20:]:
            started = time.perf_counter()
            rpc.call("assignment", "assign_random", token=president, case_id=case_id)
            draws.append(time.perf_counter() - started)
        view = rpc.call("assignment", "fairness", token=president)
        rpc.close()  # before the in-process timing; running_system's own close is then a no-op
        in_process = algorithm_only(args.judges, args.draws)

        print(f"machine: {os.cpu_count()} cores; {args.judges} candidate judges (capacities 1/1/0.75/0.5); "
              f"sequential draws over RPC")
        print(summary("nameko RPC round trip (ping)", pings, decimals=3, rate_width=9))
        print(summary("draw algorithm alone (in process)", in_process, decimals=3, rate_width=9))
        print(summary("assign_random (commit + draw)", draws, decimals=3, rate_width=9))
        print(f"ratio assign_random p50 / RPC p50: {ratio(draws, pings):.1f}x")
        print(f"after {view['draws']} draws: spread {view['spread']}, Gini {view['gini']}, "
              f"escape rate {view['escape_rate']}")


if __name__ == "__main__":
    main()
