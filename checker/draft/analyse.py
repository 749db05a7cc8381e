"""One criterion's text -> its command verb, kind, quantity and parts, by the conventions of issue 13.

Nothing here invents: what the wording does not settle becomes a note (`# check: ...` in the pack).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .words import words

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_STOP_NOUN = {"needed", "for", "to", "that", "which", "with", "from", "in", "based", "on", "by", "who", "where",
              "when", "used", "required", "can", "could", "across", "using", "within", "relating", "of"}
_CUT = {"are", "is", "of", "in", "to", "for", "with", "that", "which", "used", "within", "when", "on", "as",
        "from", "by", "required", "can", "will", "throughout"}
_LEAD = {"the", "a", "an", "how", "why", "what", "of", "use", "about", "on", "to", "in", "between", "when",
         "their", "its", "ensure", "with"}


@dataclass
class Quantity:
    min: int
    noun: str
    source: str  # "criterion" or "guidance"


@dataclass
class Analysis:
    verb: str | None
    kind: str | None
    quantity: Quantity | None = None
    parts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _norm(word: str) -> str:
    w = word.lower().strip("’'")
    return words()["verb_forms"].get(w, w)


def command_verb(text: str) -> tuple[str | None, int]:
    """The leading command verb in base form ("Explain and justify" keeps both) and how many words it took."""
    toks = [_norm(t) for t in _WORD.findall(text)]
    verbs = sorted(words()["command_verbs"], key=lambda v: -len(v.split()))

    def at(i: int) -> tuple[str | None, int]:
        for v in verbs:
            n = len(v.split())
            if toks[i : i + n] == v.split():
                return v, n
        return None, 0

    if not toks:
        return None, 0
    first, n = at(0)
    if first is None:
        return None, 0
    if len(toks) > n + 1 and toks[n] == "and":
        second, m = at(n + 1)
        if second is not None and second != first:
            return f"{first} and {second}", n + 1 + m
    return first, n


def kind_of(verb: str | None, outcome_kind: str | None) -> str | None:
    doing = set(words()["doing_verbs"])
    if verb and any(v in doing for v in verb.split(" and ")):
        return "performance"
    return outcome_kind or ("knowledge" if verb else None)


def outcome_kind(text: str) -> str | None:
    low = re.sub(r"^[\w.]*\d[\w.]*\s*[:.]?\s*", "", text.strip()).lower()
    for kind, openers in words()["outcome_kinds"].items():
        if any(low.startswith(o + " ") for o in openers):
            return kind
    return None


def _number(tok: str) -> int | None:
    if tok.isdigit():
        return int(tok)
    return words()["numbers"].get(tok.lower())


def _noun_after(rest: str) -> str:
    out: list[str] = []
    for tok in _WORD.findall(rest):
        low = tok.lower()
        tok = tok if tok.isupper() and len(tok) <= 4 else low  # "IT", "ICT" keep their case
        if not out and low in ("of", "the", "different", "more", "or", "and"):
            continue
        if low in _STOP_NOUN or len(out) >= 5:
            break
        out.append(tok)
    while out and out[-1] in ("and", "or", "the"):
        out.pop()
    return " ".join(out)


def quantity_in(text: str) -> tuple[int, str] | None:
    """An explicit count ("three or more", "at least two", "(at least two)", "all three") or a range phrase."""
    flat = " ".join(text.split()).replace("(s)", "s ")  # "network(s)" counts networks
    for p in words()["not_quantities"]:  # same length, so offsets into `low` are offsets into `flat`
        flat = re.sub(re.escape(p), lambda m: " " * len(m.group(0)), flat, flags=re.I)
    low = flat.lower()
    num = r"(\d+|" + "|".join(words()["numbers"]) + r")"
    for pattern in words()["quantity_patterns"]:
        rx = re.escape(pattern).replace(re.escape("{n}"), num)
        for m in re.finditer(r"\b" + rx + r"\b", low):
            n = _number(m.group(1))
            noun = _noun_after(flat[m.end():])
            if n and noun and not re.fullmatch(r"\d+", noun):
                return n, noun
    for phrase in words()["range_phrases"]:
        m = re.search(r"\b" + re.escape(phrase) + r"\b", low)
        if m and (noun := _noun_after(flat[m.end():])):
            return 3, noun
    return None


def _strip_lead(chunk: str) -> str:
    toks = chunk.split()
    cut = 0
    for i, t in enumerate(toks):
        if t.lower() in _LEAD:
            cut = i + 1
    return " ".join(toks[cut:]) or chunk


def _cut_tail(item: str) -> str:
    toks = item.split()
    for i, t in enumerate(toks):
        if i and t.lower().strip(",.") in _CUT:
            return " ".join(toks[:i])
    return item.rstrip(".,;:")


def _clauses(obj: str) -> list[str]:
    """Further clauses with their own requirement: "... and report their presence", ", explaining ..."."""
    verbs = {v.split()[0] for v in words()["command_verbs"]}
    openers = words()["clause_openers"]
    toks = obj.split()
    cuts = []
    infinitive = False  # "to VERB" at some j < i - 1; kept as a running flag, so a long line costs linear time
    for i in range(1, len(toks) - 1):
        prev = toks[i - 1].lower()
        is_and = toks[i].lower() == "and"
        w = _norm(toks[i + 1].strip(",.")) if is_and else None
        # "to identify hazards and assess risks": the second verb shares the infinitive, no new clause
        j = i - 2
        infinitive = infinitive or (j >= 0 and toks[j].lower() == "to" and _norm(toks[j + 1]) in verbs)
        nominal = i + 2 < len(toks) and toks[i + 2].lower() == "of"  # "the importance and use of ..."
        to_again = is_and and toks[i + 1].lower() == "to" and infinitive  # "how to X and to Y"
        verb_clause = bool(w and w in verbs and not infinitive and not nominal) or to_again
        wh_clause = is_and and toks[i + 1].lower() in ("how", "why", "what")
        opens = any(" ".join(toks[i : i + len(o.split())]).lower() == o for o in openers)
        participle = (prev.endswith(",") or toks[i].lower() == "including") and opens
        if verb_clause or wh_clause or participle:
            cuts.append(i)
    if not cuts:
        return []
    out, start = [], 0
    for c in cuts:
        out.append(" ".join(toks[start:c]).rstrip(","))
        start = c + 1 if toks[c].lower() == "and" else c
    out.append(" ".join(toks[start:]))
    return [re.sub(r"^(?:how )?to ", "", o.strip(" .,")) for o in out if o.strip(" .,")]


def _comma_list(obj: str) -> list[str]:
    chunks = [c.strip() for c in re.split(r",\s*", obj)]
    for k, chunk in enumerate(chunks):
        if k == 0 or " and " not in f" {chunk} " or "and/or" in chunk:
            continue
        middle = chunks[1:k]
        if any(len(m.split()) > 5 or " or " in f" {m} " for m in middle):
            continue
        before, _, after = chunk.partition(" and ")
        first = _strip_lead(chunks[0])
        if len(first.split()) > 4 or len(before.split()) > 4 or not after:
            continue
        if f"{before.split()[-1]} and {after.split()[0]}".lower() in words()["doublets"] if before else False:
            continue
        items = [first, *middle, before, _cut_tail(after)]
        if all(items) and len(items) >= 3:
            return [i.strip(" .") for i in items]
    return []


def _pair(obj: str) -> list[str]:
    m = re.search(r"\band/or\b|\band\b", obj)
    if not m or m.group(0) == "and/or":
        return []
    before = obj[: m.start()].split()
    after = obj[m.end():].split()
    if not before or not after:
        return []
    # the first item runs back to a determiner/preposition (or the verb); at most three words
    take = []
    for t in reversed(before):
        if t.lower() in words()["pair_preceders"] or len(take) == 3 or t.lower().endswith("ing"):
            break  # a gerund before the pair ("following up leads and actions") makes it its object
        take.insert(0, t)
    if not take or len(before) - len(take) > 3 or any(t.lower() in _CUT for t in take):
        return []  # a pair deep in the object ("... in the analysis and improvement of") is a modifier
    preceder = before[-len(take) - 1].lower() if len(before) > len(take) else ""
    if preceder and preceder not in words()["pair_preceders"]:
        return []
    a = " ".join(take)
    b = _cut_tail(" ".join(after[:4]))
    if not b or any(t.endswith(",") for t in take):
        return []
    phrase = f"{take[-1]} and {after[0]}".lower().strip(",.")
    if phrase in words()["doublets"]:
        return []
    return [a.strip(" ,."), re.sub(r"^(?:the|a|an) ", "", b.strip(" ,."))]


def parts_of(text: str, verb_words: int, ranges: list[str]) -> list[str]:
    if ranges:
        return list(ranges)
    obj = " ".join(text.split()[verb_words:])
    for finder in (_comma_list, _clauses, _pair):
        found = finder(obj)
        if len(found) >= 2:
            return found
    return []


def analyse(text: str, outcome_k: str | None, ranges: list[str], guidance: list[str]) -> Analysis:
    verb, n = command_verb(text)
    a = Analysis(verb, kind_of(verb, outcome_k))
    if verb is None:
        a.notes.append("no command verb at the start: set `verb` by hand")
    q = quantity_in(text)
    if q:
        a.quantity = Quantity(q[0], q[1], "criterion")
    else:
        for g in guidance:
            low = g.lower()
            if ("required to" in low or "wide range" in low) and (q := quantity_in(g)):
                a.quantity = Quantity(q[0], q[1], "guidance")
                a.notes.append(f"quantity {q[0]} {q[1]} taken from the guidance: {' '.join(g.split())[:90]}")
                break
    a.parts = parts_of(text, n, ranges)
    for g in guidance:  # only sentences about this criterion (the caller picks them)
        m = re.search(r"must cover ([^.]+)", g, re.I)
        if m and not a.parts and (items := _comma_list("x, " + m.group(1))[1:] or _comma_list(m.group(1))):
            a.parts = items
            a.notes.append(f"parts from the guidance: {' '.join(m.group(0).split())[:90]}")
    return a
