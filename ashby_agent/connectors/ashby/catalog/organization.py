"""The organization: departments, locations, users, interviewer settings and pauses, roles, brands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.operation import (
    INCLUDE_ARCHIVED,
    Entity,
    EntityGroup,
    Operation,
    id_param,
    ref_param,
)
from ashby_agent.connectors.ashby.params import Param, ParamType

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.common import HiringTeamMember
    from ashby_agent.connectors.ashby.records.organization import (
        Brand,
        Department,
        HiringTeamRole,
        InterviewerPause,
        InterviewerSettings,
        Location,
        User,
    )

__all__ = ["ORGANIZATION_READ", "ORGANIZATION_WRITE", "OrganizationEntities"]

#: The permissions Ashby requires to read and to change its organization module.
ORGANIZATION_READ = "organizationRead"
ORGANIZATION_WRITE = "organizationWrite"

_DEPARTMENT = ref_param("departmentId", "departments", "department")
_LOCATION = ref_param("locationId", "locations", "location")
_EXTERNAL_NAME = Param("externalName", ParamType.STRING, "Name candidates see on job boards, if different.")
_EXTRA_DATA = Param(
    "extraData",
    ParamType.OBJECT,
    "Your own string-to-string metadata (keys up to 100 chars, values up to 512, under 1 kB; no PII).",
)
_WORKPLACE_TYPES = ("OnSite", "Hybrid", "Remote")
_ADDRESS = (
    '{"postalAddress": {"addressCountry", "addressRegion", "addressLocality", "postalCode", '
    '"streetAddress"}} (the country as a name or two-letter code)'
)
_TEAM_TARGETS = ("applicationId", "jobId", "openingId")
_TEAM = (
    ref_param("applicationId", "applications", "application whose team it is", required=False),
    ref_param("jobId", "jobs", "job whose team it is", required=False),
    ref_param("openingId", "openings", "opening whose team it is", required=False),
    ref_param("teamMemberId", "users", "user"),
    Param("roleId", ParamType.UUID, "Id of the hiring team role (hiring_team_roles list).", required=True),
)


def _location_write(action: str, endpoint: str, description: str, *params: Param) -> Operation:
    return Operation(
        action,
        endpoint,
        ORGANIZATION_WRITE,
        description,
        (_LOCATION, *params),
        access="write",
        idempotent=True,
    )


class OrganizationEntities(EntityGroup):
    """The entities of Ashby's organization module."""

    departments: Entity[Department, Department] = Entity(
        "Departments (teams), possibly nested via parentId.",
        Operation(
            "list",
            "department.list",
            ORGANIZATION_READ,
            "List departments.",
            (INCLUDE_ARCHIVED,),
            paginated=True,
            sync=True,
        ),
        Operation(
            "get",
            "department.info",
            ORGANIZATION_READ,
            "One department by id.",
            (id_param("departmentId", "department", aliases=("id",)),),
        ),
        Operation(
            "create",
            "department.create",
            ORGANIZATION_WRITE,
            "Create a department, at the top level or under an active parent.",
            (
                Param("name", ParamType.STRING, "Department name.", required=True),
                _EXTERNAL_NAME,
                ref_param("parentId", "departments", "parent department", required=False),
                _EXTRA_DATA,
            ),
            access="write",
        ),
        Operation(
            "update",
            "department.update",
            ORGANIZATION_WRITE,
            "Rename a department or change its external name or extra data (given fields only).",
            (_DEPARTMENT, Param("name", ParamType.STRING, "Department name."), _EXTERNAL_NAME, _EXTRA_DATA),
            access="write",
            idempotent=True,
        ),
        Operation(
            "archive",
            "department.archive",
            ORGANIZATION_WRITE,
            "Archive a department (restore undoes it).",
            (_DEPARTMENT,),
            access="write",
            destructive=True,
            idempotent=True,
        ),
        Operation(
            "restore",
            "department.restore",
            ORGANIZATION_WRITE,
            "Restore an archived department.",
            (_DEPARTMENT,),
            access="write",
            idempotent=True,
        ),
        Operation(
            "move",
            "department.move",
            ORGANIZATION_WRITE,
            "Move a department under another parent, or to the top level without parent_id.",
            (_DEPARTMENT, ref_param("parentId", "departments", "new parent department", required=False)),
            access="write",
            idempotent=True,
        ),
    )

    locations: Entity[Location, Location] = Entity(
        "Office and remote locations.",
        Operation(
            "list",
            "location.list",
            ORGANIZATION_READ,
            "List locations.",
            (INCLUDE_ARCHIVED, Param("includeLocationHierarchy", ParamType.BOOLEAN, "Include region nodes.")),
            paginated=True,
            sync=True,
        ),
        Operation(
            "get",
            "location.info",
            ORGANIZATION_READ,
            "One location by id.",
            (id_param("locationId", "location", aliases=("id",)),),
        ),
        Operation(
            "create",
            "location.create",
            ORGANIZATION_WRITE,
            "Create a location, or a LocationHierarchy (a region grouping locations).",
            (
                Param("name", ParamType.STRING, "Location name.", required=True),
                Param(
                    "type",
                    ParamType.ENUM,
                    "Location, or LocationHierarchy for a region.",
                    required=True,
                    choices=("Location", "LocationHierarchy"),
                ),
                Param("address", ParamType.OBJECT, f"Postal address: {_ADDRESS}."),
                ref_param("parentLocationId", "locations", "parent location hierarchy", required=False),
                Param("isRemote", ParamType.BOOLEAN, "Deprecated: prefer workplace_type Remote."),
                Param(
                    "workplaceType",
                    ParamType.ENUM,
                    "How people work there (not for a LocationHierarchy).",
                    choices=_WORKPLACE_TYPES,
                ),
                _EXTERNAL_NAME,
                _EXTRA_DATA,
            ),
            access="write",
        ),
        Operation(
            "archive",
            "location.archive",
            ORGANIZATION_WRITE,
            "Archive a location or location hierarchy (restore undoes it).",
            (_LOCATION,),
            access="write",
            destructive=True,
            idempotent=True,
        ),
        _location_write("restore", "location.restore", "Restore an archived location or location hierarchy."),
        _location_write(
            "move",
            "location.move",
            "Move a location under another location hierarchy.",
            ref_param("parentLocationHierarchyId", "locations", "new parent location hierarchy"),
        ),
        _location_write(
            "update_address",
            "location.updateAddress",
            "Replace a location's postal address.",
            Param("address", ParamType.OBJECT, f"The new address: {_ADDRESS}.", required=True),
        ),
        _location_write(
            "update_name",
            "location.updateName",
            "Rename a location.",
            Param("name", ParamType.STRING, "The new name.", required=True),
        ),
        _location_write(
            "update_external_name",
            "location.updateExternalName",
            "Set the name candidates see for a location; without external_name it is cleared.",
            Param("externalName", ParamType.STRING, "The candidate-facing name."),
        ),
        _location_write(
            "update_workplace_type",
            "location.updateWorkplaceType",
            "Set whether people work at a location on site, hybrid or remotely.",
            Param(
                "workplaceType",
                ParamType.ENUM,
                "The workplace type.",
                required=True,
                choices=_WORKPLACE_TYPES,
            ),
        ),
    )

    users: Entity[User, User] = Entity(
        "Ashby users (recruiters, interviewers, hiring managers).",
        Operation(
            "list",
            "user.list",
            ORGANIZATION_READ,
            "List users (enabled only unless includeDeactivated).",
            (Param("includeDeactivated", ParamType.BOOLEAN, "Include deactivated users."),),
            paginated=True,
            sync=True,
        ),
        Operation(
            "get",
            "user.info",
            ORGANIZATION_READ,
            "One user by id.",
            (id_param("userId", "user", aliases=("id",)),),
        ),
        Operation(
            "api_search",
            "user.search",
            ORGANIZATION_READ,
            "Find a user by email.",
            (Param("email", ParamType.STRING, "Email address.", required=True),),
        ),
    )

    user_interviewer_settings: Entity[InterviewerSettings, InterviewerSettings] = Entity(
        "A user's interviewing limits.",
        Operation(
            "get",
            "user.interviewerSettings",
            ORGANIZATION_READ,
            "Interviewer settings of one user.",
            (id_param("userId", "user", aliases=("id",)),),
        ),
    )

    user_interviewer_pauses: Entity[InterviewerPause, InterviewerPause] = Entity(
        "Periods a user is paused from interviewing.",
        Operation(
            "list",
            "user.listInterviewerPauses",
            ORGANIZATION_READ,
            "Interviewer pauses of one user.",
            (id_param("userId", "user"),),
        ),
    )

    hiring_team_roles: Entity[HiringTeamRole, HiringTeamRole] = Entity(
        "Roles on a job's hiring team (Recruiter, Hiring Manager, ...).",
        Operation(
            "list",
            "hiringTeamRole.list",
            ORGANIZATION_READ,
            "All hiring team roles.",
            fixed_body={"namesOnly": False},
        ),
    )

    brands: Entity[Brand, Brand] = Entity(
        "Employer brands used on job boards.",
        Operation("list", "brand.list", ORGANIZATION_READ, "List brands.", paginated=True),
    )

    hiring_teams: Entity[HiringTeamMember, HiringTeamMember] = Entity(
        "Hiring teams of applications, jobs and openings: users in roles (Recruiter, Hiring Manager, ...).",
        Operation(
            "add_member",
            "hiringTeam.addMember",
            ORGANIZATION_WRITE,
            "Put a user in a role on the hiring team of one application, job or opening.",
            _TEAM,
            one_of=_TEAM_TARGETS,
            access="write",
            idempotent=True,
        ),
        Operation(
            "remove_member",
            "hiringTeam.removeMember",
            ORGANIZATION_WRITE,
            "Take a user's role off the hiring team of one application, job or opening.",
            _TEAM,
            one_of=_TEAM_TARGETS,
            access="write",
            idempotent=True,
        ),
    )
