"""``python -m ashby_agent.cli``: the same as the ``ashby-agent`` console script."""

from ashby_agent.cli import main

main()
