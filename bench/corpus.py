#!/usr/bin/env python
"""A deterministic corpus of realistic ~3,000-word submissions for the benchmark.

    python bench/corpus.py [--files N] [--seed S] [--yaml DIR]   # build (or reuse) bench/out/corpus-<seed>-<N>/

Variants are made from the YAML sources in fixtures/submissions/ and keep each source's layout exactly:

* each source is parsed into its skeleton (title lines, introduction, outcome and criterion headings,
  inline labels, template tables with their criterion cells, sub-headings, tables, references) and its
  answer text (paragraphs, the text after an inline label, list items), each tagged with the criterion it
  answers: from the AC id in the heading, label or template row, or, for the topic-only layout (no ids
  anywhere), from the order of its topic headings;
* variant i keeps the skeleton of source i mod k (headings, labels, tables and topic headings: every layout
  in the same proportion) and remakes every answer paragraph, with the same number of sentences, from the
  sources' answer sentences (ON_TOPIC of them from answers to the same criterion, the rest from any answer),
  and every list item from the same criterion's list items (drawn without replacement within a variant);
* every answer gets at least MIN_SENTENCES sentences, then the variant is padded with further paragraphs, or
  trimmed, to 3,000 +- 150 words, and common words are reworded (as / since, vital / significant ...) with
  a per-variant choice.

Why sentences and not whole paragraphs: the batch's cross-submission originality check flags two answers
sharing most of their five-word runs and re-reads both files of each flagged pair. Paragraphs recombined
from ten sources gave 100 files sharing most of their text: a 100-file batch flagged 5,524 "copied" pairs
and took almost 7 minutes, measuring the copy finder on a cohort of copiers. Drawn sentence by sentence,
mostly from the whole pool, and with no one-line answers, the same 100 files flag a couple of dozen pairs.

Each variant is written as YAML to a temporary folder and built with fixtures/build.py. The built corpus is
cached in bench/out/corpus-<seed>-<N>/ (with manifest.json) and reused while the sources, fixtures/build.py
and GENERATOR_VERSION are unchanged.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import importlib.util
import json
import os
import random
import re
import statistics
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
SOURCES_DIR = ROOT / "fixtures" / "submissions"
BUILD_PY = ROOT / "fixtures" / "build.py"

DEFAULT_SEED = 2025
TARGET_WORDS = 3000
TARGET_SPREAD = 150  # each variant aims at a word count drawn from TARGET_WORDS +- TARGET_SPREAD
GENERATOR_VERSION = 6  # bump whenever the generated output changes: cached corpora are then rebuilt

# The ML25 criteria in unit order (the fixtures are all ML25 submissions); the topic-only layout's headings,
# which carry no AC ids, are mapped to them by order.
ML25_CRITERIA = ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2", "2.3",
                 "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7")

_AC = r"([1-3])\.([1-9])(?!\d)"
HEADING_AC = re.compile(rf"(?:^|[\s(]|AC\s*|Q)(?:AC\s*)?{_AC}")
LABEL = re.compile(rf"^[\s*(]*(?:AC\s*|Q\s*|Criterion\s+)?{_AC}\b")
LABEL_PREFIX = re.compile(r"^[\s*(]*(?:AC\s*|Q\s*|Criterion\s+)?[1-3]\.[1-9]\)?(?:\*\*)?[\s:.\-–—]*(?:\*\*\s*)?")
BOLD_LINE = re.compile(r"^\*\*[^*]+\*\*[.:]?$")
NOT_ANSWER = re.compile(r"introduction|conclusion|reference|bibliograph|appendi|contents|declaration", re.I)
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?]\*)|(?<=[.!?]\*\*)|(?<=[.!?][’”)]))\s+(?=[A-Z“‘\"(*])")
HEADINGS = ("h1", "h2", "h3", "numbered_heading")

ON_TOPIC = 0.3  # share of an answer's sentences drawn from answers to the same criterion (the rest: any answer)
MIN_SENTENCES = 8  # every answer gets at least this many sentences (one-line answers would look copied)
REWORD = 0.5  # chance that an occurrence of a rewordable word takes the variant's alternative
# Word-level rewording: per variant each word gets one alternative, used at each occurrence with probability
# REWORD. Only swaps that read naturally in any of the sources' sentences.
REWORDINGS: dict[str, tuple[str, ...]] = {
    "because": ("as", "since"),
    "however": ("but", "that said"),
    "important": ("significant", "valuable", "vital"),
    "useful": ("helpful", "valuable", "worthwhile"),
    "often": ("frequently", "regularly", "usually"),
    "main": ("principal", "key", "chief"),
    "example": ("instance",),
    "people": ("colleagues", "individuals"),
    "meeting": ("session",),
    "meetings": ("sessions",),
    "quickly": ("promptly", "swiftly"),
    "very": ("really", "highly"),
    "really": ("genuinely", "truly"),
    "good": ("strong", "sound"),
    "difficult": ("hard", "tricky"),
    "clear": ("plain", "explicit"),
    "organisation": ("employer", "business"),
    "organisations": ("employers", "businesses"),
    "event": ("occasion", "function"),
    "events": ("occasions", "functions"),
    "agreed": ("settled", "decided"),
    "help": ("support", "assist"),
    "helps": ("supports", "assists"),
    "think": ("believe", "feel"),
    "try": ("aim", "attempt"),
    "lots of": ("a lot of", "plenty of"),
    "big": ("large", "major"),
    "therefore": ("so", "as a result"),
    "valuable": ("worthwhile", "beneficial"),
}
REWORD_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, REWORDINGS), key=len, reverse=True)) + r")\b",
                       re.I)


def load_builder() -> ModuleType:
    """fixtures/build.py as a module (fixtures/ is not a package)."""
    name = "fixtures_build"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BUILD_PY)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {BUILD_PY}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------------------------
# Parsing a source into its skeleton and its answer text


@dataclass
class Group:
    """Consecutive answer paragraphs: top-level `p` blocks, or the paragraphs of one template evidence cell."""

    key: str | None  # criterion id, or None (introduction, title lines, references ...)
    paras: list[str]
    in_cell: bool = False
    open: bool = True  # may receive padding (an empty template cell stays empty: a missing answer)


@dataclass
class ListBlock:
    """A bulleted or numbered list inside an answer."""

    key: str
    kind: str  # bullets | numbers
    items: list[Any]  # strings, or nested lists (kept as they are)


@dataclass
class Label:
    """An inline-labelled paragraph ("**AC 1.1 –** text ..."): the label is kept, the text is remade."""

    key: str
    prefix: str
    text: str


@dataclass
class Parsed:
    name: str
    layout: str  # headings | labels | table | topic
    items: list[Any]  # YAML blocks, Group, ListBlock and Label objects, in order


def ac_id(match: re.Match[str] | None) -> str | None:
    return f"{match.group(1)}.{match.group(2)}" if match else None


def plain_p(block: Any) -> str | None:
    """The text of a plain paragraph block (a bare string or {p: text} without a style), else None."""
    if isinstance(block, str):
        return block
    if isinstance(block, dict) and set(block) == {"p"} and isinstance(block["p"], str):
        return block["p"]
    return None


def heading_text(block: Any) -> str | None:
    if not isinstance(block, dict):
        return None
    for key in HEADINGS:
        if key in block:
            value = block[key]
            return str(value["text"] if isinstance(value, dict) else value)
    return None


def template_rows(block: Any) -> list[list[Any]]:
    """Rows [criterion cell, evidence cell] of a centre template table."""
    if not isinstance(block, dict) or not isinstance(block.get("table"), list):
        return []
    return [row for row in block["table"] if isinstance(row, list) and len(row) == 2
            and isinstance(row[0], str) and isinstance(row[1], str) and LABEL.match(row[0])]


def detect_layout(body: list[Any]) -> str:
    if any(len(template_rows(b)) >= 3 for b in body):
        return "table"
    if any((h := heading_text(b)) and HEADING_AC.search(h) for b in body):
        return "headings"
    if any((t := plain_p(b)) and LABEL.match(t) for b in body):
        return "labels"
    return "topic"


def topic_keys(body: list[Any]) -> dict[int, str]:
    """Topic-only layout: its topic headings, in order, answer the criteria in order (if they are as many)."""
    candidates = [(i, b) for i, b in enumerate(body) if (h := heading_text(b)) and not NOT_ANSWER.search(h)]
    levels = Counter(next(k for k in HEADINGS if k in b) for _, b in candidates)
    if not levels:
        return {}
    level = levels.most_common(1)[0][0]
    topics = [i for i, b in candidates if level in b]
    if len(topics) != len(ML25_CRITERIA):
        return {i: f"topic:{n}" for n, i in enumerate(topics)}
    return dict(zip(topics, ML25_CRITERIA, strict=True))


def parse(name: str, body: list[Any]) -> Parsed:
    layout = detect_layout(body)
    topics = topic_keys(body) if layout == "topic" else {}
    items: list[Any] = []
    key: str | None = None
    current: Group | None = None  # the group the next answer paragraph joins
    for i, block in enumerate(body):
        text = plain_p(block)
        heading = heading_text(block)
        if heading is not None:
            if "h3" not in block:  # a sub-heading stays in its criterion's answer
                key = topics.get(i) if layout == "topic" else ac_id(HEADING_AC.search(heading))
            items.append(block)
            current = None
        elif text is not None and (m := LABEL.match(text)):  # an inline label starts an answer
            key = ac_id(m)
            current = None
            if BOLD_LINE.match(text.strip()):
                items.append(block)
            else:
                prefix = LABEL_PREFIX.match(text)
                cut = prefix.end() if prefix else 0
                items.append(Label(key or "", text[:cut], text[cut:]))
                current = Group(key, [])
                items.append(current)
        elif text is not None and BOLD_LINE.match(text.strip()):  # a home-made heading without an AC id
            key, current = None, None
            items.append(block)
        elif text is not None:
            if current is None or current.key != key:
                current = Group(key, [])
                items.append(current)
            current.paras.append(text)
        elif layout == "table" and template_rows(block):
            items.append(parse_table(block))
            key, current = None, None
        elif key in ML25_CRITERIA and isinstance(block, dict) and ({"bullets", "numbers"} & set(block)):
            kind = "bullets" if "bullets" in block else "numbers"
            items.append(ListBlock(key or "", kind, list(block[kind])))
            current = None
        else:  # other tables, page breaks, styled paragraphs, lists outside answers: kept as they are
            items.append(block)
            current = None
    return Parsed(name, layout, items)


def parse_table(block: dict[str, Any]) -> dict[str, Any]:
    table = copy.deepcopy(block)
    rows = table["table"]
    for r, row in enumerate(rows):
        if row in template_rows(block):
            paras = [p for p in row[1].split("\n\n") if p.strip()]
            rows[r] = [row[0], Group(ac_id(LABEL.match(row[0])), paras, True, bool(paras))]
    return table


def parts(item: Any) -> list[Any]:
    """The Group / ListBlock / Label objects of an item (a template table holds Groups in its rows)."""
    if isinstance(item, Group | ListBlock | Label):
        return [item]
    if isinstance(item, dict) and "table" in item:
        return [c for row in item["table"] if isinstance(row, list) for c in row if isinstance(c, Group)]
    return []


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph; a short bold lead ("**Listening.**") stays with the sentence after it."""
    out: list[str] = []
    for piece in SENTENCE_END.split(text.strip()):
        if out and len(out[-1].split()) < 4:
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return [s for s in out if s.strip()]


