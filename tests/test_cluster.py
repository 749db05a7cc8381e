"""Issue 17: `checker batch --scheduler` on a real Dask cluster (a `dask scheduler` and two `dask worker`
processes on loopback): the same reports and summary as the local pool, a worker killed mid-run loses
nothing, a task that kills its worker twice is a lost row, and a stopped run resumes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

if os.environ.get("CI"):
    import distributed  # CI installs the dask extra: a broken install must fail, not skip
else:
    distributed = pytest.importorskip("distributed")

from checker.cli import main
from checker.resume import JOURNAL

BIN = Path(sys.executable).parent


def _wait(predicate, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.005)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers (each under its nanny, which replaces it if it dies)."""
    folder = tmp_path_factory.mktemp("dask")
    sched_file = folder / "scheduler.json"
    env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}  # as the README advises
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(sched_file)],
                              env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        _wait(sched_file.exists, "the scheduler", 60)
        for _ in range(2):
            procs.append(subprocess.Popen([str(BIN / "dask"), "worker", "--scheduler-file", str(sched_file),
                                           "--host", "127.0.0.1", "--nthreads", "1", "--nworkers", "1",
                                           "--no-dashboard"], env=env, cwd=folder,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        client = distributed.Client(scheduler_file=str(sched_file), timeout="30s")
        client.wait_for_workers(2, timeout=120)
        yield client
        client.close()
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.fixture(scope="module")
def cohort(built, tmp_path_factory) -> Path:
    """40 submissions (the fixtures, under several names, so some learners share answers) and a broken one."""
    folder = tmp_path_factory.mktemp("cohort")
    sources = sorted((built / "submissions").glob("*.docx"))
    for i in range(40):
        shutil.copy(sources[i % len(sources)], folder / f"learner{i:02d}.docx")
    (folder / "broken.docx").write_bytes(b"not a zip")
    return folder


def _batch(cohort: Path, out: Path, *extra: str) -> list[str]:
    return ["batch", str(cohort), "--out", str(out), "--no-progress", "--format", "json", "--format", "html",
            "--unreadable-ok", *extra]


@pytest.fixture(scope="module")
def pool_out(cohort, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pool")
    assert main(_batch(cohort, out, "--jobs", "2")) == 1
    return out


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != JOURNAL}


def _address(cluster) -> str:
    return cluster.scheduler.address


def test_cluster_reports_and_summary_are_the_pools(cluster, cohort, pool_out, tmp_path):
    out = tmp_path / "out"
    assert main(_batch(cohort, out, "--scheduler", _address(cluster))) == 1
    got, want = _outputs(out), _outputs(pool_out)
    assert set(got) == set(want) and len(want) == 41 * 2 + 4  # two reports a file; summary .json .csv .html, junit
    assert [name for name in want if got[name] != want[name]] == []
    data = json.loads(got["summary.json"])
    assert data["totals"]["files"] == 41 and data["similar"]  # the copies were found on the cluster too


def test_a_local_cluster_gives_the_same_summary(cohort, pool_out, tmp_path):
    out = tmp_path / "out"
    assert main(_batch(cohort, out, "--scheduler", "local", "--jobs", "2")) == 1
    assert _outputs(out) == _outputs(pool_out)


def test_a_worker_killed_mid_run_loses_nothing(cluster, cohort, pool_out, tmp_path):
    out = tmp_path / "out"
    before = cluster.run(os.getpid)  # worker address -> its process id
    victim = next(iter(before.values()))
    seen: list[int] = []

    def kill_when_started() -> None:
        journal = out / JOURNAL
        _wait(lambda: journal.exists() and journal.read_text().count("\n") >= 2, "the first rows")
        seen.append(journal.read_text().count("\n"))
        os.kill(victim, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_started, daemon=True)
    killer.start()
    assert main(_batch(cohort, out, "--scheduler", _address(cluster))) == 1
    killer.join(timeout=5)
    assert seen and seen[0] < 40  # the worker died with most of the cohort still to check
    assert victim not in cluster.run(os.getpid).values()
    assert _outputs(out) == _outputs(pool_out)  # every row, as the pool made it
    cluster.wait_for_workers(2, timeout=120)  # its nanny started a new one


def test_a_task_that_kills_its_worker_twice_is_lost_and_the_rest_are_not(cluster, tmp_path):
    from checker.cluster import DaskRunner

    marker = tmp_path / "flaky-died-once"

    def job(name: str) -> str:  # a closure: shipped to the workers by value
        if name == "killer" or (name == "flaky" and not marker.exists()):
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return name

    with DaskRunner(_address(cluster), ("ml25", ("json",), "assessor", str(tmp_path)), 2) as runner:
        got = sorted(runner.map(job, [("a",), ("killer",), ("flaky",), ("b",), ("c",)], lost=lambda n: f"lost {n}"))
    assert got == ["a", "b", "c", "flaky", "lost killer"]
    cluster.wait_for_workers(2, timeout=120)


def test_a_stopped_run_resumes_where_it_stopped(cluster, cohort, pool_out, tmp_path):
    out = tmp_path / "out"
    cmd = [str(BIN / "checker"), *_batch(cohort, out, "--scheduler", _address(cluster))]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = out / JOURNAL
    try:
        _wait(lambda: journal.exists() and journal.read_text().count("\n") >= 5, "the first rows")
    finally:
        proc.send_signal(signal.SIGKILL)  # the driver stops dead, as a lost machine would
        proc.wait()
    assert not (out / "summary.json").exists()
    done = [json.loads(line)["row"] for line in journal.read_text().splitlines() if line.endswith("}")]
    assert 5 <= len(done) < 40
    kept = {name: (out / name).stat().st_mtime_ns for row in done for name in row["reports"].values()}
    assert main(_batch(cohort, out, "--scheduler", _address(cluster), "--resume")) == 1
    assert {name: (out / name).stat().st_mtime_ns for name in kept} == kept  # not checked again
    assert _outputs(out) == _outputs(pool_out)
