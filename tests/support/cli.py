"""The ``shopkeeper`` command line run inside the test's process (issue 13, suite speed).

A ``shopkeeper`` subprocess spends about three seconds of CPU importing the application
before it does anything (far more on a loaded 2-core machine); run in-process, a command
costs only its own work. ``shopkeeper(env, *args)`` (``run_shopkeeper`` in code where no
event loop runs) invokes the same click group (``entrypoints.cli.main.cli``) with ``env``
as the environment, ``input`` as standard input, and answers as ``subprocess.run`` would:
exit status, standard output and standard error apart. ``shopkeeper`` runs the command in
a thread of its own, because it starts its own event loop (``asyncio.run``) as the real
command does; only one runs at a time (it swaps the process' environment and standard
streams while it runs).

What needs a real process stays one (``tests.support.processes.SHOPKEEPER``): ``serve``,
``worker`` and ``scheduler``, a command killed mid-way (SIGKILL), and a few smoke tests
of the installed console script itself (its start with a bare environment, a secret read
from a real standard input).
"""

from __future__ import annotations

import asyncio
import subprocess
import threading
import traceback
from collections.abc import Mapping

from click.testing import CliRunner

from entrypoints.cli.main import cli

_ONE_AT_A_TIME = threading.Lock()


def run_shopkeeper(
    env: Mapping[str, str], args: tuple[str, ...], input: str | None = None
) -> subprocess.CompletedProcess[str]:
    with _ONE_AT_A_TIME:
        result = CliRunner().invoke(
            cli, list(args), input=input, env=dict(env), prog_name="shopkeeper"
        )
    stderr = result.stderr
    if result.exc_info is not None and not isinstance(result.exception, SystemExit):
        # What the real process would print on an uncaught error (exit status 1).
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return subprocess.CompletedProcess(
        ["shopkeeper", *args], result.exit_code, result.stdout, stderr
    )


async def shopkeeper(
    env: Mapping[str, str], *args: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``shopkeeper *args`` with ``env`` (``cli_env(settings)``, with any overrides)."""
    return await asyncio.to_thread(run_shopkeeper, env, args, input)
