"""The stand-in starter really starts nx-27017 and localbucket, and stops them without leftovers."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pymongo
import pytest

from ecourt_cli.common import CliError
from ecourt_cli.standins import StandIns, start_standins

pytestmark = pytest.mark.integration


def pids(stand: StandIns) -> list[int]:
    return [item.proc.pid for item in stand.items if item.proc is not None]


def put_get_object(endpoint: str) -> bytes:
    try:
        from minio import Minio
    except ImportError:  # plain HTTP: localbucket checks no credentials
        base = f"http://{endpoint}/cli-test-bucket"
        assert httpx.put(base).status_code == 200
        assert httpx.put(f"{base}/hello.txt", content=b"xin chao").status_code == 200
        return httpx.get(f"{base}/hello.txt").content
    client = Minio(endpoint, access_key="dev", secret_key="dev-secret", secure=False, region="us-east-1")
    if not client.bucket_exists("cli-test-bucket"):
        client.make_bucket("cli-test-bucket")
    client.put_object("cli-test-bucket", "hello.txt", io.BytesIO(b"xin chao"), length=8)
    response = client.get_object("cli-test-bucket", "hello.txt")
    try:
        return response.read()
    finally:
        response.close()
        response.release_conn()


def test_start_use_stop_and_data_survives_a_restart(
    tmp_path: Path, free_port: Callable[[], int], clean_env: dict[str, str], procs: Any
) -> None:
    mongo_port, s3_port = free_port(), free_port()
    with start_standins(tmp_path, mongo_port, s3_port, clean_env) as stand:
        assert stand.env == {
            "ECOURT_MONGO_URL": f"mongodb://127.0.0.1:{mongo_port}",
            "ECOURT_S3_ENDPOINT": f"127.0.0.1:{s3_port}",
        }
        first_pids = pids(stand)
        assert len(first_pids) == 2 and all(procs.running(p) for p in first_pids)
        client: pymongo.MongoClient[dict[str, object]] = pymongo.MongoClient(stand.env["ECOURT_MONGO_URL"])
        try:
            client.clitest.docs.insert_one({"_id": "doc-1", "title": "Bản án"})
            assert client.clitest.docs.find_one({"_id": "doc-1"}) == {"_id": "doc-1", "title": "Bản án"}
        finally:
            client.close()
        assert put_get_object(stand.env["ECOURT_S3_ENDPOINT"]) == b"xin chao"
    procs.assert_all_gone(first_pids)
    assert not (tmp_path / "run" / "mongo.pid").exists()
    assert not (tmp_path / "run" / "s3.pid").exists()

    with start_standins(tmp_path, mongo_port, s3_port, clean_env) as stand:
        second_pids = pids(stand)
        client = pymongo.MongoClient(stand.env["ECOURT_MONGO_URL"])
        try:
            assert client.clitest.docs.find_one({"_id": "doc-1"}) == {"_id": "doc-1", "title": "Bản án"}
        finally:
            client.close()
        assert httpx.get(f"http://{stand.env['ECOURT_S3_ENDPOINT']}/cli-test-bucket/hello.txt").content == (b"xin chao")
    procs.assert_all_gone(second_pids)
    assert (tmp_path / "logs" / "mongo.log").exists()
    assert (tmp_path / "logs" / "s3.log").exists()


def test_a_second_start_on_the_same_data_dir_is_refused_or_reused(
    tmp_path: Path, free_port: Callable[[], int], clean_env: dict[str, str], procs: Any
) -> None:
    mongo_port, s3_port = free_port(), free_port()
    with start_standins(tmp_path, mongo_port, s3_port, clean_env) as stand:
        with pytest.raises(CliError, match="already runs for this data dir"):
            start_standins(tmp_path, mongo_port, s3_port, clean_env)
        reused = start_standins(tmp_path, mongo_port, s3_port, clean_env, reuse=True)
        assert reused.env == stand.env
        assert pids(reused) == []
        reused.stop()  # stops nothing it did not start
        assert all(procs.running(p) for p in pids(stand))


def test_a_stale_pid_file_is_ignored(tmp_path: Path, free_port: Callable[[], int], clean_env: dict[str, str]) -> None:
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "mongo.pid").write_text("1\n")  # alive, but not an nx-27017
    (tmp_path / "run" / "s3.pid").write_text("999999999\n")  # no such process
    with start_standins(tmp_path, free_port(), free_port(), clean_env) as stand:
        assert len(pids(stand)) == 2


def test_a_busy_port_is_reported(tmp_path: Path, free_port: Callable[[], int], clean_env: dict[str, str]) -> None:
    with start_standins(tmp_path / "a", free_port(), free_port(), clean_env) as stand:
        busy = int(stand.env["ECOURT_S3_ENDPOINT"].rsplit(":", 1)[1])
        with pytest.raises(CliError, match=f"127.0.0.1:{busy}.*already in use"):
            start_standins(tmp_path / "b", free_port(), busy, clean_env)


def test_variables_that_are_set_skip_the_stand_ins(tmp_path: Path) -> None:
    env = {"ECOURT_MONGO_URL": "mongodb://db.example:27017", "ECOURT_S3_ENDPOINT": "s3.example:9000"}
    stand = start_standins(tmp_path, 1, 1, env)
    assert stand.items == []
    assert stand.env == env