def render(items: list[Any]) -> list[Any]:
    body: list[Any] = []
    for item in items:
        if isinstance(item, Group):
            body.extend({"p": text} for text in item.paras)
        elif isinstance(item, Label):
            body.append({"p": item.prefix + item.text})
        elif isinstance(item, ListBlock):
            body.append({item.kind: item.items})
        elif isinstance(item, dict) and "table" in item:
            rows = [[cell if not isinstance(cell, Group) else "\n\n".join(cell.paras) for cell in row]
                    if isinstance(row, list) else row for row in item["table"]]
            body.append({**item, "table": rows})
        else:
            body.append(item)
    return body


# ------------------------------------------------------------------------------------------------------
# Making a variant


@dataclass
class Pools:
    """Answer sentences and list items by criterion, over all sources (with the source each came from)."""

    sentences: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    items: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    everything: list[str] = field(default_factory=list)  # the sentences of all criteria

    def add(self, parsed: Parsed) -> None:
        for part in (p for item in parsed.items for p in parts(item)):
            if part.key not in ML25_CRITERIA:
                continue
            if isinstance(part, Group):
                self.sentences[part.key].extend(s for para in part.paras for s in sentences(para))
            elif isinstance(part, Label):
                self.sentences[part.key].extend(sentences(part.text))
            else:
                self.items[part.key].extend(i for i in part.items if isinstance(i, str))
        self.everything = [s for key in ML25_CRITERIA for s in self.sentences[key]]


