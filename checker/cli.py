"""Command line: thin. Parses arguments, calls the library, picks a renderer, sets the exit code.

Exit codes: 0 every criterion met; 1 at least one criterion not met; 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .errors import CheckerError
from .safetext import escape_controls

FORMATS = ("text", "json", "html", "markdown", "junit", "line", "github")
BATCH_FORMATS = ("text", "json", "html", "markdown", "junit")  # one report file per submission


def _err(message: str) -> None:
    print(f"checker: {escape_controls(message, one_line=True)}", file=sys.stderr)


def _write(text: str, output: str | None, color: str = "never") -> None:
    if output and output != "-":
        from .outputs import write_text

        write_text(output, text)
        return
    if color != "plain":  # human text on a terminal: fitted to its width, statuses in colour
        from .report.terminal import fit, use_colour, width_of

        text = fit(text, width_of(sys.stdout), use_colour(color, sys.stdout))
    if text:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _settings(args: argparse.Namespace) -> dict:
    """The config file's settings (found upwards, or --config, or none with --no-config)."""
    from .config import load_config

    return load_config(getattr(args, "config", None), disabled=getattr(args, "no_config", False))


def _guard(outputs: list[str | None], inputs: list[str]) -> None:
    """Before any work: no output may be a submission, and each must be a writable file path."""
    from .outputs import check_target, guard_output

    for out in outputs:
        if out and out != "-":
            guard_output(out, inputs)
            check_target(out)


def cmd_check(args: argparse.Namespace) -> int:
    from .config import exit_code
    from .engine import check
    from .packs import load_pack
    from .report import render
    from .runtime import gc_paused

    _guard([args.output, args.annotate], args.files)
    if args.output and args.annotate and args.output != "-":
        from .outputs import same_file

        if same_file(args.output, args.annotate):
            raise CheckerError(args.annotate, "--annotate and --output name the same file: give each its own")
    cfg = _settings(args)
    audience = args.audience or cfg.get("audience", "assessor")
    fail_level = args.fail_level or cfg.get("fail_level", "gap")
    pack = load_pack(args.pack or cfg.get("pack", "ml25"))
    results = []
    for path in args.files:
        with gc_paused():
            result = check(path, pack)
        for e in result.errors:
            _err(f"{path}: {e.message}")
        results.append(result)
    if args.annotate:
        if len(results) != 1 or results[0].errors:
            raise CheckerError(args.annotate, "--annotate takes exactly one readable submission")
        from .report.annotate import annotate

        annotate(results[0], Path(args.files[0]), Path(args.annotate), audience)
    _write(render(results, args.format, audience), args.output, args.color if args.format == "text" else "plain")
    return exit_code([c.status for r in results for c in r.criteria], any(r.errors for r in results), fail_level)


def cmd_sections(args: argparse.Namespace) -> int:
    from .packs import load_pack
    from .reader import read
    from .report.sections import render_sections
    from .sections import locate

    _guard([args.output], [args.file])
    pack = load_pack(args.pack or _settings(args).get("pack", "ml25"))
    doc = read(args.file)
    found = locate(doc, pack)
    color = args.color if args.format == "text" else "plain"
    _write(render_sections(doc, pack, found, args.format), args.output, color)
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    from . import packs

    if args.pack_cmd == "list":
        listed = [packs.load_pack(pid).pack for pid in packs.builtin_ids()]
        if args.format == "json":
            print(json.dumps([{"id": p.id, "awarding_body": p.awarding_body, "level": p.level, "unit": p.unit,
                               "title": p.title, "version": p.version, "criteria": len(p.criteria),
                               "graded": any(c.grade for c in p.criteria)} for p in listed],
                             indent=2, ensure_ascii=False))
            return 0
        for p in listed:
            graded = ", graded" if any(c.grade for c in p.criteria) else ""
            print(f"{p.id}\t{p.awarding_body}\tlevel {p.level if p.level is not None else '-'}\t{p.unit}\t"
                  f"{p.title}\t({len(p.criteria)} criteria{graded})")
        return 0
    if args.pack_cmd == "draft":
        from .draft import draft

        _guard([args.output], [args.spec])
        out = Path(args.output) if args.output and args.output != "-" else None
        text = draft(args.spec, args.id or (out.stem if out else None))
        _write(text, args.output)
        if out:
            n = len(packs.load_pack(out).criteria)
            print(f"{out}: drafted, {n} criteria, {text.count('# check:') - 1} '# check:' notes", file=sys.stderr)
        return 0
    if args.pack_cmd == "test":
        from .packtest import run_pack_tests

        return run_pack_tests(args.pack, args.dir)
    if args.pack_cmd == "schema":
        print(json.dumps(packs.json_schema(), indent=2))
        return 0
    if args.pack_cmd == "validate":
        bad = 0
        for path in args.paths:
            try:
                p = packs.load_pack(Path(path))
                print(f"{path}: ok ({p.id}, {len(p.criteria)} criteria)")
            except CheckerError as e:
                _err(str(e))
                bad += 1
        return 2 if bad else 0
    pack = packs.load_pack(args.pack)
    if args.format == "json":
        print(json.dumps(pack.to_json(), indent=2, ensure_ascii=False))
        return 0
    p = pack.pack
    print(f"{p.unit} {p.title} (pack {p.id} {p.version}, {p.awarding_body}, level {p.level})")
    for c in pack.criteria:
        extra = []
        if c.quantity:
            extra.append(f"{c.quantity.min}+ {c.quantity.noun}")
        if c.parts:
            extra.append("parts: " + " + ".join(part.name for part in c.parts))
        tail = f"  [{'; '.join(extra)}]" if extra else ""
        print(f"  {c.id:5} {c.verb:<11} {c.kind:<11} {c.text}{tail}")
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run_batch

    return run_batch(args)


