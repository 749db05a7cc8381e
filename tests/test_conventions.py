"""The conventions assessors, learners and centres' CI expect (issue 15): config found upwards, fail levels,
CI formats, terminal output, the reproducibility stamp, consistent names and counts, pack ids."""

from __future__ import annotations

import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from checker import __version__
from checker.cli import main
from checker.engine import check
from checker.packs import rules_dir
from checker.report import render
from checker.report.terminal import fit, use_colour

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "draft-submission.docx"
GAPS_ONLY = Path("submissions") / "gap_06_logistics_q_labels.docx"  # gaps, nothing missing
MISSING = Path("submissions") / "gap_04_fe_college_table.docx"  # 3.3 missing
LINE = re.compile(r"^(?P<file>.+):(?P<where>document|\d+\.\d+):(?P<severity>gap|warning|info|error):"
                  r"(?P<code>[a-z-]+): (?P<message>\S.*)$")


@pytest.fixture(scope="module")
def example():
    return check(EXAMPLE, "ml25")


# --- config, found upwards, and --fail-level -------------------------------------------------------


def test_check_finds_config_upwards_and_flags_override_it(tmp_path, monkeypatch, capsys):
    deeper = tmp_path / "cohort" / "week1"
    deeper.mkdir(parents=True)
    (tmp_path / "checker.toml").write_text('audience = "learner"\nfail_level = "none"\n')
    monkeypatch.chdir(deeper)
    assert main(["check", str(EXAMPLE)]) == 0  # fail_level none from two folders up
    out = capsys.readouterr().out
    assert "What to add" in out and "too-few-items" not in out  # the learner audience, from the config
    assert main(["check", str(EXAMPLE), "--fail-level", "gap"]) == 1  # the flag wins
    capsys.readouterr()
    assert main(["check", str(EXAMPLE), "--no-config"]) == 1
    assert "too-few-items" in capsys.readouterr().out  # assessor again: the config was ignored
    other = tmp_path / "other.toml"
    other.write_text('fail_level = "missing"\n')
    assert main(["check", str(EXAMPLE), "--config", str(other)]) == 0  # gaps, but nothing missing


def test_pyproject_without_tool_checker_is_passed_over(tmp_path, monkeypatch):
    (tmp_path / "checker.toml").write_text('fail_level = "none"\n')
    inner = tmp_path / "project"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')  # no [tool.checker]: keep looking up
    monkeypatch.chdir(inner)
    assert main(["check", str(EXAMPLE)]) == 0


def test_a_bad_config_value_is_one_line_exit_2(tmp_path, monkeypatch, capsys):
    (tmp_path / "checker.toml").write_text('fail_level = "sometimes"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(EXAMPLE)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "checker.toml" in err[0] and "fail_level" in err[0]


def test_sections_honours_the_config_pack_relative_to_the_config_file(tmp_path, monkeypatch, capsys):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "toy.yaml").write_text((ROOT / "tests" / "data" / "toy.yaml").read_text())
    (tmp_path / "checker.toml").write_text('pack = "packs/toy.yaml"\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    assert main(["sections", str(EXAMPLE), "--format", "json"]) == 0
    toy_id = json.loads(capsys.readouterr().out)["pack"]
    assert toy_id != "ml25"
    assert main(["sections", str(EXAMPLE), "--format", "json", "--no-config"]) == 0
    assert json.loads(capsys.readouterr().out)["pack"] == "ml25"


@pytest.mark.parametrize(("name", "level", "code"), [(GAPS_ONLY, "missing", 0), (MISSING, "missing", 1),
                                                     (MISSING, "none", 0), (GAPS_ONLY, "gap", 1)])
def test_fail_level_on_check(built, name, level, code, capsys):
    assert main(["check", str(built / name), "--fail-level", level]) == code


def test_fail_level_on_batch_and_unreadable_is_still_2(built, tmp_path):
    gap = str(built / GAPS_ONLY)
    assert main(["batch", gap, "--out", str(tmp_path / "a"), "--jobs", "1", "--no-progress",
                 "--fail-level", "missing"]) == 0
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"%PDF-1.4")
    assert main(["check", str(bad), "--fail-level", "none"]) == 2


