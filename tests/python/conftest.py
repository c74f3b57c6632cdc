"""Fixtures of the Python tests: the CLI of the same build (HEADROOM_CLI, set by ctest) and the
source tree (HEADROOM_SOURCE_DIR)."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("HEADROOM_SOURCE_DIR", Path(__file__).resolve().parents[2]))


@pytest.fixture(scope="session")
def source_dir() -> Path:
    return SOURCE_DIR


@pytest.fixture(scope="session")
def cli():
    """Runs the headroom CLI: cli(*args, input=None, codes=(0,)) -> stdout text."""
    exe = os.environ.get("HEADROOM_CLI") or shutil.which("headroom")
    if not exe:
        pytest.skip("no headroom CLI (HEADROOM_CLI unset and none on PATH)")

    def run(*args, input=None, codes=(0,)):
        p = subprocess.run([exe, *args], input=input, capture_output=True, text=True)
        assert p.returncode in codes, f"headroom {' '.join(args)}: exit {p.returncode}\n{p.stderr}"
        return p.stdout

    return run


def validation_cases(path: Path):
    """The cases of a validation file ({"case": {...}, ...} per line)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["case"] for line in f if line.strip()]
