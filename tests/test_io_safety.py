"""Issue 14, command line and batch: outputs never land on a submission, bad outputs are one line and exit 2,
batch reads through the safe opener, survives a killed worker, writes atomically, and keeps hostile file
names (long, reserved, formulas, schemes, control characters) and symlink loops harmless."""

from __future__ import annotations

import csv
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from checker import batch
from checker.cli import main
from checker.errors import CheckerError

SAMPLE = Path("submissions") / "gap_04_fe_college_table.docx"
CLEAN = Path("submissions") / "clean_headings.docx"


def _one_line_error(err: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("checker: ") and "Traceback" not in err, err


@pytest.fixture()
def submission(built: Path, tmp_path: Path) -> Path:
    path = tmp_path / "learner.docx"
    shutil.copy(built / SAMPLE, path)
    return path


@pytest.mark.parametrize("how", ["same path", "symlink", "hard link"])
@pytest.mark.parametrize("command", ["check -o", "check --annotate", "sections -o"])
def test_an_output_onto_the_submission_is_refused(submission, tmp_path, capsys, how, command):
    before = submission.read_bytes()
    target = submission
    if how == "symlink":
        target = tmp_path / "report.html"
        target.symlink_to(submission)
    elif how == "hard link":
        target = tmp_path / "report.html"
        os.link(submission, target)
    verb, flag = command.split()
    assert main([verb, str(submission), flag, str(target)]) == 2
    _one_line_error(capsys.readouterr().err)
    assert submission.read_bytes() == before


@pytest.mark.parametrize("case", ["missing folder", "a folder", "batch --out a file"])
def test_a_bad_output_path_is_one_line_and_exit_2(submission, tmp_path, capsys, case):
    if case == "missing folder":
        argv = ["check", str(submission), "-o", str(tmp_path / "no" / "such" / "r.html")]
    elif case == "a folder":
        argv = ["check", str(submission), "-o", str(tmp_path)]
    else:
        (tmp_path / "out.txt").write_text("not a folder")
        argv = ["batch", str(submission), "--out", str(tmp_path / "out.txt"), "--jobs", "1", "--no-progress"]
    assert main(argv) == 2
    _one_line_error(capsys.readouterr().err)


def _limited_fsize() -> None:  # a "full disk": writes past 1 KB fail with EFBIG
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


def test_a_full_disk_leaves_the_old_summary_and_no_temporary_file(built, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text("OLD")
    proc = subprocess.run([sys.executable, "-m", "checker.cli", "batch", str(built / SAMPLE), "--out", str(out),
                           "--jobs", "1", "--no-progress", "--format", "json"],
                          capture_output=True, text=True, preexec_fn=_limited_fsize, timeout=120)
    assert proc.returncode == 2, proc.stderr
    _one_line_error(proc.stderr)
    assert "cannot write" in proc.stderr
    assert (out / "summary.json").read_text() == "OLD"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_atomic_open_keeps_the_previous_file_when_writing_fails(tmp_path):
    from checker.outputs import atomic_open

    target = tmp_path / "summary.html"
    target.write_text("OLD")
    with pytest.raises(CheckerError, match="No space left"), atomic_open(target) as f:
        f.write("NEW, half written")
        raise OSError(28, "No space left on device")
    assert target.read_text() == "OLD" and list(tmp_path.iterdir()) == [target]


def test_batch_reads_through_the_safe_opener(built, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(built / SAMPLE, folder / "good.docx")
    os.mkfifo(folder / "pipe.docx")  # the old reader waited for a writer for ever
    (folder / "zero.docx").symlink_to("/dev/zero")  # ... and read /dev/zero until memory ran out
    with open(folder / "huge.docx", "wb") as f:  # sparse: 1 GB on paper, nothing on disk
        f.truncate(2**30)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "checker.cli", "batch", str(folder), "--out", str(out),
                           "--jobs", "1", "--no-progress", "--format", "json"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2, proc.stderr
    rows = {Path(s["path"]).name: s for s in json.loads((out / "summary.json").read_text())["submissions"]}
    assert rows["good.docx"]["status"] == "gap"
    assert "pipe or device" in rows["pipe.docx"]["error"] and "pipe or device" in rows["zero.docx"]["error"]
    assert "MB limit" in rows["huge.docx"]["error"]


def _cohort(built: Path, folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(built / CLEAN, folder / name)
    return folder


def test_a_killed_worker_is_retried_then_an_unreadable_row(built, tmp_path, monkeypatch, capsys):
    folder = _cohort(built, tmp_path / "in", ["a.docx", "killer.docx", "flaky.docx", "b.docx", "c.docx"])
    marker = tmp_path / "flaky-died-once"
    real = batch.check_bytes

    def dying(data, name, pack):  # noqa: ANN001, ANN202 - runs in the forked workers
        if "killer" in name or ("flaky" in name and not marker.exists()):
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return real(data, name, pack)

    monkeypatch.setattr(batch, "check_bytes", dying)
    out = tmp_path / "out"
    assert main(["batch", str(folder), "--out", str(out), "--jobs", "2", "--no-progress", "--format", "json"]) == 2
    data = json.loads((out / "summary.json").read_text())
    rows = {Path(s["path"]).name: s for s in data["submissions"]}
    assert set(rows) == {"a.docx", "killer.docx", "flaky.docx", "b.docx", "c.docx"}
    assert rows["killer.docx"]["status"] == "unreadable" and "worker" in rows["killer.docx"]["error"]
    assert all(rows[n]["status"] == "met" for n in ("a.docx", "flaky.docx", "b.docx", "c.docx"))
    assert (out / "summary.html").exists() and (out / "summary.csv").exists()
    assert "killer.docx" in capsys.readouterr().err


def test_long_names_in_two_folders_and_a_learners_summary_docx(built, tmp_path):
    long = "a" * 240 + ".docx"
    _cohort(built, tmp_path / "in" / "one", [long, "summary.docx"])
    _cohort(built, tmp_path / "in" / "two", [long])
    out = tmp_path / "out"
    assert main(["batch", str(tmp_path / "in"), "--out", str(out), "--jobs", "1", "--no-progress"]) == 0
    data = json.loads((out / "summary.json").read_text())
    assert data["schema"] == "checker.batch/1" and len(data["submissions"]) == 3
    names = [s["reports"]["html"] for s in data["submissions"]]
    assert len(set(names)) == 3 and "summary.html" not in names
    assert all((out / n).is_file() and len(n.encode()) < 255 for n in names)
    assert "<table" in (out / "summary.html").read_text()  # the cohort's summary, not a learner's report


def test_globs_do_not_follow_symlink_loops(built, tmp_path):
    root = tmp_path / "in"
    _cohort(built, root / "a", ["one.docx"])
    _cohort(built, root / "b", ["two.docx"])
    (root / "a" / "to_b").symlink_to(root / "b")
    (root / "b" / "to_a").symlink_to(root / "a")
    (root / "a" / "self").symlink_to(root)
    found = batch.collect([f"{root}/**/*.docx", f"{root}/*/*/*.docx", str(root)])
    assert sorted(p.name for p in found) == ["one.docx", "two.docx"]


FORMULAS = ["=2+3.docx", "=HYPERLINK(x).docx", "+1.docx", "-1.docx", "@SUM(1).docx"]


def test_summary_csv_neutralises_formulas(built, tmp_path, monkeypatch):
    monkeypatch.chdir(_cohort(built, tmp_path / "in", FORMULAS))
    out = tmp_path / "out"
    main(["batch", ".", "--out", str(out), "--jobs", "1", "--no-progress", "--format", "json"])
    with (out / "summary.csv").open(newline="", encoding="utf-8") as f:
        cells = [row[0] for row in csv.reader(f)][1:]
    assert sorted(cells) == sorted("'" + n for n in FORMULAS)


def test_summary_html_links_are_quoted_relative_paths(built, tmp_path):
    folder = _cohort(built, tmp_path / "in", ["javascript:alert(1).docx"])
    out = tmp_path / "out"
    main(["batch", str(folder), "--out", str(out), "--jobs", "1", "--no-progress"])
    html = (out / "summary.html").read_text()
    assert 'href="javascript:' not in html and 'href="./javascript%3Aalert%281%29.html"' in html


def test_control_characters_are_escaped_in_junit_and_on_the_terminal(built, tmp_path, capsys):
    name = "evil\x1b[2J\x07name.docx"
    folder = _cohort(built, tmp_path / "in", [name])
    (folder / "bad\x1b]0;x\x07.docx").write_bytes(b"%PDF-1.5 renamed")
    path = str(folder / name)
    assert main(["check", path, "--format", "junit", "-o", str(tmp_path / "r.xml")]) == 0
    root = ET.fromstring((tmp_path / "r.xml").read_bytes())  # well-formed XML
    assert root.find("testsuite").get("name").endswith("evil\\x1b[2J\\x07name.docx")
    main(["check", path, "--format", "text"])
    main(["batch", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1", "--no-progress"])
    captured = capsys.readouterr()
    terminal = captured.out + captured.err
    assert "\x1b" not in terminal and "\x07" not in terminal
    assert "evil\\x1b[2J\\x07name.docx" in captured.out and "bad\\x1b]0;x\\x07.docx" in captured.err
