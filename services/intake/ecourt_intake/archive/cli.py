"""``ecourt import PATH``: bring a folder or manifest of historical cases into intake, resumably.

Each entry is checked locally with the service's own rules, then sent over RPC with a bounded number in
flight. Answers go to a checkpoint under the data folder as they arrive, so a killed run resumes where
it stopped; the service is idempotent per court and official number, so a rerun never duplicates a case.
Exit status: 0 everything is in, 2 some entries were refused (see the report), 1 entries could not be
sent or the run could not start.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecourt_intake.archive.checkpoint import Checkpoint, state_dir
from ecourt_intake.archive.manifest import ManifestEntry, ManifestError, find_manifest, read_entries, to_contract
from ecourt_intake.archive.report import ImportReport
from ecourt_intake.archive.rules import validate_historical_case
from ecourt_intake.domain.clock import legal_day, utc_now
from ecourt_shared.contracts.errors import FieldError, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.settings import Settings, get_settings

SEND_ATTEMPTS = 4


class Fatal(Exception):
    """The run cannot go on (bad token, no permission): nothing more is sent."""


@dataclass
class Outcome:
    status: str  # imported | replayed | rejected | rejected_locally | failed
    case_id: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecourt import", description=(
        "Nhập hồ sơ vụ án lưu trữ / import historical cases from a folder holding manifest.jsonl or "
        "manifest.csv, or from the manifest file itself (format: ecourt_intake/archive/README.md)."))
    parser.add_argument("path", type=Path, help="folder with manifest.jsonl|manifest.csv, or the manifest file")
    parser.add_argument("--jobs", type=int, default=4, help="cases in flight at once (default 4)")
    parser.add_argument("--token", default=os.environ.get("ECOURT_TOKEN"),
                        help="bearer token of an IT administrator or the president (default $ECOURT_TOKEN); "
                             "without one, a token is issued with this host's signing key")
    parser.add_argument("--operator", default="archive-import", help="user id recorded when issuing a token")
    parser.add_argument("--court", help="court of the issued token (default $ECOURT_COURT_ID)")
    parser.add_argument("--state-dir", type=Path, help="checkpoint and report folder (default under the data dir)")
    parser.add_argument("--report", type=Path, help="report path without suffix (.json and .txt are written)")
    parser.add_argument("--retry-rejected", action="store_true", help="send entries refused earlier again")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    try:
        manifest = find_manifest(args.path)
        token, court_id = _token(args, settings)
    except (ManifestError, Fatal) as exc:
        print(f"ecourt import: {exc}", file=sys.stderr)
        return 1
    folder = args.state_dir or state_dir(settings.data_dir, manifest, court_id)
    checkpoint = Checkpoint(folder / "checkpoint.jsonl")
    if args.retry_rejected:
        checkpoint.forget_rejected()
    report = ImportReport(manifest=str(manifest), court_id=court_id)
    try:
        ok = _run(args, settings, manifest, token, court_id, checkpoint, report)
    except KeyboardInterrupt:
        print("\nDừng; chạy lại để tiếp tục / stopped; run again to resume", file=sys.stderr)
        return 130
    finally:
        checkpoint.close()
    json_path, text_path = report.write(args.report or folder / "report")
    print(f"Tổng / total {report.total}: nhập mới / imported {report.imported}, đã có / already "
          f"{report.already_imported}, từ chối / rejected {len(report.rejected)}, lỗi gửi / failed "
          f"{len(report.failed)}")
    print(f"Báo cáo / report: {text_path} , {json_path}")
    if not ok or report.failed:
        return 1
    return 2 if report.rejected else 0


def _token(args: argparse.Namespace, settings: Settings) -> tuple[str, str]:
    import jwt

    from ecourt_shared.auth import Principal, Role, issue_token, load_private_key

    if args.token:
        try:  # the court is read for local checks only; the service verifies the signature
            claims = jwt.decode(args.token, options={"verify_signature": False})
            return args.token, str(claims["principal"]["court_id"])
        except (jwt.PyJWTError, KeyError, TypeError) as exc:
            raise Fatal(f"--token is not an ecourt token / mã xác thực không hợp lệ: {exc}") from None
    key_path = settings.key_file("private")
    if not key_path.exists():
        raise Fatal(f"no --token and no signing key at {key_path} / không có mã xác thực: log in to the console "
                    f"as IT administrator and pass --token, or run on the server")
    court_id = (args.court or settings.court_id).upper()
    principal = Principal(user_id=args.operator, court_id=court_id, roles=[Role.IT_ADMIN],
                          display_name="Nhập hồ sơ lưu trữ / archive import")
    return issue_token(principal, load_private_key(key_path), 12 * 3600), court_id


def _run(args: argparse.Namespace, settings: Settings, manifest: Path, token: str, court_id: str,
         checkpoint: Checkpoint, report: ImportReport) -> bool:
    from tqdm import tqdm

    from ecourt_shared.rpc import RpcClientPool

    entries = read_entries(manifest)
    report.total = len(entries)
    pending = []
    for entry in entries:
        done = checkpoint.done.get(entry.fingerprint(court_id))
        if done is None:
            pending.append(entry)
        else:
            _tally(report, entry, Outcome(done["status"], done.get("case_id"), done.get("errors", [])),
                   from_checkpoint=True)
    jobs = max(1, args.jobs)
    rpc = RpcClientPool(settings.amqp_uri, timeout=settings.rpc_timeout_seconds, size=jobs)
    bar = tqdm(total=len(entries), initial=len(entries) - len(pending), unit="case", desc="import",
               disable=args.no_progress, file=sys.stderr, smoothing=0.05, dynamic_ncols=True)
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="import")
    queue = iter(pending)
    in_flight: dict[Future[Outcome], ManifestEntry] = {}
    try:
        def refill() -> None:
            while len(in_flight) < 2 * jobs and (entry := next(queue, None)) is not None:
                in_flight[pool.submit(_process, entry, manifest.parent, court_id, token, rpc,
                                      settings.max_attachment_bytes)] = entry
        refill()
        while in_flight:
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                entry = in_flight.pop(future)
                try:
                    outcome = future.result()
                except Fatal as exc:
                    print(f"\necourt import: {exc}", file=sys.stderr)
                    return False
                if outcome.status in ("imported", "replayed", "rejected"):
                    checkpoint.record(entry.fingerprint(court_id), {
                        "line": entry.line, "label": entry.label, "status": outcome.status,
                        "case_id": outcome.case_id, "errors": outcome.errors})
                _tally(report, entry, outcome, from_checkpoint=False)
                bar.update(1)
                bar.set_postfix(rejected=len(report.rejected), refresh=False)
            refill()
        return True
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        bar.close()
        rpc.close()


def _tally(report: ImportReport, entry: ManifestEntry, outcome: Outcome, from_checkpoint: bool) -> None:
    item = {"line": entry.line, "label": entry.label, "errors": outcome.errors}
    if outcome.status == "imported":
        if from_checkpoint:
            report.already_imported += 1
        else:
            report.imported += 1
    elif outcome.status == "replayed":
        report.already_imported += 1
    elif outcome.status in ("rejected", "rejected_locally"):
        report.rejected.append(item)
    else:
        report.failed.append(item)


def _errors(items: list[FieldError]) -> list[dict[str, str]]:
    return [e.model_dump() for e in items]


def _process(entry: ManifestEntry, base: Path, court_id: str, token: str, rpc: Any, max_bytes: int) -> Outcome:
    case = to_contract(entry, base)
    if isinstance(case, list):
        return Outcome("rejected_locally", errors=_errors(case))
    valid = validate_historical_case(case, court_id, legal_day(utc_now()), max_bytes)
    if isinstance(valid, list):
        return Outcome("rejected_locally", errors=_errors(valid))
    payload = case.model_dump(mode="json")
    for attempt in range(SEND_ATTEMPTS):
        try:
            result = rpc.call("intake", "import_historical_case", token=token, case=payload)
            return Outcome("replayed" if result.get("replayed") else "imported", case_id=result["case_id"])
        except RequestRejected as exc:
            return Outcome("rejected", errors=_errors(exc.errors))
        except (PermissionDenied, NotFound) as exc:
            raise Fatal(f"the service refused this account / tài khoản không được phép: {exc.detail}") from None
        except Exception as exc:  # broker or service unavailable: the service is idempotent, so send again
            if attempt == SEND_ATTEMPTS - 1:
                return Outcome("failed", errors=[{
                    "field": "entry", "code": "archive.transport", "message_vi": f"không gửi được: {exc!r}",
                    "message_en": f"could not be sent: {exc!r}"}])
            time.sleep(0.5 * 2 ** attempt)
    raise AssertionError("unreachable")
