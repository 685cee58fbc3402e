"""The service's database from the command line (``serve`` and ``admin``): the ``--db`` option, and
every way opening it can fail turned into one line naming the value and the fix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

import typer

from ashby_agent.cli.output import fail

__all__ = ["KEY_HELP", "AshbyUrlOption", "DbOption", "run_on_database"]

T = TypeVar("T")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="ASHBY_AGENT_DB",
        show_default=False,
        help="postgresql://user@host/dbname, or an SQLite file path (.db). (default: ./ashby-agent.db)",
    ),
]

#: Where the service (or its workers) reach Ashby.
AshbyUrlOption = Annotated[
    str | None,
    typer.Option(
        envvar="ASHBY_API_URL",
        show_default=False,
        help="Where Ashby is, e.g. the URL `ashby-agent sandbox` prints. (default: https://api.ashbyhq.com)",
    ),
]

#: Said in the help of every command that opens the database.
KEY_HELP = (
    "The credentials in the database are encrypted with ASHBY_AGENT_SECRET_KEY when it is set, else with "
    "the key file next to the SQLite file (<file>.key) or ./ashby-agent.key (created on first use)."
)


def run_on_database(work: Callable[[], T]) -> T:
    """Run ``work``; what an operator can fix (bad ``--db``, unreachable database, wrong key, unknown
    organization, ...) becomes one line and exit code 1."""
    from sqlalchemy.exc import SQLAlchemyError

    from ashby_agent.service.config import SettingsError
    from ashby_agent.service.operator import AdminError
    from ashby_agent.service.security.crypto import CredentialDecryptError
    from ashby_agent.service.state import DatabaseOpenError

    try:
        return work()
    except (
        AdminError,
        CredentialDecryptError,
        DatabaseOpenError,
        SettingsError,
        ValueError,
    ) as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:  # mid-command failures (connection lost, ...): the driver's first line
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        fail(
            f"The database failed during the command ({type(exc).__name__}: {reason}); retry, and "
            "check the database if it persists."
        )