def cmd_sample(args: argparse.Namespace) -> int:
    from .sample import run_sample

    return run_sample(args.out, args.size, args.seed, args.output)


def cmd_serve(args: argparse.Namespace) -> int:
    from .web import serve

    return serve(args.host, args.port)


CHECK_EPILOG = """\
colour: --color auto colours met / gap / missing on a terminal; NO_COLOR=1 turns it off (--color always wins).
configuration: checker.toml, or [tool.checker] in pyproject.toml, found from the current folder upwards
  (keys: pack, formats, audience, fail_level, jobs, unreadable); flags override it.
exit codes: 0 every criterion met, 1 a criterion not met (see --fail-level), 2 usage error or unreadable input.
reproducibility: every report ends with the checker version, the pack's sha256 and the submission's sha256."""


def _jobs(text: str) -> int:
    """--jobs: a whole number of worker processes within config.MAX_JOBS (0 or -3 used to pass silently)."""
    from .config import MAX_JOBS

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"{value} is not from 1 to {MAX_JOBS}")
    return value


def _pack_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pack", default=None,
                   help="built-in pack id (any case) or path to a pack YAML (default: from config, else ml25)")


def _fail_level_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--fail-level", choices=("gap", "missing", "none"), default=None,
                   help="exit 1 when a criterion has a gap or is missing (gap, the default), only when one is "
                        "missing (missing), or never (none); unreadable input is always exit 2")


def _terminal_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--color", "--colour", choices=("auto", "always", "never"), default="auto",
                   help="colour the statuses of text output: auto (default) on a terminal unless NO_COLOR is set")


