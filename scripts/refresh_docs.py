"""Re-run every ``$ plancheck …`` example in README.md and docs/reports.md and write its real output.

Run from the repository root after changing a renderer: ``python scripts/refresh_docs.py``.
tests/test_docs.py fails until the documents show what the commands print.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from typer.testing import CliRunner

from plancheck.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = re.compile(r"(```console\n\$ (plancheck [^\n]*)\n)(.*?)(```)", re.S)
RENDERED = re.compile(r"(Rendered:\n\n)((?:>[^\n]*\n)+)")


def output(command: str) -> str:
    result = CliRunner().invoke(
        app,
        shlex.split(command)[1:],
        catch_exceptions=False,
        env={
            "NO_COLOR": "1",
            "LC_ALL": None,
            "LC_MESSAGES": None,
            "LANG": None,
            "PLANCHECK_FORMAT": None,
        },
    )
    assert result.exit_code in (0, 1), (command, result.stderr)
    text = result.stdout.removeprefix("\ufeff")
    return "\n".join(line.rstrip() for line in text.rstrip("\n").splitlines()) + "\n"


def refresh(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    text = EXAMPLE.sub(lambda m: m.group(1) + output(m.group(2)) + m.group(4), text)
    markdown = next((c for c in EXAMPLE.findall(text) if c[1].endswith("-f markdown")), None)
    if markdown is not None:
        quoted = "".join(f"> {line}".rstrip() + "\n" for line in output(markdown[1]).splitlines())
        text = RENDERED.sub(lambda m: m.group(1) + quoted, text)
    if path.name == "README.md":
        text = refresh_catalogue_table(text)
        text = refresh_key_table(text)
    path.write_text(text, encoding="utf-8")


TABLE = re.compile(r"(### What the bundled catalogue holds\n\n)(\|.*?\n)(?=\n)", re.S)


def refresh_catalogue_table(text: str) -> str:
    """README's catalogue table, built from the bundled catalogue (catalogue/summary.py)."""
    from plancheck.catalogue import load_catalogue
    from plancheck.catalogue.summary import catalogue_table

    table = catalogue_table(load_catalogue(ROOT / "targets"))
    return TABLE.sub(lambda m: m.group(1) + table, text)


KEYS = re.compile(r"(## JSON output\n.*?\n\n)(\| key \| meaning \|\n.*?\n)(?=\n)", re.S)


def refresh_key_table(text: str) -> str:
    """README's table of a JSON result's keys, from the result schema's meanings."""
    from plancheck.render.json_report import key_table

    return KEYS.sub(lambda m: m.group(1) + key_table(), text)


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    for document in ("README.md", "docs/reports.md"):
        refresh(ROOT / document)
        print(f"refreshed {document}")
    from plancheck.problems import problem_types_document

    (ROOT / "docs" / "problem-types.md").write_text(problem_types_document(), encoding="utf-8")
    print("refreshed docs/problem-types.md")
