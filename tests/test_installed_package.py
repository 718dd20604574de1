"""The installed package never writes into itself: a wheel in a fresh virtual environment, every
command run from another folder, and every file of the package the same afterwards."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import site
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REPORT = REPO / "tests" / "data" / "reports" / "english-report.en.txt"
_ADDRESS = re.compile(r"habitat-kg serving .* at (http://\S+/)")
_NOT_SOURCES = (".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A fresh virtual environment holding the wheel of this tree (its dependencies are read
    from the test environment's site-packages, so that nothing is downloaded), and the folder of
    the installed package."""
    folder = tmp_path_factory.mktemp("wheel")
    # Built from a copy, so that setuptools' build/ folder neither lands in the tree nor feeds
    # the wheel with files of an earlier build.
    tree = folder / "tree"
    shutil.copytree(REPO, tree, ignore=shutil.ignore_patterns(*_NOT_SOURCES))
    pip = [sys.executable, "-m", "pip"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--quiet", "-w", str(folder), str(tree)], check=True
    )
    wheel = next(folder.glob("habitat_kg-*.whl"))
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # The dependencies, after the venv's own site-packages (where the wheel goes).
    (packages / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "-q", wheel], check=True)
    return venv, packages / "habitat_kg"


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_every_command_leaves_the_installed_package_as_it_was(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    venv, package = installed
    assert package.is_dir() and not str(package).startswith(str(REPO))
    before = _hashes(package)
    assert "graph/sources/curated/eb-2020-2-item-7.trig" in before
    command = str(venv / "bin" / "habitat-kg")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "user-data")}
    env.pop("HABITAT_KG_PROJECT", None)

    def run(*args: str, codes: tuple[int, ...] = (0,)) -> str:
        done = subprocess.run(
            [command, *args], cwd=work, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode in codes, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        return done.stdout + done.stderr

    run("init", "project")
    run("ingest", str(REPORT), "--project", "project")
    run("build", "--project", "project")
    run("validate", "--project", "project", codes=(0, 1))
    run("network", "partners", "--project", "project")
    run("network", "partners", "--format", "png", "-o", "partners.png", "--project", "project")
    run("build")  # no project named: the per-user one, made on first use
    _serve_once(command, work, env)
    assert (work / "project" / "build" / "habitat-kg.trig").is_file()
    assert any((tmp_path / "user-data").rglob("habitat-kg.trig"))
    assert _hashes(package) == before


def _serve_once(command: str, work: Path, env: dict[str, str]) -> None:
    """Serve a project whose dataset is missing (serve builds it), ask it once, stop it."""
    build = work / "project" / "build" / "habitat-kg.trig"
    build.unlink()
    process = subprocess.Popen(
        [command, "serve", "--port", "0", "--project", "project", "--workers", "1"],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 120
        address = None
        while address is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else ""
            if match := _ADDRESS.search(line):
                address = match.group(1)
        assert address is not None
        for _ in range(100):
            try:
                with urllib.request.urlopen(address + "health", timeout=5) as response:
                    assert json.load(response)["status"] == "ok"
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer /health")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()
        if process.stderr:
            process.stderr.close()
