"""docs/reports.md shows real output: every ``$ plancheck …`` example is run again and compared."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, SEEDS, run_cli

DOC = REPO / "docs" / "reports.md"
EXAMPLE = re.compile(r"```console\n\$ (plancheck [^\n]*)\n(.*?)```", re.S)
RENDERED = re.compile(r"Rendered:\n\n((?:>[^\n]*\n)+)")


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.removeprefix("\ufeff").rstrip("\n").splitlines()]


def _run(command: str) -> str:
    result = run_cli(*shlex.split(command)[1:])
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout


def test_every_example_in_the_reports_doc_is_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the examples name paths from the repository root
    examples = EXAMPLE.findall(DOC.read_text(encoding="utf-8"))
    formats = {m.group(1) for c, _ in examples if (m := re.search(r"-f (\w+)", c))}
    assert formats == {"json", "csv", "markdown", "junit", "github", "gitlab"}
    assert any(" -f " not in c and "check" in c for c, _ in examples)  # the table
    for command, shown in examples:
        assert _lines(shown) == _lines(_run(command)), command


def test_rendered_markdown_in_the_doc_is_the_markdown_output(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    text = DOC.read_text(encoding="utf-8")
    (quoted,) = RENDERED.findall(text)
    command = next(c for c, _ in EXAMPLE.findall(text) if c.endswith("-f markdown"))
    assert [line[2:] if line.startswith("> ") else "" for line in _lines(quoted)] == _lines(
        _run(command)
    )


def test_ci_examples_are_valid_yaml_with_the_report_options() -> None:
    blocks = re.findall(
        r"```yaml\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S
    )
    blocks = [b for b in blocks if "plancheck check" in b]
    documents = [yaml.safe_load(b) for b in blocks]
    github, gitlab = documents[0], documents[1]
    steps = github["jobs"]["check"]["steps"]
    check = next(s for s in steps if "plancheck check" in s.get("run", ""))
    assert check["env"]["PLANCHECK_FORMAT"] == "github" and "--report junit:" in check["run"]
    job = gitlab["plancheck"]
    assert job["artifacts"]["reports"]["junit"] == "plancheck-junit.xml"
    assert any("--report junit:plancheck-junit.xml" in line for line in job["script"])


def test_pre_commit_hooks_run_on_this_repository(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(REPO)
    hooks = {
        h["id"]: h
        for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    assert set(hooks) == {"plancheck-catalogue", "plancheck-data"}
    for hook in hooks.values():
        assert {"id", "name", "entry", "language"} <= set(hook) and hook["language"] == "python"
    catalogue = hooks["plancheck-catalogue"]
    assert re.search(catalogue["files"], "targets/plans/prd_integration_2014_2015.yaml")
    result = run_cli(*shlex.split(catalogue["entry"])[1:], *catalogue.get("args", []))
    assert result.exit_code == 0, result.stderr
    data = hooks["plancheck-data"]
    files = sorted(
        str(p.relative_to(REPO))
        for p in (REPO / "actuals").iterdir()
        if re.search(data["files"], str(p.relative_to(REPO)))
    )
    assert files
    result = run_cli(*shlex.split(data["entry"])[1:], *data.get("args", []), *files)
    assert result.exit_code == 0, result.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "indicator,region,year,value,unit\nno_such_indicator,guangdong,2015,1,%\n", encoding="utf-8"
    )
    refused = run_cli(*shlex.split(data["entry"])[1:], bad)
    assert refused.exit_code == 2 and "unknown-indicator" in refused.stderr


def test_every_example_in_the_readme_is_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    examples = EXAMPLE.findall((REPO / "README.md").read_text(encoding="utf-8"))
    assert len(examples) >= 4
    # The quote check reads the plans' source documents, which sit beside this checkout only in
    # the development setup (and in CI): a fresh clone skips that one example, saying why.
    without_sources = [c for c, _ in examples if "../shared/seeds" in c and not SEEDS.is_dir()]
    for command, shown in examples:
        if command not in without_sources:
            assert _lines(shown) == _lines(_run(command)), command
    if without_sources:
        pytest.skip(
            "../shared/seeds is absent (the plans' source documents are not beside this"
            f" checkout): not run: {'; '.join(without_sources)}"
        )
