"""Download URLs for candidate files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.catalog.candidates import CANDIDATES_READ, CANDIDATES_WRITE
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
        Operation(
            "create_upload_handle",
            "file.createFileUploadHandle",
            CANDIDATES_WRITE,
            "A place to upload a file (POST it to url with fields), then attach its handle.",
            (
                Param(
                    "fileUploadContext",
                    ParamType.ENUM,
                    "What the file is for.",
                    required=True,
                    choices=("CandidateResume", "CandidateFiles", "ApplicationForm"),
                ),
                Param("filename", ParamType.STRING, "The file's name.", required=True),
                Param("contentType", ParamType.STRING, "Its MIME type, e.g. application/pdf.", required=True),
                Param("contentLength", ParamType.INTEGER, "Its size in bytes.", required=True),
            ),
            access="write",
            returns="files:FileUploadHandle",
        ),
    )
