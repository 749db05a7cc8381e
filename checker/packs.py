"""Rule packs: the YAML schema, loading with file-and-line errors, and command-verb resolution.

A pack (rules/<id>.yaml) encodes one unit's criteria as data; the command-verb library
(rules/verbs.yaml) is shared by every pack, and a pack may override a verb's signals.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from .errors import CheckerError

PACK_SCHEMA = "checker.pack/1"
VERBS_SCHEMA = "checker.verbs/1"

PositiveInt = Annotated[int, Field(gt=0, strict=True)]
Phrases = Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the command-verb library -------------------------------------------------------------------


class Signal(Strict):
    """Something an answer must contain for its command verb: phrases, at least `min` of them."""

    name: str
    absent: str = Field(description="What the finding says is missing when the signal is not found")
    phrases: Phrases
    min: PositiveInt = 1
    closing: list[str] = Field([], description="Phrases that also satisfy the signal in the answer's closing "
                               "paragraph (a judgement stated without a marker word, or as advice)")
    negative: bool = Field(False, description="The signal is a weakness: a phrase of it lowered by the answer "
                           "(\"a reduced risk\"), part of a name (\"Computer Misuse Act\") or of the criterion's "
                           "own topic (\"security threats\") does not count")
    weighing: list[str] = Field([], description="Contrast words that satisfy the signal in the closing paragraph "
                                "together with another of the verb's signals there (both sides weighed in one "
                                "breath: \"it gives me reach, but trust begins in a room\")")
    means: list[str] = Field([], description="Words that, before a verb's -ing form, say how a thing is done and "
                             "count as phrases of the signal (\"we developed it by watching the handlers\")")


class Verb(Strict):
    definition: str
    source: str = Field(description="Awarding body whose verb list the definition follows")
    depth: Annotated[int, Field(ge=1, le=6)] = Field(description="1 name things ... 6 judge them")
    account: bool = Field(False, description="A bare list is not enough: each item needs its own sentences")
    selects: bool = Field(False, description="Choosing from candidates: an item the answer rejects is not counted")
    product: bool = Field(False, description="Making a thing (a plan): the learner's own table of it is what was done")
    min_words: PositiveInt = Field(description="Shortest answer an assessor could accept")
    signals: list[Signal] = []


class VerbOverride(Strict):
    """A pack's change to a shared verb: any field given replaces the library's."""

    account: bool | None = None
    selects: bool | None = None
    min_words: PositiveInt | None = None
    signals: list[Signal] | None = None


class Practice(Strict):
    """Signals for performance ("Be able to") criteria: what the learner did, not would do."""

    subjects: Phrases = Field(description="First-person subjects of actions")
    auxiliaries: Phrases = Field(description="Auxiliaries that make a following participle an action")
    not_actions: Phrases = Field(description="Words after a subject that are not a past action")
    same_form_past: Phrases = Field(description="Past tenses spelt like their present (set, put, read)")
    between: Phrases = Field(default=[], description="Adverbs not ending in -ly that may stand between a subject "
                             "and its verb (\"I then contacted\", \"we both agreed\")")
    irregular_past: Phrases = Field(default=[], description="Past tenses not in -ed (took, gave, met): what a log "
                                    "line with its subject left out may open with")
    openers: Phrases = Field(default=[], description="Participles that open a line without telling an action "
                             "done (\"Based on ...\", \"Given ...\"): no log line with its subject left out")
    intentions: Phrases = Field(description="Conditionals, intentions and general advice")
    abilities: Phrases = Field(default=[], description="What an intention's lemmas also match (\"could\" is \"can\"): "
                               "\"we can share ...\" states what may be done, not what is meant to be")
    reporting: Phrases = Field(default=[], description="Reporting verbs: an intention after one in its sentence is "
                               "what someone else said (\"he observed that ... would be\")")
    plans: Phrases = Field(default=[], description="Intentions of the learner's own still to be carried out (I will, "
                           "we plan to): what follows them in a sentence is not yet done")
    evidence: Phrases = Field(description="References to evidence: appendices, testimony, emails")
    min_actions: PositiveInt = 2


class VerbLibrary(Strict):
    schema_: Literal["checker.verbs/1"] = Field(alias="schema")
    verbs: dict[str, Verb]
    practice: Practice
    references: Phrases = Field(description="Headings that start a reference list")
    not_answers: Phrases = Field(description="Headings whose content answers no criterion (appendix ...)")
    framing: Phrases = Field(description="Headings of the learner's own framing, never an answer's topic")
    cross_references: Phrases = Field(description="Words before a criterion id that make it a cross reference")
    lowering: Phrases = Field([], description="Words just before a weakness word that make it a benefit "
                              "(\"reduces the risk\", \"prevents damage\")")
    fixed: Phrases = Field([], description="Set phrases whose words are no verb signal and no part (\"best "
                           "practice\" weighs nothing, \"risk assessment\" is no risk)")


class ItemLibrary(Strict):
    """The shared item-type library (rules/items.yaml): what an item of each type is, and what is not."""

    schema_: Literal["checker.items/1"] = Field(alias="schema")
    types: dict[Literal["person", "organisation", "occurrence"], list[str]]
    facets: Phrases = Field(description="Labels that are the structure of an answer, never an item")
    attributes: Phrases = Field(description="Facets saying what an item offers or costs: a line they lead "
                                "(\"Benefits: training, conference\") names no more items")
    ordinals: Phrases
    ordinal_fillers: Phrases
    ordinal_subjects: Phrases = Field(description="A subject among an ordinal's fillers: its verb follows")
    name_ends: Phrases = Field(description="Words that end an ordinal item's name (\"Another skill is ...\")")
    titles: Phrases
    label_openers: Phrases = Field(description="Words opening a label that names nothing (\"In simple terms\")")
    roles: Phrases = Field(description="Job-title words: beside a name they describe it")
    organisation_words: Phrases
    branch_words: Phrases = Field(description="Words after a body's name that make it the same body's part")
    not_names: Phrases
    calendar: Phrases = Field(description="Days and months: capitalised, but no part of a name")
    place_before: Phrases = Field(description="Words before a name that make it a place (\"in Hollins End\")")
    source_before: Phrases = Field(description="Words before a name that make it a place or body in that use")
    group_kinds: Phrases = Field(description="Kinds of group written right before the group's own name")
    documents: Phrases = Field(description="Last words that make a capitalised name a document, not a body")
    concept_heads: Phrases = Field(description="Kind words that end a concept's name where a pack has no lexicon "
                                   "(\"fault tree analysis\", \"Swiss cheese model\")")
    credentials: Phrases = Field(description="A qualification or grade of membership, not a body: its last "
                                 "word, or the whole name")
    credential_starts: Phrases = Field(description="How a qualification's short form starts (\"CertVPM\")")
    platforms: Phrases = Field(description="Where groups meet online: with a kind after it, a group's name "
                               "(\"Facebook group\")")
    described_as: Phrases = Field(description="Beside the organisation words, what heads a description that "
                                  "makes a name a network (\"the ... recognition programme\")")
    body_verbs: Phrases = Field(description="What a body does: after \", which\" it makes the name before a body")
    clause_openers: Phrases = Field(description="Words opening a new clause after a comma: a choice ends there")
    contrasts: Phrases = Field(description="Words opening a new clause even without a comma")
    reasons: Phrases = Field(description="Words opening a reason: a stated choice names nothing after them")
    not_done: Phrases = Field(description="An item rejected or only planned: not chosen, not done")
    chosen: Phrases = Field(description="Words before the candidates an answer chose (I shortlisted ...)")
    chosen_before: Phrases = Field(description="Words after the candidates an answer chose (... scored highest)")
    chosen_labels: Phrases = Field([], description="A line's label before what it chose (\"Shortlist: ...\")")
    chosen_subjects: Phrases = Field([], description="A choice as a sentence's subject, a few words before its verb "
                                     "(\"My shortlist for development is ...\")")
    issued: Phrases = Field(description="What bodies issue (\"changes\", \"inspection\"): a name before one is "
                            "a sentence's subject matter, not a body put forward")
    in_passing: Phrases = Field(description="Contact in passing: not an occurrence, not a member developed")
    asides: Phrases = Field(description="A name told in one sentence with these is an aside, not an item weighed")
    asides_after: Phrases = Field([], description="After another item in its paragraph, a name told in one "
                                  "sentence with these is an aside too (\"I am also on the X mailing list\")")
    recaps: Phrases = Field(description="Openings of a paragraph that sums up the items told, naming no new one")
    first_name_after: Phrases = Field(description="Words after which a lone first name took part in an occurrence")
    pair_words: Phrases = Field(description="Words for the two people an introduction joins (\"them\", \"both\")")
    one_person: Phrases = Field(description="An occurrence with the one person told in the sentence before")
    planned_before: Phrases = Field(description="Words before an occurrence's verb that make it planned, not done")


# --- a unit's pack ----------------------------------------------------------------------------


class Item(Strict):
    """One recognised item of a quantity, with the other ways learners name it."""

    name: str
    synonyms: list[str] = []


Cue = Literal["list", "subheading", "bold", "ordinal", "table", "names", "people", "organisations"]
ItemType = Literal["person", "organisation", "occurrence", "concept"]


class Quantity(Strict):
    min: PositiveInt
    noun: str = Field(description="What is counted, plural: 'interpersonal skills'")
    type: ItemType | None = Field(None, description="What an item is; by default read from the noun "
                                  "(rules/items.yaml types)")
    not_items: list[str] = Field([], description="Things learners list that are not items of this kind")
    lexicon: list[Item] = []
    cues: list[Cue] = ["list", "subheading", "bold", "ordinal", "table"]
    events: list[str] = Field([], description="Count occurrences of these (\"introduced\"), each named by the "
                              "people in its sentence, instead of counting items")


class Part(Strict):
    name: str
    terms: Phrases
    min: PositiveInt = Field(1, description="Sentences that must mention it: 2 asks for more than a passing word")


Grade = Literal["pass", "merit", "distinction"]


class Criterion(Strict):
    # as the unit numbers it: "1.1", "A.P1", "AB.D1", "P1", "AC1.P", "C1.A.1P1", "a.MB1"
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,6}(?:\.[A-Za-z0-9]{1,6}){0,3}$")]
    outcome: str | None = Field(None, description="The outcome (learning aim) it belongs to; none where the "
                                "unit has no outcomes (an end-point assessment's criteria)")
    text: str
    verb: str
    kind: Literal["knowledge", "performance"] | None = None
    keywords: list[str] = Field([], description="Topic words that identify an unlabelled answer")
    quantity: Quantity | None = None
    parts: list[Part] = []
    min_words: PositiveInt | None = None
    evidence: Literal["actions", "analysis"] = Field(
        "actions", description="Performance criteria: evidence is what the learner did (actions), or the "
        "learner's own analysis of their situation (analysis: identifying and shortlisting networks)")
    guidance: str = ""
    grade: Grade | None = Field(None, description="Graded units: the grade this criterion is for")
    covers: list[str] = Field([], description="Lower-grade criteria this one builds on (a merit's passes)")

    @field_validator("verb")
    @classmethod
    def _known_verb(cls, verb: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get("verbs")
        if known is not None and not all(v in known for v in compound_parts(verb)):
            raise ValueError(f"unknown verb {verb!r} (known: {', '.join(sorted(known))})")
        return verb


def compound_parts(verb: str) -> list[str]:
    """"explain and justify" -> [explain, justify]; "take action" stays one verb."""
    return verb.split(" and ")


class Outcome(Strict):
    id: str
    text: str
    kind: Literal["knowledge", "performance"]


class WordRange(Strict):
    min: PositiveInt
    max: PositiveInt


class Pack(Strict):
    schema_: Literal["checker.pack/1"] = Field(alias="schema")
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    unit: str
    title: str
    version: str
    awarding_body: str
    level: int | str | None = None  # "1/2" for a Tech Award
    qualification: str = ""
    source: str = Field("", description="Where the specification text came from")
    word_count: WordRange | None = None
    verbs: dict[str, VerbOverride] = {}
    outcomes: list[Outcome]
    criteria: Annotated[list[Criterion], Field(min_length=1)]

    def problems(self, verbs: set[str]) -> list[tuple[tuple, str]]:
        """Cross-field mistakes, each with the key path where it is: (path, reason)."""
        out: list[tuple[tuple, str]] = []
        seen: set[str] = set()
        outcomes = {o.id for o in self.outcomes}
        for i, c in enumerate(self.criteria):
            if c.id in seen:
                out.append((("criteria", i, "id"), f"duplicate criterion id {c.id!r}"))
            seen.add(c.id)
            if c.outcome is not None and c.outcome not in outcomes:
                out.append((("criteria", i, "outcome"), f"criterion {c.id} names unknown outcome {c.outcome!r}"))
            if c.outcome is None and c.kind is None:
                out.append((("criteria", i), f"criterion {c.id} has no outcome, so it needs a kind"))
        for i, c in enumerate(self.criteria):
            out += [(("criteria", i, "covers"), f"criterion {c.id} covers unknown criterion {x!r}")
                    for x in c.covers if x not in seen]
        out += [(("verbs", name), f"override of unknown verb {name!r}") for name in self.verbs
                if not all(v in verbs for v in compound_parts(name))]
        return out


class ResolvedPack:
    """A validated pack with each criterion's verb resolved against the library and overrides."""

    def __init__(self, pack: Pack, library: VerbLibrary, path: Path, items: ItemLibrary | None = None) -> None:
        self.pack = pack
        self.library = library
        self.items = items or load_items()
        self.path = path
        kinds = {o.id: o.kind for o in pack.outcomes}
        self.criteria = [c if c.kind else c.model_copy(update={"kind": kinds[c.outcome]}) for c in pack.criteria]
        self.verbs: dict[str, Verb] = {}
        for name in {c.verb for c in pack.criteria}:
            # a compound ("explain and justify") is judged by its deepest verb
            verb = max((library.verbs[v] for v in compound_parts(name)), key=lambda v: (v.depth, v.min_words))
            override = pack.verbs.get(name)
            if override:
                verb = verb.model_copy(update=override.model_dump(exclude_none=True))
            self.verbs[name] = verb

    @property
    def id(self) -> str:
        return self.pack.id

    def verb(self, criterion: Criterion) -> Verb:
        return self.verbs[criterion.verb]

    def outcome(self, criterion: Criterion) -> Outcome | None:
        return next((o for o in self.pack.outcomes if o.id == criterion.outcome), None)

    @property
    def graded(self) -> bool:
        return any(c.grade for c in self.pack.criteria)

    def min_words(self, criterion: Criterion) -> int:
        return criterion.min_words or self.verb(criterion).min_words

    def to_json(self) -> dict[str, Any]:
        data = self.pack.model_dump(by_alias=True, exclude={"verbs", "criteria"})
        data["criteria"] = [
            {**c.model_dump(), "verb": {"name": c.verb, **self.verb(c).model_dump()}} for c in self.criteria
        ]
        return data


