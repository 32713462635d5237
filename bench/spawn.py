"""Run one command; write its wall time and its own peak RSS as JSON (bench/run.py's timer).

On Linux a child's ru_maxrss starts from the RSS of the process that spawned it: the memory
mapped when the child calls exec is recorded as the child's. bench/run.py holds the generated
catalogue and the naive loop's tables (hundreds of MiB, GiB after 10^7 rows), and every
process it spawned directly was charged that much. This small process spawns the command
instead, so the figure is the command's own (plus this interpreter's ~10 MiB as a floor).

    python bench/spawn.py REPORT_JSON TIMEOUT_SECONDS COMMAND [ARG ...]

A TIMEOUT_SECONDS above 0 kills the command after that long (reported as timed out).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType


def main(argv: list[str]) -> int:
    report, timeout, command = Path(argv[0]), float(argv[1]), argv[2:]
    started = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    stopped = []

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.append(True)
        os.kill(pid, signal.SIGKILL)

    if timeout > 0:
        signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    signal.setitimer(signal.ITIMER_REAL, 0)
    report.write_text(
        json.dumps(
            {
                "seconds": seconds,
                "peak_rss_mib": usage.ru_maxrss / 1024,
                "returncode": os.waitstatus_to_exitcode(status),
                "timed_out": bool(stopped),
            }
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
