"""--quiet's table output written without Rich is the text Rich writes for it.

A quiet run to a file or pipe (no wrapping, no colour) prints the listing note and the summary
line as they are, so render.table writes them itself and never loads Rich; only lines Rich
would not touch take that way (printable, no markup bracket).
"""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from plancheck.render.options import RenderOptions
from plancheck.render.table import console


def _rich(lines: list[str], options: RenderOptions) -> str:
    """What render.table printed with Rich: the note as a Text, the summary as a str."""
    from rich.text import Text

    buffer = io.StringIO()
    out = console(options, buffer)
    for line in lines[:-1]:
        out.print(Text(line))
    out.print(lines[-1])
    return buffer.getvalue()


_QUIET_TO_A_FILE = RenderOptions(color=False, width=None, quiet=True)
# Text as summaries hold it: letters (CJK and wide ones too), digits, signs, spaces anywhere,
# combining marks, emoji and zero-width joiners; markup brackets and unprintables excepted.
_LINE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), blacklist_characters="["
    ),
    min_size=1,
).filter(str.isprintable)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=2))
def test_rich_prints_a_plain_line_as_it_is(lines: list[str]) -> None:
    assert _rich(lines, _QUIET_TO_A_FILE) == "".join(line + "\n" for line in lines)


def test_the_quiet_check_needs_no_rich(tmp_path: object) -> None:
    import subprocess
    import sys

    from .conftest import REPO

    script = (
        "import sys\nsys.argv = ['plancheck', 'check', '--quiet']\nfrom plancheck import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print('RICH', 'rich' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert "RICH False" in done.stderr, done.stderr
    assert "targets (as of 2024)" in done.stdout
