"""A specification's lines -> outcomes, criteria and the guidance attached to them, for each layout seen.

Layouts (../shared/unit-specs/README.md): linear outcome + criterion lines (ILM, City & Guilds); an
outcome / criteria / indicative-content table (OTHM); a Pass | Merit | Distinction grid (BTEC National);
level-coded grade rows (BTEC Tech Award); a Markdown table of P and D criteria (IfATE end-point plans);
a descriptor grid AC1..ACn x U/P/M/D (BTEC 2020 design); strands (a)..(e) x mark bands (GCE).
Only the defining table makes a criterion: codes repeated in groupings, headers or guidance never do.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .analyse import command_verb, outcome_kind
from .words import words

GRADES = {"P": "pass", "M": "merit", "D": "distinction"}
GRADE_ORDER = ["pass", "merit", "distinction"]


@dataclass
class DOutcome:
    id: str
    text: str
    kind: str | None
    guidance: list[str] = field(default_factory=list)


@dataclass
class DCriterion:
    id: str
    outcome: str | None
    text: str
    grade: str | None = None
    aims: str = ""  # learning aims a graded criterion spans ("AB")
    covers: list[str] = field(default_factory=list)
    guidance: list[str] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)  # guidance sentences about this criterion alone
    ranges: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Spec:
    layout: str
    outcomes: list[DOutcome] = field(default_factory=list)
    criteria: list[DCriterion] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    word_count: tuple[int, int] | None = None

    def outcome(self, oid: str | None) -> DOutcome | None:
        return next((o for o in self.outcomes if o.id == oid), None)

    def add(self, c: DCriterion) -> bool:
        if any(x.id == c.id for x in self.criteria):
            return False  # the first definition wins; later mentions are groupings or headers
        self.criteria.append(c)
        return True


# --- cleaning -----------------------------------------------------------------------------------

_PAGE = re.compile(r"^=== page \d+ ===$")


def clean(lines: list[str], keep_pages: bool = False) -> list[str]:
    """Drop page markers, page numbers and running headers/footers (a line repeated at page tops)."""
    tops: Counter[str] = Counter()
    for i, line in enumerate(lines):
        if _PAGE.match(line.strip()):
            for nxt in lines[i + 1 : i + 4]:
                tops[" ".join(nxt.split())] += 1
    repeated = {t for t, n in tops.items() if n >= 2 and t}
    out = []
    for line in lines:
        flat = " ".join(line.split())
        if keep_pages and _PAGE.match(flat):
            out.append(flat)
            continue
        if _PAGE.match(flat) or flat in repeated or re.fullmatch(r"\d{1,3}", flat) or "©" in flat:
            continue
        line = line.replace("\u00a0", " ")
        out.append(line.rstrip() or ("\t" if "\t" in line else ""))  # a TAB-only line separates cells
    return out


def _join(parts: list[str]) -> str:
    out = ""
    for p in parts:
        p = " ".join(p.split())
        if p:  # a word hyphenated at a line end ("self-" / "management") joins without a space
            out = f"{out}{p}" if out.endswith("-") and not out.endswith(" -") else f"{out} {p}".strip()
    return out.replace(" ,", ",")


def _is_continuation(line: str) -> bool:
    s = line.strip()
    return bool(s) and (s[0].islower() or s[0] in "(–-") and not s.startswith("• ")


# --- layouts ------------------------------------------------------------------------------------

_BTEC = re.compile(r"^(?:\d+/)?([A-D]{1,2})\.([PMD])(\d{1,2})\b[\s:]*(.*)$")
_TECH = re.compile(r"^([A-C])\.([12])([PMD])(\d{1,2})\s+(.+)$")
_IFATE = re.compile(r"^\|\s*([PMD]\d{1,2})\s*\|\s*(.+?)\s*\|\s*(.*?)\s*\|\s*$")
_LINEAR_AC = re.compile(r"^\s*(\d{1,2}\.\d{1,2})\s+(?!\d)(.+)$")
_RANGE_ITEM = re.compile(r"^\s*(\d{1,2}\.\d{1,2})([a-z])\s+[•·\-–]?\s*(.+)$")
_OUTCOME = re.compile(r"^\s*(?:learning\s+outcome\s*|LO\s*)?(\d{1,2})\s*[.:]\s*(?!\d)(.+)$", re.I)


def detect(lines: list[str]) -> str:
    text = "\n".join(lines)
    if sum(bool(_IFATE.match(ln.strip())) for ln in lines) >= 2:
        return "ifate"
    if sum(bool(_TECH.match(c.strip())) for ln in lines for c in ln.split("\t")) >= 3:
        return "techaward"
    if sum(bool(_BTEC.match(ln.strip())) and bool(command_verb(_BTEC.match(ln.strip()).group(4))[0])
           for ln in lines) >= 3:
        return "btec"
    if len(re.findall(r"^AC\d+:", text, re.M)) >= 2:
        return "descriptors"
    if "Mark band 1" in text and re.search(r"^\(a\)", text, re.M):
        return "markbands"
    if re.search(r"Assessment Criteria\s*-?\s*The learner can", text, re.I):
        return "table"
    return "linear"


def parse(lines: list[str], meta: dict[str, str] | None = None) -> Spec:
    paged = clean(lines, keep_pages=True)
    lines = clean(lines)
    layout = detect(lines)
    spec = Spec(layout, meta=dict(meta or {}))
    _metadata(lines, spec)
    {"ifate": _ifate, "techaward": _techaward, "btec": _btec, "descriptors": _descriptors,
     "markbands": _markbands, "table": _table, "linear": _linear}[layout](paged if layout == "descriptors"
                                                                          else lines, spec)
    _grades(spec)
    _word_counts(lines, spec)
    return spec


def _metadata(lines: list[str], spec: Spec) -> None:
    m = spec.meta
    for line in lines[:400]:
        s = line.strip()
        cells = [c.strip() for c in s.split("\t")]
        key = cells[0].lower().rstrip(":")
        if len(cells) == 2 and key in ("unit title", "unit level", "unit reference number", "unit number and title"):
            m.setdefault(key, cells[1])
        elif (kv := re.match(r"^(title|code|level|reference|eltCode):\s*(.+)$", s)):
            m.setdefault(kv.group(1).lower(), kv.group(2).strip())
        elif re.match(r"^Unit (\d+):\s*(.+)$", s) and "unit number and title" not in m:
            m.setdefault("unit number and title", s)


def _linear(lines: list[str], spec: Spec) -> None:
    outcome: DOutcome | None = None
    crit: DCriterion | None = None
    last_was_crit = False
    for raw in lines:
        s = raw.strip()
        if not s:
            last_was_crit = False
            continue
        if (r := _RANGE_ITEM.match(s)) and crit and r.group(1) == crit.id:
            crit.ranges.append(r.group(3).strip().rstrip("."))
            last_was_crit = False
            continue
        m = _LINEAR_AC.match(s)
        if m and command_verb(m.group(2))[0]:
            cid = m.group(1)
            lo = cid.split(".")[0]
            if outcome is None or outcome.id != lo:
                outcome = spec.outcome(lo) or outcome
            crit = DCriterion(cid, outcome.id if outcome else None, " ".join(m.group(2).split()))
            if not spec.add(crit):
                crit = None
            last_was_crit = crit is not None
            continue
        o = _OUTCOME.match(s)
        if o and (outcome_kind(o.group(2)) or re.match(r"^\s*(learning\s+outcome|LO)", s, re.I)):
            outcome = DOutcome(o.group(1), " ".join(o.group(2).split()).rstrip(), outcome_kind(o.group(2)))
            if not spec.outcome(outcome.id):
                spec.outcomes.append(outcome)
            crit, last_was_crit = None, False
            continue
        if crit and last_was_crit and _is_continuation(s):
            crit.text = _join([crit.text, s])
            continue
        last_was_crit = False
        if crit:
            crit.guidance.append(s)
        elif outcome:
            outcome.guidance.append(s)


def _cells(lines: list[str]) -> list[list[str]]:
    """OTHM's copy: a cell's paragraphs one after another, cells separated by a line holding only TABs."""
    cells: list[list[str]] = [[]]
    for line in lines:
        if line.strip() == "" and "\t" in line:
            if cells[-1]:
                cells.append([])
            continue
        if line.strip():
            cells[-1].append(line)
    return [c for c in cells if c]


def _table(lines: list[str], spec: Spec) -> None:
    start = next(i for i, ln in enumerate(lines) if re.search(r"The learner can", ln, re.I)) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].strip().lower() == "assessment"), len(lines))
    outcome: DOutcome | None = None
    ac_numbered = re.compile(r"^(\d{1,2})(?:\.(\d{1,2}))?\.?\s+(.+)$")
    cells: list[list[str]] = []
    nxt = 1
    for cell in _cells(lines[start:end]):  # an outcome's row can follow the last cell with no TAB line
        cur: list[str] = []
        for line in cell:
            o = _OUTCOME.match(line.strip())
            if o and outcome_kind(o.group(2)) and int(o.group(1)) == nxt:
                nxt += 1
                if cur:
                    cells.append(cur)
                cur = []
            elif (m := _LINEAR_AC.match(line)) and command_verb(m.group(2))[0] and cur \
                    and not ac_numbered.match(cur[0].strip()):
                cells.append(cur)  # an explicit "1.6 Explain ..." row straight after guidance: a new cell
                cur = []
            cur.append(line)
        cells.append(cur)
    for cell in cells:
        first = cell[0].strip()
        o = _OUTCOME.match(first)
        if o and outcome_kind(o.group(2)) and (outcome is None or int(o.group(1)) == int(outcome.id) + 1):
            text = _join([o.group(2)] + [c for c in cell[1:] if _is_continuation(c)])
            outcome = DOutcome(o.group(1), text, outcome_kind(text))
            spec.outcomes.append(outcome)
            continue
        m = ac_numbered.match(first)
        if m and command_verb(m.group(3))[0] and outcome:
            crit: DCriterion | None = None
            for line in cell:
                s = line.strip()
                m = ac_numbered.match(s)
                if m and command_verb(m.group(3))[0]:
                    cid = f"{m.group(1)}.{m.group(2)}" if m.group(2) else f"{outcome.id}.{m.group(1)}"
                    if m.group(2) and m.group(1) != outcome.id:
                        spec.notes.append(f"criterion {cid} is numbered under outcome {outcome.id}")
                    crit = DCriterion(cid, outcome.id, " ".join(m.group(3).split()))
                    if not spec.add(crit):
                        crit = None
                elif crit:
                    crit.text = _join([crit.text, s])
            continue
        if outcome and not (len(cell) == 1 and cell[0].strip().upper() == "N/A"):
            outcome.guidance.extend(c.strip() for c in cell)
    for c in spec.criteria:
        o = spec.outcome(c.outcome)
        if o:
            c.guidance = list(o.guidance)


def _btec(lines: list[str], spec: Spec) -> None:
    aims: dict[str, str] = {}
    for line in lines:  # a centre's brief: "Learning aim(s)\tA: Understand ... B: Investigate ..."
        if line.lower().startswith("learning aim(s)"):
            for m in re.finditer(r"\b([A-D]): (.+?)(?= [A-D]: |$)", line.split("\t", 1)[-1]):
                aims.setdefault(m.group(1), m.group(2).strip())
    start = next((i for i, ln in enumerate(lines) if ln.strip().lower() == "assessment criteria"), 0)
    ends = [m.lower() for m in words()["criteria_end_markers"]]
    end = next((i for i in range(start + 1, len(lines))
                if any(lines[i].strip().lower().startswith(e) for e in ends if e != "assessment")), len(lines))
    crit: DCriterion | None = None
    aim: tuple[str, list[str]] | None = None
    for raw in lines[start:end]:
        s = raw.strip()
        if not s or re.fullmatch(r"(Pass|Merit|Distinction|\s)+", s):
            continue
        if (a := re.match(r"^Learning aim ([A-D]):\s*(.+)$", s)):
            aim, crit = (a.group(1), [a.group(2)]), None
            continue
        head, _, tail = s.partition("\t")
        m = _BTEC.match(head if tail else s)
        if m and (text := (tail or m.group(4)).strip()) and command_verb(text)[0]:
            if aim:
                aims.setdefault(aim[0], _join(aim[1]))
                aim = None
            letters, grade = m.group(1), GRADES[m.group(2)]
            crit = DCriterion(f"{letters}.{m.group(2)}{m.group(3)}", letters[0], " ".join(text.split()),
                              grade=grade, aims=letters)
            if not spec.add(crit):
                crit = None
            continue
        if aim:
            aim[1].append(s)
        elif crit:
            crit.text = _join([crit.text, s])
    if aim:
        aims.setdefault(aim[0], _join(aim[1]))
    # a PDF grid comes out cell by cell (AB.D1 before A.P1): put it back in Pearson's reading order, the
    # order of its assignment groupings: per aim pair, pass, merit, distinction, each by number
    spans = [c.aims for c in spec.criteria if len(c.aims) > 1]

    def order(c: DCriterion) -> tuple:
        group = next((s for s in spans if c.aims[0] in s), c.aims)
        return (group, GRADE_ORDER.index(c.grade or "pass"), int(re.sub(r"\D", "", c.id.split(".")[1]) or 0))

    spec.criteria.sort(key=order)
    for letter in sorted({c.aims[0] for c in spec.criteria} | set(aims)):
        text = aims.get(letter, "")
        if not text:
            spec.notes.append(f"learning aim {letter} has no title in the specification")
        spec.outcomes.append(DOutcome(letter, text, outcome_kind(text)))
    _btec_guidance(lines, spec)
    _btec_content(lines, spec)


_TOPIC = re.compile(r"^([A-D])(\d)\s+(\S.*)$")


def _btec_content(lines: list[str], spec: Spec) -> None:
    """The unit content ("A1 Threat types ..."), each topic added to the guidance of its aim's pass criterion
    nearest in wording: what a learner who copies the specification pastes back."""
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip().lower() == "content")
    except StopIteration:
        return
    repeated = Counter(ln.strip() for ln in lines)
    topics: list[tuple[str, list[str]]] = []
    for raw in lines[start + 1 :]:
        s = raw.strip()
        if s.lower() == "assessment criteria":
            break
        if not s or s.startswith("=== page") or s.isdigit() or repeated[s] >= 3:
            continue  # page breaks and the running header of every page
        if re.match(r"^Learning aim [A-D]:", s):
            topics.append(("", []))  # the aim's own title is not content
            continue
        if (m := _TOPIC.match(s)):
            topics.append((m.group(1), [s]))
        elif topics:
            topics[-1][1].append(s)
    for aim, body in topics:
        passes = [c for c in spec.criteria if c.aims[:1] == aim and c.grade == "pass"]
        if aim and passes:
            text = _join(body)
            best = max(passes, key=lambda c: _overlap(c.text, text))  # ties: the first
            best.guidance.append("Unit content: " + text)


def _btec_guidance(lines: list[str], spec: Spec) -> None:
    """ "Essential information for assessment decisions": per learning-aim pair, per grade."""
    try:
        start = next(i for i, ln in enumerate(lines) if "essential information for assessment decisions" in ln.lower())
    except StopIteration:
        return
    aims, grade, para = "", None, []
    blocks: list[tuple[str, str, str]] = []

    def flush() -> None:
        if grade and para:
            blocks.append((aims, grade, _join(para)))

    for raw in lines[start + 1 :]:
        s = raw.strip()
        if s.lower().startswith(("links to other units", "employer involvement")):
            break
        if (a := re.match(r"^Learning aims? ([A-D](?:(?:,| and) [A-D])*)$", s)):
            flush()
            aims, grade, para = "".join(re.findall(r"[A-D]", a.group(1))), None, []
            continue
        if (g := re.match(r"^For (pass|merit|distinction) standard", s, re.I)):
            flush()
            grade, para = g.group(1).lower(), [s]
            continue
        if grade:
            para.append(s)
    flush()
    for aim_set, g, text in blocks:
        targets = [c for c in spec.criteria if c.grade == g and set(c.aims) & set(aim_set)]
        for c in targets:
            c.guidance.append(text)
        for sentence in re.split(r"(?<=\.)\s+(?=[A-Z])", text):
            low = sentence.lower()
            if targets and ("range of" in low or "must cover" in low):
                best = max(targets, key=lambda c: _overlap(c.text, sentence))
                best.focus.append(sentence)


def _overlap(a: str, b: str) -> int:
    stems = lambda t: {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]{4,}", t)}  # noqa: E731
    return len(stems(a) & stems(b))


def _techaward(lines: list[str], spec: Spec) -> None:
    comp = "1"
    aim: DOutcome | None = None
    for raw in lines:
        s = raw.strip()
        if (c := re.match(r"^Component (\d+):", s)):
            comp, aim = c.group(1), None
            continue
        if (a := re.match(r"^([A-C])\s+([A-Z].+)$", s)) and "\t" not in s:
            aim = DOutcome(f"C{comp}.{a.group(1)}", " ".join(a.group(2).split()).rstrip("."),
                           outcome_kind(a.group(2)))
            continue
        for cell in s.split("\t"):
            m = _TECH.match(cell.strip())
            if not m:
                continue
            letter, level, g, n, text = m.groups()
            oid = f"C{comp}.{letter}"
            if aim is None or aim.id != oid:
                aim = DOutcome(oid, "", None)
                spec.notes.append(f"learning aim {oid} has no title in the specification")
            if not spec.outcome(oid):
                spec.outcomes.append(aim)
            spec.add(DCriterion(f"{oid}.{level}{g}{n}", oid, " ".join(text.split()), grade=GRADES[g],
                                aims=f"{oid}.{level}"))
            levels = {c.aims.rsplit(".", 1)[1] for c in spec.criteria}
            spec.meta.setdefault("level", "/".join(sorted(levels))) if len(levels) > 1 else None


def _ifate(lines: list[str], spec: Spec) -> None:
    grade = None
    for raw in lines:
        s = raw.strip()
        if (h := re.search(r"\*\*(Pass|Merit|Distinction) Criteria\*\*", s, re.I)):
            grade = h.group(1).lower()
            continue
        m = _IFATE.match(s)
        if m and m.group(1)[0] in GRADES:
            c = DCriterion(m.group(1), None, m.group(2).strip(),
                           grade=grade or GRADES[m.group(1)[0]], aims="*")
            if m.group(3):
                c.notes.append(f"KSBs: {m.group(3)}")
            spec.add(c)


def _descriptors(lines: list[str], spec: Spec) -> None:
    """A grid of descriptors: AC1: <name> then the U, Pass, Merit and Distinction cells, flattened."""
    text_lines = [ln.strip() for ln in lines]
    header = {"pass": set(), "merit": set(), "distinction": set()}
    for i, s in enumerate(text_lines):  # "Pass / Generally competent/adequate" under the grid's header
        if s in ("Pass", "Merit", "Distinction") and i + 1 < len(text_lines):
            header[s.lower()] |= {w.lower() for w in re.findall(r"[A-Za-z]+", text_lines[i + 1])}
    idx = [i for i, s in enumerate(text_lines) if re.match(r"^AC\d+:", s)]
    # a long specification prints the grid more than once (and lists "AC5: Communication" elsewhere):
    # the first run AC1, AC2, ... whose every block splits into three descriptors is the grid
    for k, i in enumerate(idx):
        if not text_lines[i].startswith("AC1:"):
            continue
        run = [i]
        for j in idx[k + 1 :]:
            if text_lines[j].startswith(f"AC{len(run) + 1}:"):
                run.append(j)
            else:
                break
        trial = Spec(spec.layout)
        _descriptor_run(text_lines, run, header, trial)
        if trial.criteria and not trial.notes:
            spec.outcomes, spec.criteria = trial.outcomes, trial.criteria
            return
    spec.notes.append("no assessment-criteria grid split cleanly into its grade descriptors; check by hand")


def _descriptor_run(text_lines: list[str], idx: list[int], header: dict[str, set[str]], spec: Spec) -> None:
    for k, i in enumerate(idx):
        stop = idx[k + 1] if k + 1 < len(idx) else len(text_lines)
        stop = next((n for n in range(i + 1, stop) if _PAGE.match(text_lines[n])), stop)  # a grid ends with its page
        block = [b for b in text_lines[i:stop] if b and not re.fullmatch(r"\d{1,3}", b)]
        aid = block[0].split(":")[0]
        # the name: short title-case lines after "AC1:" up to the first descriptor
        name, j = [block[0].split(":", 1)[1].strip()], 1
        while j < len(block) and len(block[j].split()) <= 2 and not block[j].endswith("."):
            name.append(block[j])
            j += 1
        body = block[j:]
        starts = [n for n in range(1, len(body)) if body[n - 1].rstrip().endswith(".") and body[n][:1].isupper()]
        spec.outcomes.append(DOutcome(aid, _join(name), None))
        picks: list[int] = []

        def first_word(n: int, body: list[str] = body) -> str:
            return body[n].split()[0].lower()

        after = 0
        for g in ("pass", "merit", "distinction"):
            cands = [n for n in starts if n > after]
            if not cands:
                break
            hit = next((n for n in cands if first_word(n) in header[g]), None)
            if hit is None:
                hit = cands[-1] if g == "distinction" else cands[0]
            picks.append(hit)
            after = hit
        if len(picks) != 3:
            spec.notes.append(f"{aid}: could not split the grade descriptors; check by hand")
            continue
        bounds = [*picks, len(body)]
        for g, lo, hi in zip(("P", "M", "D"), bounds, bounds[1:], strict=False):
            spec.add(DCriterion(f"{aid}.{g}", aid, _join(body[lo:hi]), grade=GRADES[g], aims=aid))


def _markbands(lines: list[str], spec: Spec) -> None:
    text_lines = [ln.strip() for ln in lines]
    try:
        start = next(i for i, s in enumerate(text_lines) if s.lower().startswith("assessment criteria"))
    except StopIteration:
        return
    end = next((i for i in range(start, len(text_lines)) if text_lines[i].lower().startswith("assessment guidance")),
               len(text_lines))
    strands: dict[str, list[str]] = {}
    cur = None
    for s in text_lines[start + 1 : end]:
        if (m := re.match(r"^\(([a-e])\)\*?$", s)):
            cur = m.group(1)
            strands[cur] = []
            continue
        if cur is None or not s or s.startswith(("Mark band", "(AO", "QWC", "Total marks", "(For AO")):
            continue
        if re.fullmatch(r"[\s(0-9–\-)]+", s):
            cur = None if re.search(r"\)\s*\d+$", s) else cur
            continue
        strands[cur].append(s)
    # the strands' names: "(a) A project proposal, ..." in the evidence list before the grid
    for s_id in strands:
        m = next((i for i, s in enumerate(text_lines[:start]) if s.startswith(f"({s_id})")), None)
        title = ""
        if m is not None:
            chunk = [text_lines[m][3:].lstrip("* ")]
            for s in text_lines[m + 1 : start]:
                if re.match(r"^\([a-e]\)", s) or not s or s.startswith("*"):
                    break
                chunk.append(s)
            title = _join(chunk)
        spec.outcomes.append(DOutcome(s_id, title, None))
    for s_id, body in strands.items():
        if not body:
            continue
        norm = lambda w: "a" if w.lower() in ("a", "an") else w.lower()  # noqa: E731
        lead = norm(body[0].split()[0])
        starts = [0] + [n for n in range(1, len(body)) if norm(body[n].split()[0]) == lead
                        and body[n - 1].rstrip().endswith(".")]
        if len(starts) != 3:
            spec.notes.append(f"strand ({s_id}): {len(starts)} mark bands found, 3 expected; check by hand")
        bounds = [*starts, len(body)]
        for k, (lo, hi) in enumerate(zip(bounds, bounds[1:], strict=False), 1):
            spec.add(DCriterion(f"{s_id}.MB{k}", s_id, _join(body[lo:hi])))
    _band_guidance(text_lines[end:], spec)


def _band_guidance(lines: list[str], spec: Spec) -> None:
    """GCE "Assessment guidance": Assessment evidence (a) / Mark band 1 / (0-3 marks) / paragraphs."""
    strand, band, para = "", 0, []
    by_id = {c.id: c for c in spec.criteria}

    def flush() -> None:
        if (c := by_id.get(f"{strand}.MB{band}")) and para:
            c.guidance.append(_join(para))

    for s in lines:
        if (m := re.match(r"^Assessment evidence \(([a-e])\)$", s)):
            flush()
            strand, band, para = m.group(1), 0, []
        elif (m := re.match(r"^Mark band (\d)$", s)) and strand:
            flush()
            band, para = int(m.group(1)), []
        elif s.startswith("Delivering this unit"):
            break
        elif band and s and not re.fullmatch(r"\([0-9–\-]+ marks\)", s):
            para.append(s)
    flush()


# --- across layouts -----------------------------------------------------------------------------


def _grades(spec: Spec) -> None:
    """A higher grade covers the lower grades of the learning aims it spans (BTEC's rule)."""
    for c in spec.criteria:
        if c.grade in (None, "pass"):
            continue
        rank = GRADE_ORDER.index(c.grade)
        c.covers = [x.id for x in spec.criteria if x.grade and GRADE_ORDER.index(x.grade) < rank
                    and x.aims != "*" and (set(x.aims) & set(c.aims) if len(c.aims) <= 2 else x.aims == c.aims)]


_WORDS = re.compile(r"(\d{3,5})\s*[-–]\s*(\d{3,5})\s*words", re.I)


def _word_counts(lines: list[str], spec: Spec) -> None:
    found = [(int(a), int(b)) for a, b in _WORDS.findall("\n".join(lines))]
    if len(found) == 1:
        spec.word_count = found[0]
    elif found:
        spec.notes.append("word counts per assessment task: " + ", ".join(f"{a}-{b}" for a, b in found)
                          + " (set word_count by hand)")
