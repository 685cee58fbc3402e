"""Projects: talent pools that group candidates."""

from pydantic import Field

from .base import AshbyRecord, Timestamp
from .common import CustomFieldValue

__all__ = ["Project"]


class Project(AshbyRecord):
    """A talent project grouping candidates (``project.list``, ``project.info``, ``project.search``)."""

    id: str = Field(description="Project id (UUID).")
    title: str = Field(description="Project title.")
    description: str | None = Field(None, description="Project description.")
    is_archived: bool | None = Field(None, description="Whether the project is archived.")
    confidential: bool | None = Field(None, description="Whether the project is confidential.")
    author_id: str | None = Field(None, description="User id of the author (UUID).")
    created_at: Timestamp | None = Field(None, description="Creation time.")
    custom_field_entries: list[CustomFieldValue] = Field(
        default_factory=list, description="Custom field values."
    )
