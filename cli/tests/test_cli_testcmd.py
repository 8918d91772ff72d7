"""`ecourt test` end to end, on a throwaway test file: pytest's exit code, and code 5 turned into a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="`ecourt test` needs /usr/bin/chromium"),
]


def ecourt_test(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # Set: no stand-ins are started (the real ones may be serving the outer `ecourt test` on the fixed ports).
    env["ECOURT_MONGO_URL"] = "mongodb://127.0.0.1:1"
    env["ECOURT_S3_ENDPOINT"] = "127.0.0.1:1"
    env.pop("ECOURT_TEST_RUN", None)
    return subprocess.run(
        [sys.executable, "-m", "ecourt_cli", "test", *args, "-q"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=300,
        check=False,
    )


def test_passes_pytest_args_and_exports_the_test_variables(tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text(
        "import os\n"
        "def test_env():\n"
        "    assert os.environ['ECOURT_TEST_RUN'] == '1'\n"
        "    assert os.environ['ECOURT_MONGO_URL'] == 'mongodb://127.0.0.1:1'\n"
        "def test_fails():\n"
        "    assert False\n"
    )
    ok = ecourt_test(tmp_path, str(tmp_path / "test_inner.py"), "-k", "test_env")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "1 passed" in ok.stdout
    failed = ecourt_test(tmp_path, str(tmp_path / "test_inner.py"))
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "1 failed, 1 passed" in failed.stdout


def test_no_tests_collected_exits_1_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "test_empty.py").write_text("# nothing here\n")
    result = ecourt_test(tmp_path, str(tmp_path / "test_empty.py"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "collected no tests" in result.stderr
