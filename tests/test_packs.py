"""Rule packs: the M&L 25 pack's content, validation errors naming file and line, a second unit."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from checker.cli import main
from checker.errors import CheckerError
from checker.packs import builtin_ids, json_schema, load_library, load_pack, rules_dir

DATA = Path(__file__).parent / "data"
ML25 = rules_dir() / "ml25.yaml"


def test_ml25_has_all_sixteen_criteria_with_quantities_and_parts(capsys):
    assert main(["pack", "show", "ml25", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    crit = {c["id"]: c for c in data["criteria"]}
    assert list(crit) == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2", "2.3",
                          "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7"]
    quantities = {cid: c["quantity"]["min"] for cid, c in crit.items() if c["quantity"]}
    assert quantities == {"1.1": 3, "1.6": 2, "2.1": 5, "2.2": 2, "2.3": 1, "3.1": 2, "3.7": 2}
    assert crit["1.1"]["text"] == "Describe the interpersonal skills needed for effective networking"
    assert crit["1.1"]["verb"]["name"] == "describe" and crit["1.1"]["verb"]["account"] is True
    assert {p["name"] for p in crit["1.3"]["parts"]} == {"shared agendas", "conflict management"}
    assert {p["name"] for p in crit["2.3"]["parts"]} == {"benefits", "limitations"}
    assert crit["2.1"]["evidence"] == "analysis" and crit["3.7"]["evidence"] == "actions"
    assert {c["kind"] for cid, c in crit.items() if cid.startswith("3.")} == {"performance"}
    assert {c["kind"] for cid, c in crit.items() if cid.startswith("1.")} == {"knowledge"}
    assert all(c["guidance"].strip() for c in crit.values())
    # The lexicon is rich enough for learners who never use the spec's words.
    assert len(crit["1.1"]["quantity"]["lexicon"]) >= 12


def test_verb_library_covers_every_verb_in_the_assessment_rules():
    verbs = load_library().verbs
    for name in ("identify", "list", "state", "outline", "describe", "explain", "discuss", "compare",
                 "analyse", "assess", "evaluate", "justify", "review", "recommend"):
        assert name in verbs, name
        assert verbs[name].source and verbs[name].definition
    assert {s.name for s in verbs["evaluate"].signals} == {"strengths", "weaknesses", "judgement"}
    assert {s.name for s in verbs["assess"].signals} == {"criteria", "judgement"}


def test_every_pack_in_rules_validates(capsys):
    paths = [str(p) for p in sorted(rules_dir().glob("*.yaml")) if p.stem not in ("verbs", "items")]
    assert paths
    assert main(["pack", "validate", *paths]) == 0
    assert "ok" in capsys.readouterr().out
    assert "ml25" in builtin_ids()


def _broken(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(ML25.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("mutate", "needle", "reason"),
    [
        (lambda d: d["criteria"][2].update(colour="red"), "colour:", "unknown key 'colour'"),
        (lambda d: d["criteria"][1].update(verb="ponder"), "verb: ponder", "unknown verb 'ponder'"),
        (lambda d: d["criteria"][0]["quantity"].update(min=0), "min: 0", "greater than 0"),
        (lambda d: d["criteria"][0]["quantity"].update(min="three"), "min: three", "valid integer"),
        (lambda d: d["criteria"][5].update(id="1.1"), None, "duplicate criterion id '1.1'"),
    ],
    ids=["unknown-key", "unknown-verb", "zero-quantity", "text-quantity", "duplicate-id"],
)
def test_broken_pack_is_one_error_naming_file_and_line(tmp_path, capsys, mutate, needle, reason):
    path = _broken(tmp_path, mutate)
    assert main(["pack", "validate", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(path) in err and reason in err
    if needle:
        assert f"{path}:{_line_of(path, needle)}:" in err
    else:
        assert re.search(rf"{re.escape(str(path))}:\d+: ", err)
        assert not err.startswith(f"checker: {path}:1:")  # the duplicate's own line, not the top


def test_yaml_syntax_error_names_the_line(tmp_path, capsys):
    path = tmp_path / "syntax.yaml"
    path.write_text("schema: checker.pack/1\nid: x\ncriteria: [\n  - id: 1\n", encoding="utf-8")
    assert main(["pack", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:" in err and "YAML syntax error" in err


def test_pack_errors_do_not_raise_tracebacks_from_check(tmp_path, capsys):
    path = _broken(tmp_path, lambda d: d.update(extra=1))
    with pytest.raises(CheckerError):
        load_pack(path)
    assert main(["check", "nothing.docx", "--pack", str(path)]) == 2
    assert "unknown key 'extra'" in capsys.readouterr().err


def test_schema_is_published_as_json_schema(capsys):
    assert main(["pack", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == json_schema()
    assert "criteria" in schema["properties"] and schema["additionalProperties"] is False


def test_a_second_unit_is_a_yaml_file_only(built, capsys):
    toy = load_pack(DATA / "toy.yaml")
    assert [c.id for c in toy.criteria] == ["1.1", "1.2", "2.1"]
    assert toy.criteria[2].kind == "performance"
    assert main(["pack", "show", str(DATA / "toy.yaml")]) == 0
    assert "Plan a team meeting" in capsys.readouterr().out
    from checker.engine import check

    result = check(built / "submissions" / "clean_headings.docx", toy)
    assert [c.id for c in result.criteria] == ["1.1", "1.2", "2.1"]
    assert result.pack["id"] == "toy"


def test_unknown_pack_id_is_a_clear_error(capsys):
    assert main(["pack", "show", "nosuchunit"]) == 2
    assert "no built-in pack" in capsys.readouterr().err


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert "checker" in capsys.readouterr().out
    for argv in (["--help"], ["check", "--help"], ["pack", "show", "--help"], ["sections", "--help"]):
        with pytest.raises(SystemExit) as e:
            main(argv)
        assert e.value.code == 0


def test_every_subpackage_is_installed_by_pyproject():
    """A wheel install (the README's first command) must carry every subpackage, rules and templates."""
    import tomllib

    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    subpackages = {".".join(p.parent.relative_to(root).parts) for p in (root / "checker").rglob("__init__.py")}
    assert subpackages <= set(config["packages"])
    assert config["package-dir"]["checker.rules"] == "rules"
    assert config["package-dir"]["checker.templates"] == "reports/templates"
