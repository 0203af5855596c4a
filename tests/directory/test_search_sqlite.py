"""Run the search findings again on SQLite, the database of `make run`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_search_findings_hold_on_sqlite():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CI"}}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/directory/test_search.py",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout[-2000:]
