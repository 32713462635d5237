"""A newcomer's walk-through: a fresh clone, alone in an empty folder, and the README followed.

The committed state (``git clone`` of this repository's HEAD) is what a new user gets, so
uncommitted work is not tested here. To stay fast and offline, the clone is run with this
environment's interpreter and dependencies (``PYTHONPATH`` pointing at the clone's ``src``)
instead of a fresh ``pip install``; ``plancheck`` on the PATH is a two-line shim for it. The
pre-commit hooks are run the way pre-commit runs them (entry, args, and the file list when the
hook takes one) on a throwaway git repository, since pre-commit itself installs hook
environments from the network.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import REPO

pytestmark = pytest.mark.slow

README_BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout, or no git: nothing to clone")
    empty = tmp_path_factory.mktemp("empty")
    target = empty / "plancheck"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(target)],
        check=True,
        capture_output=True,
    )
    assert not (empty / "shared").exists()  # no plan documents beside the clone
    return target


@pytest.fixture(scope="module")
def environ(clone: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The clone's code first on the path, and a ``plancheck`` command that runs it."""
    bin_dir = tmp_path_factory.mktemp("bin")
    shim = bin_dir / "plancheck"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m plancheck "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PLANCHECK_FORMAT", "GITHUB_STEP_SUMMARY", "LC_ALL", "LC_MESSAGES")
    }
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(clone / "src"),
        LANG="C.UTF-8",
        NO_COLOR="1",
        PLANCHECK_CACHE="off",
    )
    found = subprocess.run(
        [sys.executable, "-c", "import plancheck; print(plancheck.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(found).resolve().is_relative_to(clone.resolve()), found  # the clone's code runs
    return env


def _sh(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def _readme(clone: Path) -> str:
    return (clone / "README.md").read_text(encoding="utf-8")


def test_the_pinned_versions_exist_in_the_clone(clone: Path) -> None:
    readme = _readme(clone)
    pins = re.findall(r"git\+\$\{\{? ?(?:vars\.)?PLANCHECK_REPO ?\}?\}@([^\"\s]+)", readme)
    pins += re.findall(r"^\s*rev: (\S+)", readme, re.M)
    assert len(pins) >= 3  # GitHub Actions, GitLab CI, pre-commit
    for rev in pins:
        assert re.fullmatch(r"[0-9a-f]{40}", rev), f"pin a commit id, not {rev!r}"
        _git("cat-file", "-e", f"{rev}^{{commit}}", cwd=clone)
        hooks = yaml.safe_load(_git("show", f"{rev}:.pre-commit-hooks.yaml", cwd=clone))
        assert {h["id"] for h in hooks} == {"plancheck-catalogue", "plancheck-data"}


def test_the_two_commands(clone: Path, environ: dict[str, str]) -> None:
    # 1. `plancheck check` on the bundled data: exit 1 (targets missed), a summary line
    result = _sh("plancheck check", clone, environ)
    assert result.returncode == 1, result.stderr
    assert re.search(r"^\d+ targets \(as of \d{4}\): .*completion rate", result.stdout, re.M)
    # 2. `pytest`: the suite's first-contact part, which needed ../shared before, passes
    tests = "tests/test_docs.py tests/test_catalogue.py"
    result = _sh(f'"{sys.executable}" -m pytest -q -p no:cacheprovider -rs {tests}', clone, environ)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "../shared/seeds is absent" in result.stdout  # skipped, with the reason stated


def test_the_quick_tour(clone: Path, environ: dict[str, str]) -> None:
    commands = re.findall(r"```console\n\$ (plancheck [^\n]*)\n(.*?)```", _readme(clone), re.S)
    assert len(commands) >= 4
    for command, shown in commands:
        if "../shared/seeds" in command:
            continue  # needs the plans' source documents
        result = _sh(command, clone, environ)
        assert result.returncode in (0, 1), (command, result.stderr)
        assert (
            result.stdout.rstrip().splitlines()[-1].rstrip()
            == shown.rstrip().splitlines()[-1].rstrip()
        ), command


def test_the_github_actions_steps(clone: Path, environ: dict[str, str], tmp_path: Path) -> None:
    blocks = [b for kind, b in README_BLOCK.findall(_readme(clone)) if kind == "yaml"]
    workflow = yaml.safe_load(next(b for b in blocks if "runs-on" in b))
    steps = [s for s in workflow["jobs"]["check"]["steps"] if "plancheck" in s.get("run", "")]
    work = tmp_path / "repo"  # a repository holding targets/ and actuals/
    shutil.copytree(clone / "targets", work / "targets")
    shutil.copytree(clone / "actuals", work / "actuals")
    summary = tmp_path / "step-summary.md"
    summary.write_text("", encoding="utf-8")
    codes = {}
    for step in steps:
        if step["run"].startswith("pip install"):
            continue  # pinned commit: checked in test_the_pinned_versions_exist_in_the_clone
        env = {**environ, **step.get("env", {}), "GITHUB_STEP_SUMMARY": str(summary)}
        assert env.get("PLANCHECK_FORMAT") == "github", step["name"]
        result = _sh(step["run"], work, env)
        codes[step["name"]] = result
    validate = codes["Validate the catalogue and the submitted files"]
    assert validate.returncode == 0, validate.stderr
    assert "::notice title=plancheck::plancheck: no problems in the input" in validate.stdout
    check = codes["Check the figures against the targets"]
    assert check.returncode == 1, check.stderr
    errors = [line for line in check.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 9 and "not_met" in errors[0]
    assert "::error::… and" in check.stdout and "::notice title=plancheck::" in check.stdout
    for report in ("plancheck-junit.xml", "plancheck.md", "plancheck.csv"):
        assert (work / report).stat().st_size > 0, report
    assert (work / "plancheck.csv").read_text(encoding="utf-8-sig").startswith("target_id,plan,")
    assert summary.read_text(encoding="utf-8").startswith("### ❌ plancheck report")
    # bad input in CI: annotations at the file and line, a problem table in the summary
    data = work / "actuals" / "prd-integration-2014-2015.csv"
    header = data.read_text(encoding="utf-8").splitlines()[0].split(",")
    cells = {"indicator": "forest_coverage", "region": "prd", "year": "2016", "value": "六十"}
    with data.open("a", encoding="utf-8") as f:
        f.write(",".join(cells.get(name, "") for name in header) + "\n")
    summary.write_text("", encoding="utf-8")
    bad = _sh(
        steps[-1]["run"], work, {**environ, **steps[-1]["env"], "GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert bad.returncode == 2
    assert re.search(
        r"^::error file=actuals/prd-integration-2014-2015\.csv,line=\d+,title=plancheck type-error::",
        bad.stdout,
        re.M,
    ), bad.stdout
    assert "type-error" in summary.read_text(encoding="utf-8")


def test_pre_commit_on_a_throwaway_repository(
    clone: Path, environ: dict[str, str], tmp_path: Path
) -> None:
    blocks = [b for kind, b in README_BLOCK.findall(_readme(clone)) if kind == "yaml"]
    config = yaml.safe_load(next(b for b in blocks if "repos:" in b))
    wanted = {h["id"]: h for h in config["repos"][0]["hooks"]}
    hooks = {
        h["id"]: h
        for h in yaml.safe_load((clone / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    assert set(wanted) == set(hooks)
    repo = tmp_path / "throwaway"
    shutil.copytree(clone / "targets", repo / "targets")
    shutil.copytree(clone / "actuals", repo / "actuals")
    _git("init", "--quiet", cwd=repo)
    _git("add", ".", cwd=repo)
    _git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "data", cwd=repo)

    def run_hooks() -> dict[str, int]:
        """What pre-commit does on commit: each hook whose files match a staged path."""
        staged = _git("diff", "--cached", "--name-only", cwd=repo).split()
        codes = {}
        for hook_id, hook in hooks.items():
            files = [f for f in staged if re.search(hook["files"], f)]
            if not files:
                continue
            args = [*hook.get("args", []), *wanted[hook_id].get("args", [])]
            command = shlex.join([*shlex.split(hook["entry"]), *args])
            if hook.get("pass_filenames", True):
                command += " " + shlex.join(files)
            codes[hook_id] = _sh(command, repo, environ).returncode
        return codes

    # an honest new figure that misses a target is accepted
    new = repo / "actuals" / "new.csv"
    new.write_text("indicator,region,year,value,unit\nforest_coverage,prd,2016,40,%\n")
    _git("add", "actuals/new.csv", cwd=repo)
    assert run_hooks() == {"plancheck-data": 0}
    # a figure that conflicts with an unchanged file is refused
    new.write_text("indicator,region,year,value,unit\nforest_coverage,prd,2015,40,%\n")
    _git("add", "actuals/new.csv", cwd=repo)
    assert run_hooks() == {"plancheck-data": 2}
    # a catalogue edit runs the catalogue hook
    _git("rm", "-q", "--cached", "actuals/new.csv", cwd=repo)
    new.unlink()
    plan = next((repo / "targets" / "plans").glob("*.yaml"))
    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _git("add", str(plan.relative_to(repo)), cwd=repo)
    assert run_hooks() == {"plancheck-catalogue": 0}