# --- CI formats ----------------------------------------------------------------------------------


def test_line_format_is_one_line_per_finding(example, capsys):
    assert main(["check", str(EXAMPLE), "--format", "line"]) == 1
    lines = capsys.readouterr().out.splitlines()
    expected = sum(len(c.findings) for c in example.criteria) + len(example.findings)
    assert len(lines) == expected and expected > 0
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert {m["file"] for m in parsed} == {str(EXAMPLE)}
    got = {(m["where"], m["code"]) for m in parsed}
    assert got == {(c.id, f.code) for c in example.criteria for f in c.findings} | {
        ("document", f.code) for f in example.findings}


def test_github_format_is_workflow_commands_escaped(tmp_path, built):
    odd = tmp_path / "50%, done: draft.docx"
    odd.write_bytes((built / GAPS_ONLY).read_bytes())
    result = check(odd, "ml25")
    out = render([result], "github").splitlines()
    assert out and all(re.match(r"^::(error|warning|notice) file=[^:]+,title=[^:]+::\S", line) for line in out)
    assert "file=" + str(odd).replace("%", "%25").replace(":", "%3A").replace(",", "%2C") in out[0]
    gaps = sum(f.severity == "gap" for c in result.criteria for f in c.findings)
    assert sum(line.startswith("::error ") for line in out) == gaps


def test_batch_writes_one_cohort_junit_file(built, tmp_path):
    folder = tmp_path / "cohort"
    folder.mkdir()
    for name in (GAPS_ONLY, MISSING, Path("submissions") / "clean_headings.docx"):
        (folder / name.name).write_bytes((built / name).read_bytes())
    (folder / "late.pdf").write_bytes(b"%PDF-1.4")
    out = tmp_path / "out"
    main(["batch", str(folder), "--out", str(out), "--jobs", "1", "--no-progress"])
    root = ET.parse(out / "junit.xml").getroot()
    summary = json.loads((out / "summary.json").read_text())
    suites = root.findall("testsuite")
    assert len(suites) == len(summary["submissions"]) == 4
    for suite, s in zip(suites, summary["submissions"], strict=True):
        assert suite.get("name") == s["learner"]["name"]
        cases = suite.findall("testcase")
        if s["status"] == "unreadable":
            assert len(cases) == 1 and cases[0].find("error") is not None
            continue
        assert [c.get("name") for c in cases] == summary["criteria"]
        failed = {c.get("name") for c in cases if c.find("failure") is not None}
        assert failed == {cid for cid, st in s["criteria"].items() if st != "met"}
        assert int(suite.get("failures")) == len(failed)
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in suites)


# --- terminal ------------------------------------------------------------------------------------


def test_text_fits_the_width_with_hanging_indents(example):
    text = render([example], "text")
    assert max(map(len, text.splitlines())) > 60  # the plain text has long lines to wrap
    fitted = fit(text, 60, colour=False)
    assert all(len(line) <= 60 for line in fitted.splitlines() if " " in line.strip())
    assert fitted.split() == text.split()  # nothing lost, nothing added
    wrapped = [line for line in fitted.splitlines() if line.startswith("         ") and line.strip()]
    assert wrapped  # continuation lines hang under their entry


