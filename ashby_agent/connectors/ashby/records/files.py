"""Files: short-lived download URLs for the file handles of candidates, applications and offers."""

from pydantic import Field

from .base import AshbyRecord

__all__ = ["FileInfo", "FileUploadHandle"]


class FileInfo(AshbyRecord):
    """A short-lived download URL for a file handle (``file.info``)."""

    url: str = Field(description="Signed, short-lived download URL.")


class FileUploadHandle(AshbyRecord):
    """Where to upload a file before attaching it (``file.createFileUploadHandle``): POST the file to
    ``url`` with ``fields`` as form fields, then pass ``handle`` to the write that attaches it."""

    handle: str = Field(description="The handle to pass as resumeHandle or fileHandle.")
    url: str | None = Field(None, description="Upload URL (valid about ten minutes).")
    fields: dict[str, str] | None = Field(None, description="Form fields to send with the upload.")
