"""The README's commands run as written, in the README's order, on a fresh directory.

Every fenced ``bash`` block line and every ``$ `` line of a ``console`` block is run
with bash from a temporary directory that has ``../shared`` beside it, as a clone has;
``python`` blocks run with this interpreter. Each command must exit 0 and must not
report an empty result. ``export NAME=VALUE`` carries over to the next commands.

Left out, on purpose (and only these):

* ``pip install`` lines: the test runs inside the installed environment already;
* ``tidings serve`` and ``curl`` lines: a server that runs until stopped, and requests
  to it (the REST API has its own tests with a real uvicorn);
* ``python -m pytest`` (this is the suite) and ``python bench/...`` (benchmarks take
  minutes and print figures; they are not tests).

Blocks fenced as ``text`` are never run: the README uses them for sessions that need
something the test does not start (an ingest refused by a running server).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SHARED

README = Path(__file__).resolve().parents[1] / "README.md"
SKIP = re.compile(r"pip install|tidings serve|\bcurl\b|python -m pytest|python bench/")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def readme_commands(text: str) -> list[tuple[str, str]]:
    """``(kind, command)`` in README order: kind is ``sh`` or ``python``."""
    out: list[tuple[str, str]] = []
    for lang, body in FENCE.findall(text):
        if lang == "python":
            out.append(("python", body))
            continue
        if lang not in ("bash", "console", "sh", "shell"):
            continue
        lines = body.splitlines()
        pending = ""
        for line in lines:
            if lang == "console":
                if not pending and not line.startswith("$ "):
                    continue  # output shown in the README
                line = line[2:] if not pending else line
            line = pending + line.strip()
            if line.endswith("\\"):
                pending = line[:-1] + " "
                continue
            pending = ""
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command and not command.startswith("#"):
                out.append(("sh", command))
    return out


def test_readme_commands_are_found() -> None:
    commands = readme_commands(README.read_text(encoding="utf-8"))
    shell = [c for k, c in commands if k == "sh"]
    assert "tidings ingest ../shared/seeds" in shell
    assert any(c.startswith("tidings export --format tkg") for c in shell)
    assert any(k == "python" for k, _ in commands)
    skipped = [c for c in shell if SKIP.search(c)]
    assert any("pip install" in c for c in skipped) and any("serve" in c for c in skipped)


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="needs ../shared/seeds")
def test_every_readme_command_runs_in_order(tmp_path: Path) -> None:
    work = tmp_path / "clone"
    work.mkdir()
    (tmp_path / "shared").symlink_to(SHARED, target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIDINGS_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "120"
    ran = 0
    for kind, command in readme_commands(README.read_text(encoding="utf-8")):
        if kind == "sh" and SKIP.search(command):
            continue
        for part in re.split(r"\s*&&\s*", command) if kind == "sh" else [command]:
            exported = re.fullmatch(r"export (\w+)=(\S+)", part)
            if exported:
                env[exported.group(1)] = exported.group(2)
                continue
            args = ["bash", "-c", part] if kind == "sh" else [sys.executable, "-c", part]
            done = subprocess.run(
                args, cwd=work, env=env, capture_output=True, text=True, timeout=120
            )
            shown = part if kind == "sh" else "the README's python block"
            assert done.returncode == 0, f"{shown}\n{done.stderr[-2000:]}"
            assert "No events match" not in done.stderr, f"{shown}: empty result"
            ran += 1
    assert ran >= 12
    # what the README says the commands leave behind
    for made in ("tidings.duckdb", "xi.html", "chn-usa.html", "tkg/train.txt"):
        assert (work / made).exists(), made
