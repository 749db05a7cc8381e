"""`checker sections`: what was found for each criterion, how, and the text nobody claimed."""

from __future__ import annotations

import json

from ..checks.document import answer_words
from ..document import Document
from ..packs import ResolvedPack
from ..sections import Sectioning
from . import environment


def sections_data(doc: Document, pack: ResolvedPack, found: Sectioning) -> dict:
    criteria = []
    for c in pack.criteria:
        sec = found.sections.get(c.id)
        empty = found.empty.get(c.id)
        entry: dict = {"id": c.id, "found": sec is not None}
        if sec is not None:
            entry.update(heading=sec.heading, located_by=sec.located_by, words=sec.words,
                         shared_with=[i for i in sec.criteria if i != c.id],
                         first_words=" ".join(sec.text.split()[:12]))
        elif empty is not None:
            entry.update(heading=empty.heading, located_by=empty.located_by, words=0,
                         note="a heading or label was found but nothing is written under it")
        criteria.append(entry)
    unassigned = [{"where": b.where, "words": b.words, "text": b.text} for b in found.unassigned]
    return {
        "schema": "checker.sections/1",
        # the one word count of every view: the answers, with what was set aside named
        "submission": {"path": doc.path, "sha256": doc.sha256, "words": answer_words(doc, found),
                       "set_aside": dict(sorted(found.ignored.items()))},
        "pack": pack.id,
        "criteria": criteria,
        "unassigned": {"words": sum(u["words"] for u in unassigned), "blocks": unassigned},
        "ignored_words": dict(sorted(found.ignored.items())),
    }


def render_sections(doc: Document, pack: ResolvedPack, found: Sectioning, fmt: str) -> str:
    data = sections_data(doc, pack, found)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False)
    return environment().get_template("sections.j2").render(data=data)
