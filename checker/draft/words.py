"""The drafter's word lists (words.yaml beside this module), loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml


@cache
def words() -> dict[str, Any]:
    return yaml.safe_load((Path(__file__).with_name("words.yaml")).read_text(encoding="utf-8"))
