"""The organization: departments, locations, users, interviewer settings and pauses, roles, brands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.operation import INCLUDE_ARCHIVED, Entity, EntityGroup, Operation, id_param
from ashby_agent.connectors.ashby.params import Param, ParamType

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.organization import (
        Brand,
        Department,
        HiringTeamRole,
        InterviewerPause,
        InterviewerSettings,
        Location,
        User,
    )

__all__ = ["ORGANIZATION_READ", "OrganizationEntities"]

#: The permission Ashby requires to read its organization module.
ORGANIZATION_READ = "organizationRead"


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