class Variant:
    """A source's skeleton with its answers remade from the same criteria's sentences and list items."""

    def __init__(self, base: Parsed, pools: Pools, rng: random.Random, words: Callable[[list[Any]], int]) -> None:
        self.items = copy.deepcopy(base.items)
        self.parts = [p for item in self.items for p in parts(item)]
        self.pools, self.rng, self.words = pools, rng, words
        self.used: set[str] = set()
        self.wording = {word: rng.choice(alts) for word, alts in REWORDINGS.items()}

    def draw(self, pool: list[str], fallback: str) -> str:
        fresh = [text for text in pool if text not in self.used]
        if not fresh:
            return fallback
        text = self.rng.choice(fresh)
        self.used.add(text)
        return self.reword(text)

    def sentence(self, key: str, fallback: str) -> str:
        """A sentence answering the criterion, or (ON_TOPIC odds) one from any answer of any source."""
        pool = self.pools.sentences[key] if self.rng.random() < ON_TOPIC else self.pools.everything
        return self.draw(pool, fallback)

    def paragraph(self, key: str, n: int, original: str = "") -> str:
        return " ".join(self.sentence(key, original) for _ in range(max(1, min(n, 6))))

    def remake(self) -> None:
        for part in self.parts:
            if part.key not in ML25_CRITERIA:
                continue
            if isinstance(part, Group):
                part.paras = [self.paragraph(part.key, len(sentences(p)), p) for p in part.paras]
            elif isinstance(part, Label):
                part.text = self.paragraph(part.key, len(sentences(part.text)), part.text)
            else:
                part.items = [self.draw(self.pools.items[part.key], i) if isinstance(i, str) else i
                              for i in part.items]

    def answer_sentences(self, key: str | None) -> int:
        """Prose sentences of a criterion's answer, over all its parts (list items, drawn from small pools, are
        not counted: an answer that is mostly a list would share most of it with other variants)."""
        total = 0
        for part in self.parts:
            if part.key == key:
                if isinstance(part, Group):
                    total += sum(len(sentences(p)) for p in part.paras)
                elif isinstance(part, Label):
                    total += len(sentences(part.text))
        return total

    def fit(self, target: int) -> None:
        """Give every answer MIN_SENTENCES, then pad with paragraphs of the same kind, or drop paragraphs,
        to about `target` words."""
        answers = [g for g in self.parts if isinstance(g, Group) and g.key in ML25_CRITERIA and g.open]
        for group in reversed(answers):  # the last open group of each criterion takes its top-up
            while (have := self.answer_sentences(group.key)) < MIN_SENTENCES:
                group.paras.append(self.paragraph(group.key or "", MIN_SENTENCES - have))
        total = self.words(render(self.items))
        while total < target - 40 and answers:
            group = self.rng.choice(answers)
            text = self.paragraph(group.key or "", self.rng.randint(2, 5))
            group.paras.insert(self.rng.randint(0, len(group.paras)), text)
            total += self.words([{"p": text}])
        while total > target + 40:
            droppable = [(g, i) for g in answers for i in range(len(g.paras) - 1)  # keep the closing paragraph
                         if self.answer_sentences(g.key) - len(sentences(g.paras[i])) >= MIN_SENTENCES]
            if not droppable:
                break
            group, i = self.rng.choice(droppable)
            total -= self.words([{"p": group.paras.pop(i)}])

    def reword(self, text: str) -> str:
        def word(m: re.Match[str]) -> str:
            found = m.group(0)
            alt = self.wording.get(found.lower())
            if alt is None or self.rng.random() >= REWORD:
                return found
            return alt[0].upper() + alt[1:] if found[0].isupper() else alt

        return REWORD_RE.sub(word, text)


