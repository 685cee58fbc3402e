"""Files: short-lived download URLs for the file handles of candidates, applications and offers."""

from pydantic import Field

from .base import AshbyRecord

__all__ = ["FileInfo"]


class FileInfo(AshbyRecord):
    """A short-lived download URL for a file handle (``file.info``)."""

    url: str = Field(description="Signed, short-lived download URL.")
