"""Where reports may go (issue 11, item 5): regular files or stdout only, never over an input,
all reports or none, and no temporary file or mix of old and new after a failure or a signal."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from plancheck import output as out
from plancheck.problems import InputError

from .conftest import FIXTURES, run_cli

CATALOGUE = FIXTURES / "catalogue"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def actuals(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "demo.csv"
    path.parent.mkdir()
    path.write_bytes((FIXTURES / "actuals" / "demo.csv").read_bytes())
    return path


def test_a_fifo_is_refused_and_left_alone(tmp_path: Path, actuals: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run_cli("check", "--targets", CATALOGUE, "-a", actuals, "-o", fifo)
    assert result.exit_code == 2
    assert "FIFO" in result.stderr and "not a regular file" in result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    result = run_cli(
        "check", "--targets", CATALOGUE, "-a", actuals, "--report", f"junit:{fifo}", "-f", "json"
    )
    assert result.exit_code == 2 and stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full", "/dev/zero"])
def test_a_device_is_refused_before_any_work(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    with pytest.raises(InputError) as caught:
        out.check_destinations([Path(device)])
    assert "a device, not a regular file" in caught.value.problems[0].message
    assert stat.S_ISCHR(Path(device).stat().st_mode)


def test_the_actuals_file_is_not_overwritten(actuals: Path) -> None:
    before = actuals.read_bytes()
    for args in (["-o", actuals], ["-f", "json", "--report", f"csv:{actuals}"]):
        result = run_cli("check", "--targets", CATALOGUE, "-a", actuals, *args)
        assert result.exit_code == 2, result.stderr
        assert "the run's inputs" in result.stderr
        assert actuals.read_bytes() == before


def test_a_hard_link_to_the_actuals_is_not_overwritten(tmp_path: Path, actuals: Path) -> None:
    link = tmp_path / "report.csv"
    os.link(actuals, link)
    result = run_cli("check", "--targets", CATALOGUE, "-a", actuals, "-o", link)
    assert result.exit_code == 2 and "the run's inputs" in result.stderr


def test_no_report_inside_an_actuals_folder_or_over_the_catalogue(
    actuals: Path, catalogue_dir: Path
) -> None:
    folder = actuals.parent
    result = run_cli("check", "--targets", catalogue_dir, "-a", folder, "-o", folder / "r.json")
    assert result.exit_code == 2 and "a folder of the run's inputs" in result.stderr
    assert not (folder / "r.json").exists()
    plan = catalogue_dir / "plans" / "demo_plan.yaml"
    before = plan.read_bytes()
    for command in (
        ["report", "--targets", catalogue_dir, "-a", actuals, "-o", plan],
        ["template", "--targets", catalogue_dir, "-o", catalogue_dir / "regions.yaml"],
    ):
        result = run_cli(*command)
        assert result.exit_code == 2 and "the run's inputs" in result.stderr, result.stderr
    assert plan.read_bytes() == before


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_stdout_by_name_is_stdout(name: str, actuals: Path) -> None:
    """In a real process (fd 1 a pipe): the report arrives on stdout, nothing is replaced."""
    result = subprocess.run(
        [
            *(sys.executable, "-m", "plancheck", "check", "--targets", str(CATALOGUE)),
            *("-a", str(actuals), "-f", "json", "-o", name),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("{") and '"as_of": 2015' in result.stdout
    assert result.stderr == ""


def test_a_report_to_stdout_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        out.parse_reports(["junit:-"], ["junit"])
    assert "stdout carries the main output" in caught.value.problems[0].message


def test_an_unwritable_step_summary_stops_every_report(
    tmp_path: Path, actuals: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary-folder"
    summary.mkdir()  # a folder: it cannot be appended to
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    junit = tmp_path / "plancheck.xml"
    result = run_cli(
        "check", "--targets", CATALOGUE, "-a", actuals, "-f", "github", "--report", f"junit:{junit}"
    )
    assert result.exit_code == 2
    assert "cannot append the summary" in result.stderr
    # No report of the results was written: at most the report of the problem itself.
    assert not junit.exists() or (
        "cannot append the summary" in junit.read_text(encoding="utf-8")
        and "demo_forest_2015" not in junit.read_text(encoding="utf-8")
    )
    assert leftovers(tmp_path) == []


def test_a_writable_step_summary_gets_the_markdown(
    tmp_path: Path, actuals: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli("check", "--targets", CATALOGUE, "-a", actuals, "-f", "github")
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### ") and "demo\\_forest\\_2015" in text


def test_a_failed_rename_puts_the_old_reports_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, third = tmp_path / "a.json", tmp_path / "b.xml", tmp_path / "c.csv"
    first.write_bytes(b"old a")
    second.write_bytes(b"old b")
    real_replace = os.replace
    calls: list[str] = []

    def failing(src: str, dst: str) -> None:
        calls.append(str(dst))
        if len([c for c in calls if not c.endswith(".old")]) == 3:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(InputError) as caught:
        out.write_atomically([(first, b"new a"), (second, b"new b"), (third, b"new c")])
    assert "No space left on device" in caught.value.problems[0].message
    assert (first.read_bytes(), second.read_bytes()) == (b"old a", b"old b")
    assert not third.exists()
    assert leftovers(tmp_path) == []


def test_sigterm_while_staging_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.xml"
    first.write_bytes(b"old a")
    real_stage = out._stage
    staged: list[Path] = []

    def stage_then_signal(path: Path, data: bytes) -> str:
        tmp = real_stage(path, data)
        staged.append(path)
        if len(staged) == 2:
            os.kill(os.getpid(), signal.SIGTERM)
        return tmp

    def terminated(signum: int, frame: object) -> None:  # instead of killing the test run
        raise RuntimeError("SIGTERM reached the test: write_atomically did not handle it")

    monkeypatch.setattr(out, "_stage", stage_then_signal)
    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        with pytest.raises(SystemExit) as caught:
            out.write_atomically([(first, b"new a"), (second, b"new b")])
        assert signal.getsignal(signal.SIGTERM) is terminated  # put back
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert caught.value.code == 128 + signal.SIGTERM
    assert first.read_bytes() == b"old a" and not second.exists()
    assert leftovers(tmp_path) == []


def test_sigint_while_renaming_waits_for_the_last_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.xml"
    first.write_bytes(b"old a")
    second.write_bytes(b"old b")
    real_replace = os.replace
    sent: list[bool] = []

    def replace_then_signal(src: str, dst: str) -> None:
        real_replace(src, dst)
        if not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(os, "replace", replace_then_signal)
    with pytest.raises(KeyboardInterrupt):
        out.write_atomically([(first, b"new a"), (second, b"new b")])
    assert (first.read_bytes(), second.read_bytes()) == (b"new a", b"new b")  # no mix
    assert leftovers(tmp_path) == []


def test_a_streamed_report_is_written_whole_and_in_order(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    chunks = [f"{n:05d}✓\n" * (n % 40) for n in range(500)]
    out.write_atomically([(target, iter(chunks))])
    assert target.read_text(encoding="utf-8") == "".join(chunks)
    assert leftovers(tmp_path) == []


def test_an_error_while_a_report_streams_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_bytes(b"old")

    def chunks() -> object:
        for number in range(100):
            if number == 50:
                raise RuntimeError("rendering failed")
            yield "x" * 1000

    with pytest.raises(RuntimeError, match="rendering failed"):
        out.write_atomically([(target, chunks())])  # type: ignore[list-item]
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE")
def test_a_write_failing_midway_is_an_output_error_and_stops_rendering(tmp_path: Path) -> None:
    # A file-size limit makes a write fail (EFBIG) after about 3 MB of 1 MB chunks.
    target = tmp_path / "r.json"
    target.write_bytes(b"old")
    script = f"""
import resource, signal
from pathlib import Path
from plancheck import output as out
from plancheck.problems import InputError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (3_500_000, 3_500_000))
made = []
def chunks():
    for number in range(200):
        made.append(number)
        yield "x" * 1_000_000
try:
    out.write_atomically([(Path({str(target)!r}), chunks())])
except InputError as err:
    print(err.problems[0].type, len(made), err.problems[0].message)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    kind, made, message = done.stdout.split(" ", 2)
    assert kind == "output-error" and "cannot write the report" in message
    assert int(made) < 20  # rendering stopped soon after the failed write
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []
