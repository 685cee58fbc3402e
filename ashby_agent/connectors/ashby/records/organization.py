"""Organization objects: departments, locations, users, hiring team roles, brands, interviewer settings."""

from datetime import date
from typing import Any

from pydantic import Field

from .base import AshbyRecord, Timestamp
from .common import Address, CustomFieldValue

__all__ = [
    "Brand",
    "Department",
    "HiringTeamRole",
    "InterviewerPause",
    "InterviewerSettings",
    "Location",
    "User",
]


class Department(AshbyRecord):
    """A department or team (``department.list``, ``department.info``)."""

    id: str = Field(description="Department id (UUID).")
    name: str = Field(description="Department name.")
    external_name: str | None = Field(None, description="Name shown on job boards, when different.")
    is_archived: bool = Field(description="Whether the department is archived.")
    parent_id: str | None = Field(None, description="Parent department id (UUID); null for top level.")
    created_at: Timestamp = Field(description="Creation time.")
    updated_at: Timestamp = Field(description="Last update time.")
    extra_data: dict[str, str] | None = Field(None, description="Free-form string-to-string metadata.")


class Location(AshbyRecord):
    """An office or remote location (``location.list``, ``location.info``; ``job.info`` expand)."""

    id: str = Field(description="Location id (UUID).")
    name: str = Field(description="Location name.")
    external_name: str | None = Field(None, description="Name shown on job boards, when different.")
    is_archived: bool = Field(description="Whether the location is archived.")
    address: Address | None = Field(None, description="Postal address.")
    is_remote: bool | None = Field(None, description="Deprecated; use workplace_type.")
    workplace_type: str | None = Field(None, description="Known values: OnSite, Hybrid, Remote.")
    parent_location_id: str | None = Field(None, description="Parent location or region id (UUID).")
    type: str | None = Field(
        None, description="Known values: Location, LocationHierarchy (a region grouping locations)."
    )
    extra_data: dict[str, Any] | None = Field(None, description="Free-form metadata.")


class HiringTeamRole(AshbyRecord):
    """A hiring team role (``hiringTeamRole.list`` with namesOnly false; ``applicationHiringTeamRole.list``).

    By default ``hiringTeamRole.list`` returns bare title strings instead of these objects.
    """

    id: str = Field(description="Role id (UUID).")
    title: str | None = Field(None, description="Role title, e.g. 'Recruiter', 'Hiring Manager'.")


class Brand(AshbyRecord):
    """A brand used on job boards and candidate emails (``brand.list``)."""

    id: str = Field(description="Brand id (UUID).")
    name: str | None = Field(None, description="Brand name.")
    hosted_jobs_page_slug: str | None = Field(None, description="Slug of the brand's hosted jobs page.")


class InterviewerSettings(AshbyRecord):
    """A user's interviewing limits (``user.interviewerSettings``)."""

    user_id: str = Field(description="User id (UUID).")
    is_interviewer: bool | None = Field(None, description="Whether the user can be scheduled to interview.")
    max_interviews_per_day: int | None = Field(None, description="Daily interview limit; null for none.")
    max_interviews_per_week: int | None = Field(None, description="Weekly interview limit; null for none.")


class InterviewerPause(AshbyRecord):
    """A period in which a user takes no interviews (``user.listInterviewerPauses``)."""

    id: str = Field(description="Pause id (UUID).")
    user_id: str | None = Field(None, description="User id (UUID).")
    start_date: date | None = Field(None, description="First day of the pause (YYYY-MM-DD).")
    end_date: date | None = Field(None, description="Last day of the pause (YYYY-MM-DD); null if open-ended.")
    reason: str | None = Field(None, description="Reason given for the pause.")


class User(AshbyRecord):
    """An Ashby user (``user.list``/``info``/``search``); also embedded as author, creditor, scheduler."""

    id: str = Field(description="User id (UUID).")
    first_name: str | None = Field(None, description="First name.")
    last_name: str | None = Field(None, description="Last name.")
    email: str | None = Field(None, description="Email address.")
    global_role: str | None = Field(
        None,
        description="Permission level; known values: Organization Admin, Elevated Access, Limited Access, "
        "External Recruiter.",
    )
    is_enabled: bool | None = Field(None, description="False for deactivated users.")
    updated_at: Timestamp | None = Field(None, description="Last update time.")
    manager_id: str | None = Field(None, description="User id of the manager (UUID), when set.")
    custom_fields: list[CustomFieldValue] = Field(
        default_factory=list, description="Custom field values (feature-gated)."
    )
