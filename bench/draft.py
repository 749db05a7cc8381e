"""Time `checker pack draft` on the shared unit specifications (best of three runs per file).

    python bench/draft.py            # needs ../shared/unit-specs beside the checkout
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checker.draft import draft  # noqa: E402

SPECS = Path(__file__).resolve().parents[2] / "shared" / "unit-specs"


def main() -> None:
    for path in sorted(p for p in SPECS.iterdir() if p.suffix in (".txt", ".pdf", ".html", ".docx")):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            draft(path)
            best = min(best, time.perf_counter() - start)
        print(f"{path.name:70} {best * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