def _config_options(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--config", metavar="PATH", help="checker.toml or pyproject.toml with [tool.checker] "
                                                        "(default: the nearest one, from here upwards)")
    group.add_argument("--no-config", action="store_true", help="ignore every config file")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="checker",
        description="Check learners' .docx assignments against a unit's assessment criteria (offline).",
        epilog="Exit codes: 0 all criteria met, 1 a criterion not met (see --fail-level), 2 usage error or "
               "unreadable input. Settings: checker.toml or [tool.checker] in pyproject.toml, found from the "
               "current folder upwards (--config PATH, --no-config). CI: --format line | github | junit; "
               "batch also writes junit.xml. Colour: --color auto|always|never, NO_COLOR.",
    )
    parser.add_argument("--version", action="version", version=f"checker {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="check submissions against a pack",
                       description="Check one or more .docx submissions, criterion by criterion.",
                       epilog=CHECK_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", metavar="FILE", help=".docx submission(s); opened read-only")
    _pack_option(p)
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="output format (default: text); line = FILE:CRITERION:SEVERITY:CODE: message, "
                        "github = GitHub Actions annotations")
    p.add_argument("--output", "-o", metavar="PATH", help="write the report here instead of standard output")
    p.add_argument("--audience", choices=("assessor", "learner"), default=None,
                   help="assessor (default): findings with their codes; learner: advice on what to add, no codes")
    _fail_level_option(p)
    p.add_argument("--annotate", metavar="OUT.docx",
                   help="also write a copy of the submission with a Word comment on each gap")
    _terminal_options(p)
    _config_options(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("sections", help="show where each criterion's answer was found",
                       description="Show, for each criterion, the section located as its answer and how.")
    p.add_argument("file", metavar="FILE")
    _pack_option(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--output", "-o", metavar="PATH")
    _terminal_options(p)
    _config_options(p)
    p.set_defaults(func=cmd_sections)

    p = sub.add_parser("pack", help="list, show, validate rule packs; print the pack JSON Schema",
                       description="Work with rule packs (rules/*.yaml).")
    psub = p.add_subparsers(dest="pack_cmd", required=True, metavar="ACTION")
    lst = psub.add_parser("list", help="list built-in packs", description="List the built-in packs.")
    lst.add_argument("--format", choices=("text", "json"), default="text")
    show = psub.add_parser("show", help="show a pack's criteria", description="Show a pack, verbs resolved.")
    show.add_argument("pack", metavar="ID_OR_PATH")
    show.add_argument("--format", choices=("text", "json"), default="text")
    val = psub.add_parser("validate", help="validate pack files",
                          description="Validate pack files; errors name the file and line.")
    val.add_argument("paths", nargs="+", metavar="PATH")
    psub.add_parser("schema", help="print the pack JSON Schema", description="Print the pack JSON Schema.")
    dr = psub.add_parser("draft", help="draft a pack from a unit specification",
                         description="Draft a rule pack from a specification (.txt, .docx, .pdf, .html); what "
                         "needs a person's decision is marked '# check:'.")
    dr.add_argument("spec", metavar="SPEC")
    dr.add_argument("--output", "-o", metavar="PACK.yaml", help="write the pack here (default: standard output)")
    dr.add_argument("--id", help="pack id (default: from the output or specification file name)")
    pt = psub.add_parser("test", help="run a pack's tests", description="Check each annotated test submission "
                         "of a pack and compare status and codes per criterion; exit 1 with a diff on a mismatch.")
    pt.add_argument("pack", metavar="ID_OR_PATH")
    pt.add_argument("dir", nargs="?", metavar="DIR", help="test sources (default: tests/<id>/ beside the pack)")
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("batch", help="check a cohort: one report per file plus a summary",
                       description="Check folders and globs of submissions in parallel. Writes a report per "
                                   "submission, summary.html/.csv/.json and junit.xml (a testsuite per learner, a "
                                   "testcase per criterion). Every file in a folder that looks like a submission "
                                   "(.docx, .docm, .doc, .odt, .pdf, .rtf, .pages, .txt) is a row; those that "
                                   "cannot be read say why.")
    p.add_argument("paths", nargs="+", metavar="PATH", help=".docx files, folders or glob patterns")
    _pack_option(p)
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the reports and summary")
    p.add_argument("--jobs", "-j", type=_jobs, default=None, help="worker processes (default: all cores)")
    p.add_argument("--format", dest="formats", action="append", choices=BATCH_FORMATS,
                   help="report format per submission; repeatable (default: html and json)")
    p.add_argument("--audience", choices=("assessor", "learner"), default=None)
    _fail_level_option(p)
    p.add_argument("--learners", metavar="CSV",
                   help="CSV mapping submission file to learner: columns file, name and optionally id")
    p.add_argument("--unreadable-ok", action="store_true",
                   help="an unreadable file is a warning, not exit code 2")
    _config_options(p)
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--decisions", metavar="FILE.csv",
                   help="assessors' decisions (submission,criterion,decision,assessor): agreement in the summary")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT|local",
                   help="run the checks on a Dask cluster (the 'dask' extra): an existing scheduler's address, or "
                        "'local' for a local cluster of --jobs workers")
    p.add_argument("--resume", action="store_true",
                   help="skip submissions whose reports in --out were made from the same file and pack")
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("sample", help="draw the IQA sample from a batch run with --decisions",
                       description="Draw the internal quality assurance sample from a batch output folder: "
                                   "every assessor, disagreements first, then the most-flagged criteria, "
                                   "then a seeded random remainder.")
    p.add_argument("out", metavar="OUT", help="the batch's --out folder (or its summary.json)")
    p.add_argument("--size", type=int, required=True, metavar="N", help="rows in the sample")
    p.add_argument("--seed", type=int, default=0, help="seed for ties and the random remainder (default: 0)")
    p.add_argument("--output", "-o", metavar="PATH", help="write the sample CSV here (default: standard output)")
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("serve", help="run the learner pre-check web page (localhost)",
                       description="Serve the pre-check web page for learners.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)
    return parser


def _skip_spacy_cli() -> None:
    """`import spacy` also imports spaCy's own command line (typer, click, downloads): a quarter of our
    start-up for code this process never runs. Our CLI process stands in a stub for it; the library,
    imported by other programs, never does this."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return
    import types

    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package, so "spacy.cli.info" resolves to the stub below
    info = types.ModuleType("spacy.cli.info")
    info.info = lambda *args, **kwargs: None  # type: ignore[attr-defined]
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": info})


def main(argv: list[str] | None = None) -> int:
    _skip_spacy_cli()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CheckerError as e:
        _err(str(e))
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:  # a write the checks above could not foresee (disk full, permissions)
        _err(f"{e.filename or 'output'}: {e.strerror or e}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