# --- loading ------------------------------------------------------------------------------------


def rules_dir() -> Path:
    """Where the built-in packs live: rules/ in a checkout, checker/rules/ when installed from a wheel."""
    here = Path(__file__).resolve().parent
    checkout = here.parent / "rules"
    return checkout if (checkout / "verbs.yaml").is_file() else here / "rules"


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it


def _line_map(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """Map each key path in a YAML document to its 1-based line, so errors can name the line."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, key.value)
            out[sub] = key.start_mark.line + 1
            _line_map(value, sub, out)
            out[sub] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            _line_map(value, (*path, i), out)
    return out


MAX_PACK_BYTES = 32 * 2**20  # the largest built-in pack is 43 KB; a drafted 92-page unit about 100 KB
# Values in a pack once its aliases are expanded: the largest built-in pack has 3,516. A "billion laughs" of
# nine aliases nine deep (9^9 values in a 300-byte file) ran validation for hours; over this it is refused.
MAX_PACK_VALUES = 200_000


def _check_nodes(path: Path, root: yaml.Node) -> None:
    """Before anything expands the document: no alias that contains itself, at most MAX_PACK_VALUES values
    with aliases expanded, and no key twice in one mapping (YAML would keep the last one silently)."""
    values, on_path = 0, set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            on_path.discard(id(node))
            continue
        if id(node) in on_path:
            raise CheckerError(path, "an alias refers to the value that contains it: refused",
                               node.start_mark.line + 1)
        values += 1
        if values > MAX_PACK_VALUES:
            raise CheckerError(path, f"anchors and aliases expand to over {MAX_PACK_VALUES:,} values: "
                                     "refused as unsafe")
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], int] = {}
            for key, _value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    line = key.start_mark.line + 1
                    first = seen.setdefault((key.tag, key.value), line)
                    if first != line:
                        raise CheckerError(path, f"key {key.value!r} appears twice in one mapping "
                                                 f"(first on line {first})", line)
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            continue
        on_path.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children))


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_PACK_BYTES + 1)
    except OSError as e:
        raise CheckerError(path, f"cannot read pack: {e.strerror or e}") from None
    if len(raw) > MAX_PACK_BYTES:
        raise CheckerError(path, f"pack file is over {MAX_PACK_BYTES // 2**20} MB: not a rule pack")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise CheckerError(path, f"not UTF-8 text (byte 0x{raw[e.start]:02x}): save the pack as UTF-8", line) from None


def _read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    text = _read_text(path)
    loader = _Loader(text)
    try:  # one parse: the node tree gives the lines, the same tree gives the data
        node = loader.get_single_node()
        if node is not None:
            _check_nodes(path, node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise CheckerError(path, f"YAML syntax error: {problem}", mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or node is None:
        raise CheckerError(path, "not a mapping of pack fields", 1)
    return data, _line_map(node)


def _validation_error(path: Path, err: ValidationError, lines: dict[tuple, int]) -> CheckerError:
    first = err.errors()[0]
    loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    where = ".".join(str(p) for p in loc) or "pack"
    line = next((lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in lines), None)
    kind = first["type"]
    if kind == "extra_forbidden":
        reason = f"unknown key {loc[-1]!r}"
    elif kind == "missing":
        reason = f"missing key {where!r}"
    else:
        msg = first["msg"].removeprefix("Value error, ")
        reason = f"{where}: {msg}"
    more = len(err.errors()) - 1
    return CheckerError(path, reason + (f" (and {more} more)" if more else ""), line)


def _load_shared(model: type[BaseModel], path: Path) -> Any:
    """A shared library file (verbs.yaml, items.yaml), validated with file-and-line errors like a pack."""
    data, lines = _read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise _validation_error(path, e, lines) from None


@cache
def load_library(path: Path | None = None) -> VerbLibrary:
    return _load_shared(VerbLibrary, path or rules_dir() / "verbs.yaml")


@cache
def load_items(path: Path | None = None) -> ItemLibrary:
    """The item-type library: what a person, organisation, occurrence or concept is, and what is not."""
    return _load_shared(ItemLibrary, path or rules_dir() / "items.yaml")


LIBRARIES = ("verbs", "items")  # shared data in rules/, not packs


def resolve_pack_path(name_or_path: str | Path) -> Path:
    text = str(name_or_path)
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", text) and not Path(text).exists():
        text = text.lower()  # ids are lower case; "--pack ML25" is what people type from the unit's name
        path = rules_dir() / f"{text}.yaml"
        if not path.is_file() or text in LIBRARIES:
            raise CheckerError(text, f"no built-in pack with this id (known: {', '.join(builtin_ids())})")
        return path
    return Path(text)


@cache
def load_pack(name_or_path: str | Path) -> ResolvedPack:
    """Load and validate a pack by built-in id ("ml25") or path; raises CheckerError naming file and line."""
    path = resolve_pack_path(name_or_path)
    if not path.is_file():
        raise CheckerError(path, "pack file not found")
    data, lines = _read_yaml(path)
    library = load_library()
    try:
        pack = Pack.model_validate(data, context={"verbs": library.verbs})
    except ValidationError as e:
        raise _validation_error(path, e, lines) from None
    problems = pack.problems(set(library.verbs))
    if problems:
        where, reason = problems[0]
        raise CheckerError(path, reason, lines.get(where))
    return ResolvedPack(pack, library, path)


def builtin_ids() -> list[str]:
    return sorted(p.stem for p in rules_dir().glob("*.yaml") if p.stem not in LIBRARIES)


def json_schema() -> dict[str, Any]:
    schema = Pack.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "checker rule pack"
    return schema
