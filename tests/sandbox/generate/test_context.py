"""The generator's context: ids are UUID4s from the seeded RNG, timestamps are wire-formatted."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

from ashby_agent.sandbox.generate import DEFAULT_NOW_MS
from ashby_agent.sandbox.generate.context import Context


def test_ids_match_uuid4_from_the_seeded_rng() -> None:
    ctx, rng = Context.create(3, DEFAULT_NOW_MS), random.Random(3)
    for _ in range(200):
        assert ctx.uid() == str(uuid.UUID(int=rng.getrandbits(128), version=4))


def test_iso_formatting_matches_datetime() -> None:
    ctx = Context.create(1, DEFAULT_NOW_MS)
    for ms in (0, 1, 999, 86_399_999, 1_709_588_292_442, DEFAULT_NOW_MS, 951_782_400_000):
        expected = datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.")
        assert ctx.iso(ms) == f"{expected}{ms % 1000:03d}Z"
