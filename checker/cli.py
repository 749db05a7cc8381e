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

FORMATS = ("text", "json", "html", "markdown", "junit")


def _err(message: str) -> None:
    print(f"checker: {escape_controls(message, one_line=True)}", file=sys.stderr)


def _write(text: str, output: str | None) -> None:
    if output and output != "-":
        from .outputs import write_text

        write_text(output, text)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _guard(outputs: list[str | None], inputs: list[str]) -> None:
    """Before any work: no output may be a submission, and each must be a writable file path."""
    from .outputs import check_target, guard_output

    for out in outputs:
        if out and out != "-":
            guard_output(out, inputs)
            check_target(out)


def cmd_check(args: argparse.Namespace) -> int:
    from .engine import check
    from .packs import load_pack
    from .report import render
    from .runtime import gc_paused

    _guard([args.output, args.annotate], args.files)
    pack = load_pack(args.pack)
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

        annotate(results[0], Path(args.files[0]), Path(args.annotate), args.audience)
    _write(render(results, args.format, args.audience), args.output)
    return max(r.exit_code for r in results)


def cmd_sections(args: argparse.Namespace) -> int:
    from .packs import load_pack
    from .reader import read
    from .report.sections import render_sections
    from .sections import locate

    _guard([args.output], [args.file])
    pack = load_pack(args.pack)
    doc = read(args.file)
    found = locate(doc, pack)
    _write(render_sections(doc, pack, found, args.format), args.output)
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    from . import packs

    if args.pack_cmd == "list":
        for pid in packs.builtin_ids():
            p = packs.load_pack(pid).pack
            print(f"{p.id}\t{p.unit}\t{p.title}\t({len(p.criteria)} criteria)")
        return 0
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


def cmd_serve(args: argparse.Namespace) -> int:
    from .web import serve

    return serve(args.host, args.port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="checker",
        description="Check learners' .docx assignments against a unit's assessment criteria (offline).",
        epilog="Exit codes: 0 all criteria met, 1 a criterion not met, 2 usage error or unreadable input.",
    )
    parser.add_argument("--version", action="version", version=f"checker {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="check submissions against a pack",
                       description="Check one or more .docx submissions, criterion by criterion.")
    p.add_argument("files", nargs="+", metavar="FILE", help=".docx submission(s); opened read-only")
    p.add_argument("--pack", default="ml25", help="built-in pack id or path to a pack YAML (default: ml25)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    p.add_argument("--output", "-o", metavar="PATH", help="write the report here instead of standard output")
    p.add_argument("--audience", choices=("assessor", "learner"), default="assessor",
                   help="phrase findings for the assessor or as advice to the learner")
    p.add_argument("--annotate", metavar="OUT.docx",
                   help="also write a copy of the submission with a Word comment on each gap")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("sections", help="show where each criterion's answer was found",
                       description="Show, for each criterion, the section located as its answer and how.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--pack", default="ml25")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--output", "-o", metavar="PATH")
    p.set_defaults(func=cmd_sections)

    p = sub.add_parser("pack", help="list, show, validate rule packs; print the pack JSON Schema",
                       description="Work with rule packs (rules/*.yaml).")
    psub = p.add_subparsers(dest="pack_cmd", required=True, metavar="ACTION")
    psub.add_parser("list", help="list built-in packs", description="List the built-in packs.")
    show = psub.add_parser("show", help="show a pack's criteria", description="Show a pack, verbs resolved.")
    show.add_argument("pack", metavar="ID_OR_PATH")
    show.add_argument("--format", choices=("text", "json"), default="text")
    val = psub.add_parser("validate", help="validate pack files",
                          description="Validate pack files; errors name the file and line.")
    val.add_argument("paths", nargs="+", metavar="PATH")
    psub.add_parser("schema", help="print the pack JSON Schema", description="Print the pack JSON Schema.")
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("batch", help="check a cohort: one report per file plus a summary",
                       description="Check folders and globs of .docx submissions in parallel.")
    p.add_argument("paths", nargs="+", metavar="PATH", help=".docx files, folders or glob patterns")
    p.add_argument("--pack", default=None, help="pack id or path (default: from config, else ml25)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the reports and summary")
    p.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--format", dest="formats", action="append", choices=FORMATS,
                   help="report format per submission; repeatable (default: html and json)")
    p.add_argument("--audience", choices=("assessor", "learner"), default=None)
    p.add_argument("--unreadable-ok", action="store_true",
                   help="an unreadable file is a warning, not exit code 2")
    p.add_argument("--config", metavar="PATH", help="checker.toml or pyproject.toml with [tool.checker]")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_batch)

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
