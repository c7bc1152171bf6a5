"""Every shell example in README.md works as written (issue #9, item 13).

The fenced ``sh`` blocks are read from the README itself:

- the command-line block: every line is checked against the real command tree (each
  command and subcommand exists, each option belongs to its command, each choice is
  allowed); the lines without placeholders are run: ``db migrate``, ``demo load`` and
  ``serve`` through ``bin/shopkeeper`` (the wrapper the README gives), the short ones in
  one Python process; ``worker`` and ``scheduler`` run until stopped and have tests of
  their own (tests/integration/platform/test_worker_*.py, test_scheduler.py);
- the ``curl`` blocks run with bash against that server, the README's address replaced
  by the test server's;
- ``make run`` and ``make test`` are not run here (``make test`` is what runs this;
  ``make run``'s port check has tests/unit/platform/test_check_port.py).

A new example fails this test until it is run or classified here. Everything runs against a
database and a Redis prefix this test creates and removes.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from bootstrap.settings import Settings
from entrypoints.cli.main import cli
from tests.conftest import cli_env
from tests.support.processes import private_service_env, wait_until_healthy

ROOT = Path(__file__).resolve().parents[3]
README = ROOT / "README.md"
WRAPPER = str(ROOT / "bin" / "shopkeeper")
README_BASE = "http://127.0.0.1:8000"

NOT_RUN = {"make run", "make test"}
# Lines of the command-line block without placeholders, and how each is run.
THROUGH_WRAPPER = {"db migrate", "demo load", "serve"}
IN_ONE_PROCESS = {"--help", "db current", "openapi", "tenants list", "jobs backlog"}
IN_ONE_PROCESS |= {"jobs dead-letters"}
DAEMONS = {"worker", "scheduler"}
PLACEHOLDER = re.compile(r"^(?:[A-Z][A-Z_]*(?:\.\.\.)?|\.\.\.)$")


def shell_blocks() -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", README.read_text(encoding="utf-8"), re.S | re.M)


def cli_block() -> list[str]:
    blocks = [b for b in shell_blocks() if b.startswith("bin/shopkeeper ")]
    assert len(blocks) == 1
    return [line.split("  #", 1)[0].strip() for line in blocks[0].splitlines() if line.strip()]


def expand(line: str) -> list[list[str]]:
    """``bin/shopkeeper db migrate|current`` → [["db", "migrate"], ["db", "current"]]."""
    words = line.split()
    assert words[0] == "bin/shopkeeper", line
    choices = [word.strip("[]").split("|") for word in words[1:]]
    return [list(words) for words in itertools.product(*choices)]


def resolve(words: list[str]) -> tuple[click.Command, list[str], list[str]]:
    """The command the words name, its path, and the words left for it."""
    command: click.Command = cli
    path: list[str] = []
    context = click.Context(cli)
    while isinstance(command, click.Group) and words and not words[0].startswith("-"):
        sub = command.get_command(context, words[0])
        assert sub is not None, f"no command {' '.join([*path, words[0]])!r}"
        command, path, words = sub, [*path, words[0]], words[1:]
    return command, path, words


def check_against_the_command(words: list[str]) -> None:
    command, path, rest = resolve(words)
    if rest == ["--help"]:
        return
    assert not isinstance(command, click.Group), f"{path}: a group, not a command"
    options = {opt: p for p in command.params for opt in [*p.opts, *p.secondary_opts]}
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    positional = 0
    rest = list(rest)
    while rest:
        word = rest.pop(0)
        if word == "...":  # "and the command's other options and arguments"
            continue
        if word.startswith("-"):
            assert word in options, f"{' '.join(path)}: no option {word}"
            param = options[word]
            if isinstance(param, click.Option) and not param.is_flag:
                value = rest.pop(0)
                if isinstance(param.type, click.Choice) and not PLACEHOLDER.match(value):
                    assert value in param.type.choices, f"{word} {value}"
        else:
            assert PLACEHOLDER.match(word), f"{' '.join(path)}: unexpected {word!r}"
            positional += 1
    many = any(a.nargs == -1 for a in arguments)
    assert many or positional <= len(arguments), f"{' '.join(path)}: too many arguments"


def test_every_command_line_example_names_real_commands_and_options() -> None:
    for line in cli_block():
        for words in expand(line):
            check_against_the_command(words)


def runnable_lines() -> set[str]:
    lines = set()
    for line in cli_block():
        for words in expand(line):
            if not any(PLACEHOLDER.match(word) for word in words):
                lines.add(" ".join(words))
    return lines


def test_every_runnable_command_line_example_is_run_or_said_why_not() -> None:
    assert runnable_lines() == THROUGH_WRAPPER | IN_ONE_PROCESS | DAEMONS
    other_blocks = [b for b in shell_blocks() if not b.startswith("bin/shopkeeper ")]
    make_blocks = [b for b in other_blocks if b.startswith("make ")]
    assert len(make_blocks) == 1
    assert {line.split("#")[0].strip() for line in make_blocks[0].splitlines()} == NOT_RUN
    assert all("curl " in b for b in other_blocks if b not in make_blocks)


# -- running them --------------------------------------------------------------------------


@pytest.fixture
def readme_env(settings: Settings, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A database that ``db migrate`` itself creates, and a Redis prefix of its own."""
    with private_service_env(settings, tmp_path, "readme", cli_env(settings)) as env:
        yield env


def wrapper(args: list[str], env: dict[str, str], **options: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [WRAPPER, *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **options,  # type: ignore[arg-type]
    )


def finished(process: subprocess.Popen[str], what: str) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, f"{what}: exit {process.returncode}\n{err}"
    return out


IN_PROCESS_DRIVER = """
import json, shlex, sys
from click.testing import CliRunner
from entrypoints.cli.main import cli
results = {}
for line in json.loads(sys.argv[1]):
    result = CliRunner().invoke(cli, shlex.split(line))
    results[line] = [result.exit_code, result.output, repr(result.exception)]
print(json.dumps(results))
"""


def test_the_readme_examples_run_as_written(readme_env: dict[str, str]) -> None:
    env = readme_env
    finished(wrapper(["db", "migrate"], env), "bin/shopkeeper db migrate")
    demo = wrapper(["demo", "load"], env)
    server = wrapper(["serve"], env, start_new_session=True)
    short = subprocess.Popen(
        [sys.executable, "-c", IN_PROCESS_DRIVER, json.dumps(sorted(IN_ONE_PROCESS))],
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        finished(demo, "bin/shopkeeper demo load")
        results = json.loads(finished(short, "the short commands"))
        for line, (code, output, error) in results.items():
            assert code == 0, f"shopkeeper {line}: exit {code}, {error}\n{output}"
        assert json.loads(results["openapi"][1])["openapi"].startswith("3.")
        assert "demo" in results["tenants list"][1]

        base = f"http://127.0.0.1:{env['SHOPKEEPER_PORT']}"
        wait_until_healthy(server, base)

        outputs = []
        for block in shell_blocks():
            if "curl " not in block:
                continue
            run = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", block.replace(README_BASE, base)],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert run.returncode == 0, f"{block}\nexit {run.returncode}: {run.stderr}"
            outputs.append(run.stdout)
        assert len(outputs) == 2
        assert "accessToken" in json.loads(outputs[0])
        found = json.loads(outputs[1])["items"]
        assert any("蓝牙耳机" in json.dumps(item, ensure_ascii=False) for item in found)
    finally:
        for process in (demo, server, short):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM) if process is server else process.kill()
                process.communicate(timeout=30)
