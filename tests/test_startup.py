"""What the bundled check loads: only the modules its work needs (issue 15: under a second).

The speed itself is measured in bench/; this pins the imports that made it slow, so that one
coming back is a failing test rather than a slower run nobody notices.
"""

from __future__ import annotations

import pstats
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

# Run as a user runs it, from the repository root: ./targets and ./actuals.
_SCRIPT = (
    "import sys\n"
    "sys.argv = ['plancheck', *sys.argv[1:]]\n"
    "from plancheck import cli\n"
    "try:\n    cli.main()\nexcept SystemExit as exit:\n    code = exit.code\n"
    "print('CODE', code, file=sys.stderr)\n"
    "loaded = sorted(m for m in ('pint', 'rich', 'openpyxl') if m in sys.modules)\n"
    "print('LOADED', loaded, file=sys.stderr)\n"
)


def _loaded(*args: str) -> str:
    env = {"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert "CODE 1" in done.stderr, done.stderr  # the bundled actuals miss targets
    return done.stderr


def test_the_bundled_check_reads_its_units_without_pint() -> None:
    # Its units (个, 萬畝, 万亿元, %) are single defined words and its bracketed names
    # ((Qingyuan), (1小时交通圈), (9+2)) plainly no unit: units.words answers them all. A quiet
    # summary to a pipe is written without Rich (render.table).
    assert "LOADED []" in _loaded("check", "--quiet")


def test_a_unit_only_pint_reads_still_loads_it() -> None:
    # the test above would pass as well if pint were never asked: it is, for a compound unit
    script = "from plancheck import units\nunits.conversion_factor('万元/人', '元/人')\n"
    script += "import sys\nprint('pint' in sys.modules)\n"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "True"


def _command(*args: str, fast_exit: bool) -> subprocess.CompletedProcess[bytes]:
    """plancheck as the ``plancheck`` command runs it (cli.entry: out without the interpreter's
    teardown), or through cli.main and Python's own exit."""
    if fast_exit:
        command = [sys.executable, "-m", "plancheck", *args]
    else:
        script = "import sys\nsys.argv = ['plancheck', *sys.argv[1:]]\nfrom plancheck import cli\n"
        command = [sys.executable, "-c", script + "cli.main()\n", *args]
    env = {"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}
    return subprocess.run(command, capture_output=True, env=env, cwd=REPO, check=False)


def test_the_command_ends_with_its_output_whole_and_its_exit_code() -> None:
    # 0.4 MB of JSON on a pipe, notes on stderr, exit 1; --version, exit 0; a bad option, exit 2
    for args in (["check", "-f", "json"], ["--version"], ["check", "--no-such-option"]):
        fast = _command(*args, fast_exit=True)
        regular = _command(*args, fast_exit=False)
        assert fast.returncode == regular.returncode, args
        assert fast.stdout == regular.stdout, args
        assert fast.stderr.replace(b"python -m plancheck", b"plancheck") == regular.stderr, args
    assert [_command(*a, fast_exit=True).returncode for a in (["--version"], ["check"])] == [0, 1]
    assert _command("check", "-f", "json", fast_exit=True).stdout.rstrip().endswith(b"}")


def test_a_profiled_command_still_writes_its_profile(tmp_path: Path) -> None:
    # cProfile (and coverage) write their results as Python exits: no os._exit under them.
    written = tmp_path / "check.prof"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(written), "-m", "plancheck", "check"],
        capture_output=True,
        cwd=REPO,
        check=False,
    )
    assert b"failing; completion rate" in done.stdout  # it ran (cProfile itself exits 0)
    assert written.stat().st_size > 0
    assert "plancheck" in str(pstats.Stats(str(written)).stats)  # type: ignore[attr-defined]
