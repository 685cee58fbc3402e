"""Download URLs for candidate files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.catalog.candidates import CANDIDATES_READ
from ashby_agent.connectors.ashby.operation import Entity, EntityGroup, Operation
from ashby_agent.connectors.ashby.params import Param, ParamType

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.files import FileInfo

__all__ = ["FileEntities"]


class FileEntities(EntityGroup):
    """The entities of Ashby's files module."""

    files: Entity[FileInfo, FileInfo] = Entity(
        "Signed, short-lived download URLs for resumes and candidate files.",
        Operation(
            "get",
            "file.info",
            CANDIDATES_READ,
            "A download URL for a file handle.",
            (
                Param(
                    "fileHandle",
                    ParamType.STRING,
                    "The `handle` of a candidate's resumeFileHandle or fileHandles.",
                    required=True,
                ),
            ),
        ),
    )