def test_colour_on_request_and_never_with_no_color(example, monkeypatch, capsys):
    assert "\x1b[" in fit(render([example], "text"), None, colour=True)
    main(["check", str(EXAMPLE), "--color", "always"])
    assert "\x1b[1;33mGAP\x1b[0m" in capsys.readouterr().out
    main(["check", str(EXAMPLE)])  # auto, and the captured output is not a terminal
    assert "\x1b[" not in capsys.readouterr().out

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert use_colour("auto", Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour("auto", Tty()) and use_colour("always", Tty()) and not use_colour("never", Tty())


def test_learner_text_shows_advice_never_codes(example):
    codes = {f.code for c in example.criteria for f in c.findings} | {f.code for f in example.findings}
    for fmt in ("text", "html", "markdown"):
        out = render([example], fmt, "learner")
        assert not [code for code in codes if code in out], fmt
    text = render([example], "text", "learner")
    advice = [f.advice for c in example.criteria for f in c.findings if f.advice]
    assert advice and all(" ".join(a.split())[:50] in " ".join(text.split()) for a in advice)


# --- reproducibility stamp -----------------------------------------------------------------------


def test_json_has_the_stamp_and_it_can_be_recomputed(example):
    data = json.loads(render([example], "json"))
    assert data["checker"] == {"version": __version__}
    recomputed = hashlib.sha256((rules_dir() / "ml25.yaml").read_bytes() + (rules_dir() / "verbs.yaml").read_bytes())
    assert data["pack"]["sha256"] == recomputed.hexdigest() and data["pack"]["version"]
    assert data["submission"]["sha256"] == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt", ["text", "html", "markdown", "junit"])
def test_every_report_carries_the_stamp_at_its_foot(example, fmt):
    out = render([example], fmt)
    for value in (__version__, example.pack["sha256"], example.sha256):
        assert value in out, (fmt, value)
    if fmt != "junit":
        tail = out[-len(out) // 5 :]  # at the foot
        assert example.pack["sha256"] in tail and example.sha256 in tail


# --- consistency ---------------------------------------------------------------------------------


def test_one_name_for_how_a_section_was_found(example):
    names = {c.section.located_by for c in example.criteria if c.section}
    html, text = render([example], "html"), render([example], "text")
    for name in names:
        assert f"[{name}," in text and f'<span class="small">{name}</span>' in html
    assert "topic match" not in html and "numbered paragraph" not in html


def test_one_word_count_saying_what_is_set_aside(example, capsys):
    assert example.set_aside  # the example has an appendix and references set aside
    main(["sections", str(EXAMPLE), "--format", "json"])
    sections = json.loads(capsys.readouterr().out)
    data = json.loads(render([example], "json"))
    assert sections["submission"]["words"] == data["submission"]["words"] == example.words
    assert data["submission"]["set_aside"] == example.set_aside == sections["ignored_words"]
    for fmt in ("text", "html", "markdown"):
        out = render([example], fmt)
        assert f"{example.words} words; not counted:" in out
    main(["sections", str(EXAMPLE)])
    assert f"{example.words} words; not counted:" in capsys.readouterr().out


def test_pack_ids_in_any_case_and_pack_list_json(capsys):
    assert main(["check", str(EXAMPLE), "--pack", "ML25", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["pack"]["id"] == "ml25"
    assert main(["pack", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    ml25 = next(p for p in listed if p["id"] == "ml25")
    assert ml25["criteria"] == 16 and ml25["title"] and ml25["awarding_body"] == "ILM"


# --- README and help -----------------------------------------------------------------------------


def test_readme_says_command_1_exits_1_and_names_the_speed_table():
    readme = (ROOT / "README.md").read_text()
    assert "ends with exit code 1" in readme
    assert "the speed table below" not in readme
    assert main(["check", str(EXAMPLE), "--pack", "ml25", "--format", "json"]) == 1  # as the README says


def test_help_describes_the_new_options(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = capsys.readouterr().out
    for option in ("--fail-level", "--config", "--no-config", "--color", "line", "github", "NO_COLOR"):
        assert option in text
    with pytest.raises(SystemExit):
        main(["batch", "--help"])
    text = capsys.readouterr().out
    assert "--learners" in text and "junit.xml" in text
