"""A parsed specification -> a rule pack's YAML text, with `# check: ...` where the author must decide."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import CheckerError
from .analyse import Analysis, analyse
from .parse import Spec
from .terms import part_terms
from .words import words

_BODIES = [("OTHM", "OTHM"), ("City & Guilds", "City & Guilds"), ("City and Guilds", "City & Guilds"),
           ("IfATE", "IfATE"), ("Institute for Apprenticeships", "IfATE"), ("Edexcel", "Pearson Edexcel"),
           ("Pearson", "Pearson"), ("BTEC", "Pearson"), ("ILM", "ILM"), ("CMI", "CMI"), ("NCFE", "NCFE CACHE")]


_PLURAL = re.compile(r"\b(?:the )?(different|various|common types of|types of) ((?:\w+ )?\w+s)\b", re.I)


def shared_word(names: list[str]) -> tuple[int, str] | None:
    """The word every part of a list shares at its start or end ("risk" in "risk avoidance, risk reduction and
    risk transfer", "threats" in "internal threats and external threats"): (position 0 or -1, the word)."""
    split = [n.lower().split() for n in names]
    if len(split) < 2 or any(len(w) < 2 for w in split):
        return None
    for at in (0, -1):
        if len({w[at] for w in split}) == 1:
            return at, split[0][at]
    return None


def bases(names: list[str], text: str) -> list[str]:
    """Each part's name without the word its list or criterion shares at the end: "record" in "identify,
    investigate, report and record incidents", "risk review" in "risk avoidance, ... and risk review
    strategies", "software" in "must cover internal, ... and software threats" (the criterion's threats)."""
    split = [n.split() for n in names]
    out = list(names)
    lens = {len(w) for w in split[:-1]}
    if len(split) >= 3 and len(lens) == 1 and len(split[-1]) == lens.pop() + 1:
        first = {w[0].lower() for w in split}
        if len(split[0]) == 1 or len(first) == 1:
            out[-1] = " ".join(split[-1][:-1])
    said = set(re.findall(r"[a-z]+", text.lower()))
    for k, (name, w) in enumerate(zip(names, split, strict=True)):
        if len(w) >= 2 and name.lower() not in text.lower() and w[-1].lower() in said:
            out[k] = " ".join(w[:-1])
    return out


def q(text: str) -> str:
    """A YAML scalar: a JSON string is a valid double-quoted YAML string."""
    return json.dumps(" ".join(str(text).split()), ensure_ascii=False)


def _meta(spec: Spec, lines_text: str, path: Path) -> dict[str, str | int | None]:
    m = spec.meta
    body = m.get("awarding body", "")
    body = next((name for key, name in _BODIES if key.lower() in (body or lines_text[:3000]).lower()), "")
    unit = m.get("code") or ""
    title = m.get("unit title") or m.get("title") or ""
    if not title and (t := re.match(r"^(?:Unit (\d+)):\s*(.+)$", m.get("unit number and title", ""))):
        unit, title = unit or f"Unit {t.group(1)}", t.group(2).strip()
    if not unit and (u := re.search(r"\bUnit (\d+)\b", m.get("qualification", "") + " " + lines_text[:500])):
        unit = f"Unit {u.group(1)}"
    if not title and (t := re.search(r"Unit \d+:\s*([^,\n]+)", m.get("qualification", ""))):
        title = t.group(1).strip()
    level: str | int | None = m.get("unit level") or m.get("level")
    if not level and (lv := re.search(r"^Level:\s*(\S+)", lines_text, re.M)):
        level = lv.group(1)
    if isinstance(level, str) and level.strip().isdigit():
        level = int(level.strip())
    return {"awarding_body": body, "unit": unit, "title": title or path.stem, "level": level,
            "qualification": m.get("qualification", ""), "source": m.get("source", "")}


def render(spec: Spec, path: Path, pack_id: str, lines_text: str = "") -> str:
    if not spec.criteria:
        raise CheckerError(path, "no assessment criteria found: not a unit specification, or a layout the "
                                 "drafter does not know")
    meta = _meta(spec, lines_text, path)
    out = [f"# Drafted by `checker pack draft` from {path.name} ({spec.layout} layout). Text and guidance are",
           "# the specification's own words; review every `# check:` line, then delete it.",
           "schema: checker.pack/1", f"id: {pack_id}"]
    out.append(f"unit: {q(meta['unit'] or pack_id)}" + ("" if meta["unit"] else "  # check: the unit's number"))
    out.append(f"title: {q(meta['title'])}")
    out.append('version: "draft"')
    out.append(f"awarding_body: {q(meta['awarding_body'] or 'unknown')}"
               + ("" if meta["awarding_body"] else "  # check: awarding body not named"))
    if meta["level"] is not None:
        out.append(f"level: {meta['level'] if isinstance(meta['level'], int) else q(meta['level'])}")
    for key in ("qualification", "source"):
        if meta[key]:
            out.append(f"{key}: {q(meta[key])}")
    if spec.word_count:
        out.append(f"word_count: {{min: {spec.word_count[0]}, max: {spec.word_count[1]}}}")
    out += [f"# check: {n}" for n in spec.notes]
    out.append("")
    kinds: dict[str, str | None] = {}
    out.append("outcomes:" if spec.outcomes else "outcomes: []  # the specification has no outcomes")
    for o in spec.outcomes:
        kinds[o.id] = o.kind
        out += [f"  - id: {q(o.id)}", f"    text: {q(o.text or o.id)}"]
        out.append(f"    kind: {o.kind or 'knowledge'}"
                   + ("" if o.kind else "  # check: the outcome's wording does not say knowledge or performance"))
    out += ["", "criteria:"]
    anchors: dict[str, str] = {}
    body_rule = meta["awarding_body"] in words()["plural_is_two"]
    for c in spec.criteria:
        focus = c.focus + [g for g in c.guidance if "required to" in g.lower()]  # "In this criterion ..."
        a: Analysis = analyse(c.text, kinds.get(c.outcome or ""), c.ranges, focus)
        out.append(f"  - id: {q(c.id)}")
        if c.outcome:
            out.append(f"    outcome: {q(c.outcome)}")
        out.append(f"    text: {q(c.text)}")
        out.append(f"    verb: {a.verb or 'describe'}" + ("" if a.verb else "  # check: no command verb; "
                                                           "set the verb the descriptor asks for"))
        outcome_kind = kinds.get(c.outcome or "")
        if a.kind and (a.kind != outcome_kind or not c.outcome):
            out.append(f"    kind: {a.kind}")
        elif not a.kind and not c.outcome:
            out.append("    kind: knowledge  # check: no verb and no outcome to take the kind from")
        if c.grade:
            out.append(f"    grade: {c.grade}")
        if c.covers:
            out.append(f"    covers: [{', '.join(q(x) for x in c.covers)}]")
        if a.quantity:
            out.append(f"    quantity: {{min: {a.quantity.min}, noun: {q(a.quantity.noun)}}}")
        elif p := _PLURAL.search(c.text):
            rule = "the awarding body reads a plural as two or more" if body_rule else \
                "a plural with no number"
            out.append(f"    # check: {rule} ('{p.group(0)}'): add quantity {{min: 2, noun: {p.group(2)}}}?")
        if a.parts:
            out.append("    parts:")
            names = [" ".join(part.split()) for part in a.parts]
            based = bases(names, c.text)
            shared = shared_word(based)
            for name, base in zip(names, based, strict=True):
                own = base if base != name else None
                if shared:  # the word the list shares tells its parts apart from nothing: each part's own word
                    words_ = base.split()
                    own = " ".join(words_[1:] if shared[0] == 0 else words_[:-1])
                terms = part_terms(name, own, c.text)
                if own and base not in (name, own):
                    terms.insert(1, base.lower())
                out.append(f"      - {{name: {q(name)}, terms: [{', '.join(q(t) for t in dict.fromkeys(terms))}]}}"
                           + ("  # check: terms" if len(name.split()) > 3 else ""))
        for n in [x for x in [*a.notes, *c.notes] if not x.startswith("no command verb")]:
            out.append(f"    # check: {n}" if not n.startswith("KSBs") else f"    # {n}")
        guidance = "\n".join(c.guidance).strip()
        if guidance:
            if guidance in anchors:
                out.append(f"    guidance: *{anchors[guidance]}")
            else:
                anchor = f"g{len(anchors) + 1}"
                anchors[guidance] = anchor
                out.append(f"    guidance: &{anchor} {json.dumps(guidance, ensure_ascii=False)}")
    return "\n".join(out) + "\n"
