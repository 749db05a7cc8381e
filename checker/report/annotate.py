"""An annotated COPY of a submission: a Word comment on each answer with a gap or warning, and one at the top
listing missing criteria and document-level findings. The source file is read once and never written."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ..errors import CheckerError
from ..result import CriterionResult, Result

AUTHOR = "checker"
INITIALS = "CK"
FLAGGED = ("gap", "warning")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LABEL = re.compile(r"^\s*(?:ac|q|question|criterion|task)?\s*\d+(?:\.\d+)*[a-z]?\s*[:.)\-–—]?\s*", re.I)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split()).casefold()


def _paragraphs(document) -> Iterator:  # noqa: ANN001 - docx.document.Document
    """Every paragraph of the body in document order: top level, in tables (nested too) and content controls;
    not inside text boxes, where Word cannot hold a comment range."""
    from docx.text.paragraph import Paragraph

    body = document.element.body
    for p in body.iter(f"{_W}p"):
        if any(a.tag == f"{_W}txbxContent" for a in p.iterancestors()):
            continue
        yield Paragraph(p, document._body)


def _text(paragraph) -> str:  # noqa: ANN001 - docx Paragraph
    """The paragraph's visible text, including runs inside hyperlinks, fields and insertions (not deletions)."""
    return "".join(t.text or "" for t in paragraph._p.iter(f"{_W}t"))


def find_anchor(paragraphs: list, heading: str, first_words: str = ""):  # noqa: ANN001, ANN201 - docx Paragraphs
    """The paragraph that starts a located answer: its heading (exact, then prefix either way, then without a
    leading criterion label), else the paragraph its first words begin; None when nothing matches."""
    texts = [_norm(_text(p)) for p in paragraphs]
    want = _norm(heading)
    bare = _norm(_LABEL.sub("", heading))
    tests = [
        lambda t: t == want,
        lambda t: len(want) >= 3 and t.startswith(want),
        lambda t: len(t) >= 12 and want.startswith(t),
        lambda t: len(bare) >= 8 and (_norm(_LABEL.sub("", t)) == bare or t.startswith(bare)),
    ]
    start = _norm(first_words)
    if len(start) >= 8:
        tests.append(lambda t: t.startswith(start))
    for test in tests:
        hits = [i for i, t in enumerate(texts) if want and t and test(t)]
        if hits:  # a heading repeated (e.g. in a list of criteria): prefer the one the answer follows
            followed = [i for i in hits if len(start) >= 8 and any(t.startswith(start) for t in texts[i:i + 6])]
            return paragraphs[(followed or hits)[0]]
    return None


def _runs(paragraph) -> list:  # noqa: ANN001 - docx Paragraph
    """Runs to hang a comment on: the paragraph's own runs, else any run inside it, else a new empty run."""
    from docx.text.run import Run

    if paragraph.runs:
        return paragraph.runs
    nested = [Run(r, paragraph) for r in paragraph._p.iter(f"{_W}r")]
    return nested or [paragraph.add_run("")]


def _comment(document, paragraph, lines: list[str]) -> None:  # noqa: ANN001 - docx objects
    comment = document.add_comment(_runs(paragraph), text=lines[0], author=AUTHOR, initials=INITIALS)
    comment._comment_elm.date = None  # python-docx stamps "now": the same check must give the same bytes
    for line in lines[1:]:
        comment.add_paragraph(line)


QUOTE_CHARS = 200  # a comment quotes a sentence, not a page


def criterion_lines(c: CriterionResult, audience: str) -> list[str]:
    flagged = [f for f in c.findings if f.severity in FLAGGED]
    if not flagged:  # met: why, in the learner's own words, so the assessor confirms it in seconds
        head = f"AC {c.id}: what is working" if audience == "learner" else f"AC {c.id}: MET"
        return [head] + [f"Why met ({e.supports}): “{_clip(e.quote)}”" for e in c.evidence[:3]]
    head = f"AC {c.id}: what to add" if audience == "learner" else f"AC {c.id}: {c.status.upper()}"
    return [head] + [f.text_for(audience) for f in flagged]


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def top_lines(result: Result, audience: str) -> list[str]:
    lines: list[str] = []
    missing = [c for c in result.criteria if c.status == "missing"]
    if missing:
        lines.append("No answer found for: " + ", ".join(c.id for c in missing) if audience == "learner"
                     else "MISSING: " + ", ".join(c.id for c in missing))
        lines += [f.text_for(audience) for c in missing for f in c.findings]
    lines += [f.text_for(audience) for f in result.findings]
    return lines


def annotate(result: Result, source_path: Path | str, out_path: Path | str, audience: str = "assessor") -> int:
    """Write a commented copy of `source_path` to `out_path` (atomically); return the number of comments added."""
    from ..outputs import guard_output, write_bytes
    from ..safeopen import read_file

    source, out = Path(source_path), Path(out_path)
    try:
        guard_output(out, [source])
    except CheckerError:
        raise CheckerError(out, "the annotated copy must not overwrite the submission; "
                                "choose another file name") from None
    data, added = annotated_copy(result, read_file(source), source, audience)
    write_bytes(out, data)
    return added


def annotated_copy(result: Result, data: bytes, name: Path | str, audience: str = "assessor") -> tuple[bytes, int]:
    """The commented copy of a submission's bytes, made in memory, and the number of comments added."""
    import docx

    from ..safeopen import open_package

    source = Path(name)
    package = open_package(source, data)  # the same safety checks as the check itself
    if result.sha256 and package.sha256 != result.sha256:
        raise CheckerError(source, "the file has changed since it was checked; check it again before annotating")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several types for packages it cannot handle
        raise CheckerError(source, f"cannot be annotated: {e}") from e
    paragraphs = list(_paragraphs(document))
    if not paragraphs:
        raise CheckerError(source, "cannot be annotated: the document has no paragraphs")
    fallback = next((p for p in paragraphs if _text(p).strip()), paragraphs[0])
    added = 0
    top = top_lines(result, audience)
    if top:
        _comment(document, fallback, top)
        added += 1
    for c in result.criteria:
        if c.section is None or not (c.evidence or any(f.severity in FLAGGED for f in c.findings)):
            continue
        anchor = (find_anchor(paragraphs, c.section.heading, c.section.first_words)
                  or find_anchor(paragraphs, c.section.anchor_text) or fallback)
        _comment(document, anchor, criterion_lines(c, audience))
        added += 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_times(buffer.getvalue()), added


FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's first date, as reproducible builds use


def _fixed_times(data: bytes) -> bytes:
    """The package rewritten with every member dated FIXED_TIME: python-docx dates them with the local time
    of saving, so the same submission annotated twice (or in another time zone) differed byte for byte."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info))
    return out.getvalue()
