"""Where the tests read the seed (the interface we implement) from.

``../shared/seed/`` beside the checkout is the source; ``docs/seed/`` keeps a copy in the repository so
the suite also runs where ``shared/`` is not laid beside it. A test keeps the two identical.
"""

from __future__ import annotations

from pathlib import Path

NAME = "ashby-agent-connector-auth.txt"
REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "seed" / NAME
COPY = REPO / "docs" / "seed" / NAME


def seed_path() -> Path:
    return SHARED if SHARED.is_file() else COPY
