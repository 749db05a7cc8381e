"""The unit's guidance for the learner view: laid out as the unit wrote it, and spoken to the learner."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import yaml

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_BULLET = re.compile(r"^\s*(?:[-*•▪◦‣]|\d{1,2}[.)]|[a-z][.)])\s+")


@cache
def _voice() -> tuple[list[tuple[re.Pattern[str], str]], list[tuple[re.Pattern[str], str]]]:
    from . import templates_dir

    data = yaml.safe_load((templates_dir() / "learner_voice.yaml").read_text(encoding="utf-8"))

    def compiled(pairs: list[list[str]]) -> list[tuple[re.Pattern[str], str]]:
        return [(re.compile(rf"\b{re.escape(a)}\b", re.IGNORECASE), b) for a, b in pairs]

    return compiled(data["subject"]), compiled(data["pronouns"])


def _replace(pattern: re.Pattern[str], new: str, text: str) -> tuple[str, int]:
    def keep_case(m: re.Match[str]) -> str:
        return new[:1].upper() + new[1:] if m.group(0)[:1].isupper() else new

    return pattern.subn(keep_case, text)


def to_learner(text: str) -> str:
    """Guidance addressed to the learner: "the learner is required to" becomes "you need to"."""
    subject, pronouns = _voice()
    out = []
    for sentence in _SENTENCE.split(text):
        changed = 0
        for pattern, new in subject:
            sentence, n = _replace(pattern, new, sentence)
            changed += n
        if changed:
            for pattern, new in pronouns:
                sentence, _ = _replace(pattern, new, sentence)
        out.append(sentence)
    # keep the original whitespace between sentences (line breaks carry the unit's layout)
    seps = _SENTENCE.findall(text)
    return "".join(s + (seps[i] if i < len(seps) else "") for i, s in enumerate(out))


def guidance_blocks(text: str) -> list[dict[str, Any]]:
    """Paragraphs and lists, as the unit laid them out: blank lines part paragraphs; lines after one ending
    in ':' (or lines with bullet marks) are a list; other line breaks part paragraphs."""
    blocks: list[dict[str, Any]] = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in para.splitlines() if line.strip()]
        items: list[str] = []
        for i, line in enumerate(lines):
            bullet = _BULLET.match(line)
            in_list = bool(bullet) or (items and not line.endswith(".")) or (
                i > 0 and lines[i - 1].endswith(":") and not items)
            if in_list:
                items.append(line[bullet.end():] if bullet else line)
                continue
            if items:
                blocks.append({"kind": "list", "entries": items})
                items = []
            blocks.append({"kind": "p", "text": line})
        if items:
            blocks.append({"kind": "list", "entries": items})
    return blocks


def words_phrase(words: int, set_aside: dict[str, int]) -> str:
    """The one word count every view shows: the learner's answers, saying what was set aside."""
    aside = [f"{reason} {n}" for reason, n in set_aside.items() if n]
    return f"{words} words" + (f"; not counted: {', '.join(aside)}" if aside else "")


def stamp(result: Any) -> str:
    """The reproducibility stamp: with the same three, a re-run gives the same result."""
    from .. import __version__

    pack = result.pack
    parts = [f"checker {__version__}",
             f"pack {pack.get('id', '')} {pack.get('version', '')} sha256 {pack.get('sha256', '')}".replace("  ", " ")]
    if result.sha256:
        parts.append(f"submission sha256 {result.sha256}")
    return "; ".join(parts)
