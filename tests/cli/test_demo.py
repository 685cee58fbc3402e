"""``ashby-agent demo``: the README's first command; a bad scale is one line."""

from __future__ import annotations

from tests.cli.outcome import assert_fails, cli, process


def test_demo_tours_the_sandbox() -> None:
    outcome = process("demo")
    assert outcome.code == 0, outcome.stderr
    for title in ("Open jobs", "Pipeline for", "Applications in the 30 days", "Top sources"):
        assert title in outcome.stdout
    assert "applications and" in outcome.stdout


def test_an_unknown_scale_lists_the_valid_ones() -> None:
    assert_fails(cli("demo", "--scale", "huge"), 2, "--scale must be one of small, medium, large", "'huge'")