def make_variants(n: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    """n (file stem, YAML source) pairs, the same for the same (n, seed) and sources."""
    builder = load_builder()

    def words(body: list[Any]) -> int:
        return sum(builder.count_words(builder.block_text(block)) for block in body)

    parsed = [parse(src.stem, builder.load_source(src)["body"]) for src in sorted(SOURCES_DIR.glob("*.yaml"))]
    pools = Pools()
    for p in parsed:
        pools.add(p)
    out = []
    for i in range(n):
        base = parsed[i % len(parsed)]
        rng = random.Random(f"{seed}:{i}")
        variant = Variant(base, pools, rng, words)
        variant.remake()
        variant.fit(TARGET_WORDS + rng.randint(-TARGET_SPREAD, TARGET_SPREAD))
        body = render(variant.items)
        stem = f"sub{i:04d}_{base.layout}_{base.name}"
        out.append((stem, {"description": f"bench variant {i} of {base.name} ({base.layout} layout, seed {seed})",
                           "producer": "python-docx", "words": words(body), "layout": base.layout, "body": body}))
    return out


# ------------------------------------------------------------------------------------------------------
# Building and caching


def sources_digest() -> str:
    """What a cached corpus depends on: the sources, the builder and GENERATOR_VERSION."""
    h = hashlib.sha256(f"v{GENERATOR_VERSION}".encode())
    for path in [*sorted(SOURCES_DIR.glob("*.yaml")), BUILD_PY]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _build_one(source: str, out: str) -> str:
    return str(load_builder().build(source, out))


def corpus_dir(n: int, seed: int) -> Path:
    return OUT_DIR / f"corpus-{seed}-{n}"


def ensure_corpus(
    n: int, seed: int = DEFAULT_SEED, log: Callable[[str], None] | None = None
) -> tuple[list[Path], dict[str, Any]]:
    """The corpus's .docx files and manifest, built on first use and cached in bench/out/corpus-<seed>-<n>/."""
    out = corpus_dir(n, seed)
    manifest_path = out / "manifest.json"
    digest = sources_digest()
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = [out / f["file"] for f in manifest["files"]]
        if manifest.get("digest") == digest and all(f.exists() for f in files):
            return files, manifest
    if log:
        log(f"building corpus of {n} submissions (seed {seed}) in {out} ...")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.docx"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        jobs = []
        for stem, source in make_variants(n, seed):
            yaml_path = Path(tmp, f"{stem}.yaml")
            data = {k: v for k, v in source.items() if k not in ("words", "layout")}
            yaml_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120),
                                 encoding="utf-8")
            jobs.append((yaml_path, out / f"{stem}.docx", source))
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            built = list(pool.map(_build_one, [str(y) for y, _, _ in jobs], [str(d) for _, d, _ in jobs],
                                  chunksize=8))
    entries = [{"file": Path(docx).name, "layout": source["layout"], "words": source["words"],
                "bytes": Path(docx).stat().st_size} for docx, (_, _, source) in zip(built, jobs, strict=True)]
    manifest = {"seed": seed, "files_requested": n, "digest": digest, "files": entries}
    manifest_path.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return [out / e["file"] for e in entries], manifest


def describe(manifest: dict[str, Any]) -> str:
    words = [f["words"] for f in manifest["files"]]
    layouts = Counter(f["layout"] for f in manifest["files"])
    kib = statistics.median(f["bytes"] for f in manifest["files"]) / 1024
    return (f"{len(words)} files, words min {min(words)} / median {statistics.median(words):.0f} / max {max(words)}, "
            f"median size {kib:.0f} KiB, layouts " + ", ".join(f"{k} {v}" for k, v in sorted(layouts.items())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100, help="number of submissions (default 100)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed (default {DEFAULT_SEED})")
    parser.add_argument("--yaml", type=Path, metavar="DIR", help="also write the YAML variants here")
    args = parser.parse_args(argv)
    if args.yaml:
        args.yaml.mkdir(parents=True, exist_ok=True)
        for stem, source in make_variants(args.files, args.seed):
            (args.yaml / f"{stem}.yaml").write_text(yaml.safe_dump(source, allow_unicode=True, sort_keys=False,
                                                                   width=120), encoding="utf-8")
    files, manifest = ensure_corpus(args.files, args.seed, log=lambda m: print(m, file=sys.stderr))
    print(files[0].parent)
    print(describe(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
