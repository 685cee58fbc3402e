"""The typed Ashby records: parse hand-written wire samples (reference §5) and round-trip them."""

import ast
import copy
import importlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr, ValidationError

from ashby_agent.connectors.ashby import models
from ashby_agent.connectors.ashby.models import (
    ApiKey,
    Application,
    ApplicationFeedback,
    ApplicationHistory,
    AshbyAuthConfig,
    AshbyRecord,
    Candidate,
    CustomFieldValue,
    Department,
    InterviewSchedule,
    Job,
    JobPosting,
    JobPostingSummary,
    Offer,
    OfferSummary,
    Webhook,
)

KEY = "ashby-test-key-5b1f0c2e9d"

USER_ID = "3ae2b801-19f6-41ef-ad28-214bd731948f"
CANDIDATE_ID = "5b591aee-bd88-4fe4-a0c6-4d1d5a3a1b2c"
APPLICATION_ID = "0b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081"
JOB_ID = "c4b1b0c2-8e5d-4a52-9f3e-6d5f0f3a2b11"
STAGE_ID = "d2e6f3a4-1b2c-4d5e-8f90-a1b2c3d4e5f6"
PLAN_ID = "7f0e9d8c-6b5a-4c3d-9e2f-1a0b9c8d7e6f"
LOCATION_ID = "e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9"
DEPARTMENT_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
OPENING_ID = "1f2e3d4c-5b6a-4978-8a7b-6c5d4e3f2a1b"
FIELD_ID = "6e5d4c3b-2a19-4f8e-9d7c-6b5a49382716"
T1 = "2024-02-04T21:38:12.442Z"
T2 = "2024-03-11T09:05:00.000Z"

USER: dict[str, Any] = {
    "id": USER_ID,
    "firstName": "Maya",
    "lastName": "Okafor",
    "email": "maya.okafor@example.com",
    "globalRole": "Elevated Access",
    "isEnabled": True,
    "updatedAt": T1,
}
CONTACT = {"value": "lena.fischer@example.org", "type": "Personal", "isPrimary": True}
PHONE = {"value": "+49 30 1234567", "type": "Work", "isPrimary": True}
FILE_HANDLE: dict[str, Any] = {
    "id": "8d7c6b5a-4938-4271-8a6b-5c4d3e2f1a09",
    "name": "resume.pdf",
    "handle": "eyJoYW5kbGUiOiJ4In0",
}
CUSTOM_FIELDS: list[dict[str, Any]] = [
    {"id": FIELD_ID, "title": "Visa needed", "value": True, "isPrivate": False},
    {"id": FIELD_ID, "title": "Years", "value": 7},
    {"id": FIELD_ID, "title": "Rating", "value": 4.5},
    {"id": FIELD_ID, "title": "Level", "value": "senior", "valueLabel": "Senior"},
    {"id": FIELD_ID, "title": "Skills", "value": ["python", "sql"], "valueLabel": "Python, SQL"},
    {"id": FIELD_ID, "title": "Expected", "value": {"value": 90000, "currencyCode": "EUR"}},
    {"id": FIELD_ID, "title": "Start", "value": "2024-05-01"},
    {"id": FIELD_ID, "title": "Empty", "value": None},
]
SOURCE: dict[str, Any] = {
    "id": "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901",
    "title": "LinkedIn",
    "isArchived": False,
    "sourceType": {"id": "3c4d5e6f-7081-4293-a4b5-c6d7e8f90a12", "title": "Sourced", "isArchived": False},
}
TAG = {"id": "4d5e6f70-8192-43a4-b5c6-d7e8f90a1b23", "title": "Strong referral", "isArchived": False}
STAGE: dict[str, Any] = {
    "id": STAGE_ID,
    "title": "Phone Screen",
    "type": "PreInterviewScreen",
    "orderInInterviewPlan": 1,
    "interviewStageGroupId": None,
    "interviewPlanId": PLAN_ID,
}
HIRING_TEAM: list[dict[str, Any]] = [
    {
        "userId": USER_ID,
        "firstName": "Maya",
        "lastName": "Okafor",
        "email": "maya.okafor@example.com",
        "role": "Recruiter",
    }
]
FORM: dict[str, Any] = {
    "sections": [
        {
            "title": "Overall",
            "fields": [
                {
                    "isRequired": True,
                    "descriptionPlain": "Your recommendation",
                    "field": {
                        "id": "5e6f7081-92a3-44b5-86c7-d8e9f0a1b2c3",
                        "type": "ValueSelect",
                        "path": "_systemfield_overall_recommendation",
                        "humanReadablePath": "Overall Recommendation",
                        "title": "Overall Recommendation",
                        "isNullable": False,
                        "selectableValues": [
                            {"label": "Strong Yes", "value": "4"},
                            {"label": "No", "value": "1"},
                        ],
                    },
                }
            ],
        }
    ]
}
LOCATION: dict[str, Any] = {
    "id": LOCATION_ID,
    "name": "Berlin",
    "externalName": None,
    "isArchived": False,
    "address": {
        "postalAddress": {
            "addressCountry": "Germany",
            "addressRegion": "Berlin",
            "addressLocality": "Berlin",
            "postalCode": "10115",
            "streetAddress": "Invalidenstraße 1",
        }
    },
    "isRemote": False,
    "workplaceType": "Hybrid",
    "parentLocationId": None,
    "type": "Location",
    "extraData": None,
}
OPENING: dict[str, Any] = {
    "id": OPENING_ID,
    "openedAt": T1,
    "closedAt": None,
    "isArchived": False,
    "archivedAt": None,
    "closeReasonId": None,
    "openingState": "Open",
    "latestVersion": {
        "id": "2a3b4c5d-6e7f-4081-92a3-b4c5d6e7f809",
        "identifier": "REQ-0042",
        "description": "Backend engineer, payments team",
        "authorId": USER_ID,
        "createdAt": T1,
        "teamId": DEPARTMENT_ID,
        "jobIds": [JOB_ID],
        "targetHireDate": "2024-06-30",
        "targetStartDate": "2024-08-01",
        "isBackfill": False,
        "employmentType": "FullTime",
        "locationIds": [LOCATION_ID],
        "hiringTeam": HIRING_TEAM,
        "customFields": [],
    },
}
COMPENSATION_COMPONENT: dict[str, Any] = {
    "id": "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
    "summary": "€75K – €95K",
    "compensationType": "Salary",
    "interval": "1 YEAR",
    "currencyCode": "EUR",
    "minValue": 75000,
    "maxValue": 95000.5,
}
TIER: dict[str, Any] = {
    "id": "0a9b8c7d-6e5f-4a3b-9c2d-1e0f2a3b4c5d",
    "title": "Berlin",
    "additionalInformation": None,
    "components": [COMPENSATION_COMPONENT],
    "tierSummary": "€75K – €95K",
}
JOB: dict[str, Any] = {
    "id": JOB_ID,
    "title": "Senior Backend Engineer",
    "confidential": False,
    "status": "Open",
    "employmentType": "FullTime",
    "locationId": LOCATION_ID,
    "departmentId": DEPARTMENT_ID,
    "defaultInterviewPlanId": PLAN_ID,
    "interviewPlanIds": [PLAN_ID],
    "jobPostingIds": ["6f708192-a3b4-45c6-97d8-e9f0a1b2c3d4"],
    "customFields": CUSTOM_FIELDS[:2],
    "hiringTeam": HIRING_TEAM,
    "customRequisitionId": None,
    "brandId": "708192a3-b4c5-46d7-88e9-f0a1b2c3d4e5",
    "author": USER,
    "createdAt": T1,
    "updatedAt": T2,
    "openedAt": T1,
    "closedAt": None,
}
JOB_POSTING_SUMMARY: dict[str, Any] = {
    "id": "6f708192-a3b4-45c6-97d8-e9f0a1b2c3d4",
    "title": "Senior Backend Engineer",
    "jobId": JOB_ID,
    "departmentName": "Engineering",
    "teamName": "Payments",
    "locationName": "Berlin",
    "locationExternalName": "Berlin, Germany",
    "locationIds": {"primaryLocationId": LOCATION_ID, "secondaryLocationIds": []},
    "workplaceType": "Hybrid",
    "employmentType": "FullTime",
    "isListed": True,
    "publishedDate": "2024-02-05",
    "applicationDeadline": None,
    "externalLink": "https://jobs.ashbyhq.com/example/6f708192-a3b4-45c6-97d8-e9f0a1b2c3d4",
    "applyLink": "https://jobs.ashbyhq.com/example/6f708192-a3b4-45c6-97d8-e9f0a1b2c3d4/application",
    "compensationTierSummary": "€75K – €95K",
    "shouldDisplayCompensationOnJobBoard": True,
    "updatedAt": T2,
}
JOB_POSTING: dict[str, Any] = {
    **JOB_POSTING_SUMMARY,
    "descriptionPlain": "About us\nWe build payments.",
    "descriptionHtml": "<p>About us</p><p>We build payments.</p>",
    "descriptionSocial": "Join our payments team.",
    "descriptionParts": {
        "descriptionOpening": None,
        "descriptionBody": {"html": "<p>We build payments.</p>", "plain": "We build payments."},
        "descriptionClosing": None,
    },
    "teamNameHierarchy": ["Engineering", "Payments"],
    "linkedData": {"@type": "JobPosting", "title": "Senior Backend Engineer", "employmentType": "FULL_TIME"},
    "address": {"postalAddress": {"addressCountry": "Germany", "addressLocality": "Berlin"}},
    "isRemote": False,
    "applicationFormDefinition": FORM,
    "surveyFormDefinitions": [],
    "suppressDescriptionOpening": False,
    "suppressDescriptionClosing": True,
    "compensation": {
        "compensationTierSummary": "€75K – €95K",
        "summaryComponents": [COMPENSATION_COMPONENT],
        "compensationTiers": [TIER],
        "shouldDisplayCompensationOnJobBoard": True,
    },
    "applicationLimitCalloutHtml": None,
}
CANDIDATE: dict[str, Any] = {
    "id": CANDIDATE_ID,
    "createdAt": T1,
    "updatedAt": T2,
    "name": "Lena Fischer",
    "primaryEmailAddress": CONTACT,
    "emailAddresses": [CONTACT],
    "primaryPhoneNumber": PHONE,
    "phoneNumbers": [PHONE],
    "socialLinks": [{"type": "LinkedIn", "url": "https://www.linkedin.com/in/lena-fischer"}],
    "tags": [TAG],
    "position": "Staff Engineer",
    "company": "Nordwind GmbH",
    "school": "TU Berlin",
    "applicationIds": [APPLICATION_ID],
    "resumeFileHandle": FILE_HANDLE,
    "fileHandles": [FILE_HANDLE],
    "customFields": CUSTOM_FIELDS,
    "profileUrl": f"https://app.ashbyhq.com/candidate-searches/new/right-side/candidates/{CANDIDATE_ID}",
    "source": SOURCE,
    "creditedToUser": USER,
    "timezone": "Europe/Berlin",
    "location": {
        "id": LOCATION_ID,
        "locationSummary": "Berlin, Germany",
        "locationComponents": [{"type": "Country", "name": "Germany"}, {"type": "City", "name": "Berlin"}],
    },
    "fraudStatus": None,
}
# The same candidate as a sparse record: optional keys omitted, nullable relations null.
CANDIDATE_SPARSE: dict[str, Any] = {
    key: value
    for key, value in CANDIDATE.items()
    if key
    not in {
        "primaryEmailAddress",
        "primaryPhoneNumber",
        "position",
        "company",
        "school",
        "resumeFileHandle",
        "location",
    }
} | {"emailAddresses": [], "phoneNumbers": [], "source": None, "creditedToUser": None, "timezone": None}
HISTORY: dict[str, Any] = {
    "id": "8192a3b4-c5d6-47e8-99f0-a1b2c3d4e5f6",
    "stageId": STAGE_ID,
    "title": "Phone Screen",
    "stageNumber": 1,
    "enteredStageAt": T1,
    "allowedActions": ["none"],
    "actorId": None,
}
ARCHIVED_STAGE: dict[str, Any] = {
    **STAGE,
    "id": "92a3b4c5-d6e7-48f9-8a01-b2c3d4e5f607",
    "title": "Archived",
    "type": "Archived",
}
APPLICATION: dict[str, Any] = {
    "id": APPLICATION_ID,
    "createdAt": T1,
    "updatedAt": T2,
    "status": "Archived",
    "candidate": {"id": CANDIDATE_ID, "name": "Lena Fischer", "primaryEmailAddress": CONTACT},
    "currentInterviewStage": ARCHIVED_STAGE,
    "job": {
        "id": JOB_ID,
        "title": "Senior Backend Engineer",
        "locationId": LOCATION_ID,
        "departmentId": DEPARTMENT_ID,
    },
    "hiringTeam": HIRING_TEAM,
    "customFields": [],
    "source": SOURCE,
    "archiveReason": {
        "id": "a3b4c5d6-e7f8-4901-a2b3-c4d5e6f70819",
        "text": "Not a fit",
        "reasonType": "RejectedByOrg",
        "isArchived": False,
        "customFields": [],
    },
    "archivedAt": T2,
    "creditedToUser": None,
    "appliedViaJobPostingId": "6f708192-a3b4-45c6-97d8-e9f0a1b2c3d4",
    "submitterClientIp": None,
    "submitterUserAgent": None,
    "applicationHistory": [HISTORY, {**HISTORY, "stageNumber": 2, "leftStageAt": T2}],
}
INTERVIEW: dict[str, Any] = {
    "id": "b4c5d6e7-f809-4a12-b3c4-d5e6f7081920",
    "title": "System Design",
    "externalTitle": "Technical interview",
    "isArchived": False,
    "isDebrief": False,
    "isFeedbackRequired": True,
    "isFeedbackRequested": True,
    "instructionsHtml": None,
    "instructionsPlain": None,
    "jobId": JOB_ID,
    "feedbackFormDefinitionId": "c5d6e7f8-091a-4b23-84d5-e6f708192a3b",
}
POOL: dict[str, Any] = {
    "id": "d6e7f809-1a2b-4c34-95e6-f708192a3b4c",
    "title": "Backend interviewers",
    "isArchived": False,
    "qualifiedMembers": [USER],
    "trainees": [],
    "createdAt": T1,
    "updatedAt": T2,
}
EVENT: dict[str, Any] = {
    "id": "e7f8091a-2b3c-4d45-a6f7-08192a3b4c5d",
    "interviewId": INTERVIEW["id"],
    "interviewScheduleId": "f8091a2b-3c4d-4e56-b708-192a3b4c5d6e",
    "interviewerUserIds": [USER_ID],
    "interviewers": [{**USER, "trainingRole": None, "interviewerPool": POOL, "isFeedbackRequired": True}],
    "createdAt": T1,
    "updatedAt": T2,
    "startTime": "2024-03-12T14:00:00.000Z",
    "endTime": "2024-03-12T15:00:00.000Z",
    "feedbackLink": "https://app.ashbyhq.com/interview-briefings/e7f8091a/feedback",
    "location": None,
    "meetingLink": "https://meet.example.com/abc-defg-hij",
    "interviewerCalendarEventId": None,
    "hasSubmittedFeedback": False,
    "notetakerTranscriptId": None,
    "interview": INTERVIEW,
}
OFFER_VERSION: dict[str, Any] = {
    "id": "091a2b3c-4d5e-4f67-8819-2a3b4c5d6e7f",
    "startDate": "2024-09-01",
    "salary": {"currencyCode": "EUR", "value": 92000},
    "createdAt": T1,
    "openingId": OPENING_ID,
    "customFields": [CUSTOM_FIELDS[5]],
    "fileHandles": [FILE_HANDLE],
    "author": USER,
    "approvalStatus": "Approved",
}
OFFER_SUMMARY: dict[str, Any] = {
    "id": "1a2b3c4d-5e6f-4078-9920-3b4c5d6e7f80",
    "applicationId": APPLICATION_ID,
    "acceptanceStatus": "Pending",
    "offerStatus": "WaitingOnCandidateResponse",
    "decidedAt": None,
    "latestVersion": OFFER_VERSION,
}

SAMPLES: dict[str, dict[str, Any]] = {
    "ContactInfo": CONTACT,
    "SocialLink": {"type": "GitHub", "url": "https://github.com/lfischer"},
    "FileHandle": FILE_HANDLE,
    "CustomFieldValue": CUSTOM_FIELDS[5],
    "User": {**USER, "managerId": None, "customFields": []},
    "HiringTeamMember": HIRING_TEAM[0],
    "SelectableValue": {"label": "Senior", "value": "senior", "isArchived": False},
    "FormField": FORM["sections"][0]["fields"][0]["field"],
    "FormFieldEntry": FORM["sections"][0]["fields"][0],
    "FormSection": FORM["sections"][0],
    "FormDefinition": FORM,
    "PostalAddress": LOCATION["address"]["postalAddress"],
    "Address": LOCATION["address"],
    "Candidate": CANDIDATE,
    "CandidateLocation": CANDIDATE["location"],
    "LocationComponent": {"type": "Region", "name": "Berlin"},
    "Note": {
        "id": "2b3c4d5e-6f70-4819-a2b3-4c5d6e7f8091",
        "createdAt": T1,
        "isPrivate": False,
        "content": "<p>Great <b>system design</b> answers.</p>",
        "author": {
            "id": USER_ID,
            "firstName": "Maya",
            "lastName": "Okafor",
            "email": "maya.okafor@example.com",
        },
    },
    "ClientInfo": {
        "id": "3c4d5e6f-7081-492a-b3c4-5d6e7f8091a2",
        "ipAddress": "203.0.113.7",
        "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2)",
        "relatedEntityType": "Application",
        "relatedEntityId": APPLICATION_ID,
        "candidateId": CANDIDATE_ID,
        "createdAt": T1,
    },
    "FraudCheck": {
        "id": "4d5e6f70-8192-4a3b-84d5-6e7f8091a2b3",
        "candidateId": CANDIDATE_ID,
        "status": "Passed",
        "checkType": "IdentityVerification",
        "createdAt": T1,
    },
    "Application": APPLICATION,
    "ApplicationCandidate": APPLICATION["candidate"],
    "ApplicationJob": {**APPLICATION["job"], "brandId": JOB["brandId"]},
    "ApplicationArchiveReason": APPLICATION["archiveReason"],
    "ApplicationReferral": {"user": USER, "referredAt": T1},
    "ApplicationHistory": HISTORY,
    "CriteriaEvaluation": {
        "id": "5e6f7081-92a3-4b4c-95d6-e7f8091a2b3c",
        "applicationId": APPLICATION_ID,
        "criterion": "5+ years of backend experience",
        "outcome": "Meets",
        "reasoning": "Seven years at two payment companies.",
        "createdAt": T1,
    },
    "ApplicationFeedback": {
        "id": "6f708192-a3b4-4c5d-a6e7-f8091a2b3c4d",
        "applicationId": APPLICATION_ID,
        "formDefinition": FORM,
        "submittedValues": {
            "_systemfield_overall_recommendation": "4",
            "notes": {"type": "PlainText", "value": "ok"},
        },
        "submittedByUser": USER,
        "submittedAt": T2,
        "feedbackFormDefinitionId": INTERVIEW["feedbackFormDefinitionId"],
        "interviewId": INTERVIEW["id"],
    },
    "HiringTeamRole": {"id": "708192a3-b4c5-4d6e-b7f8-091a2b3c4d5e", "title": "Hiring Manager"},
    "Job": JOB,
    "JobCompensation": {"compensationTiers": [TIER]},
    "CompensationTier": TIER,
    "CompensationComponent": COMPENSATION_COMPONENT,
    "JobPostingSummary": JOB_POSTING_SUMMARY,
    "JobPostingLocationIds": JOB_POSTING_SUMMARY["locationIds"],
    "JobPosting": JOB_POSTING,
    "JobPostingDescriptionParts": JOB_POSTING["descriptionParts"],
    "DescriptionPart": JOB_POSTING["descriptionParts"]["descriptionBody"],
    "JobPostingCompensation": JOB_POSTING["compensation"],
    "JobBoard": {"id": "8192a3b4-c5d6-4e7f-8809-1a2b3c4d5e6f", "title": "Careers page", "isInternal": False},
    "JobTemplate": {
        "id": "92a3b4c5-d6e7-4f80-919a-2b3c4d5e6f70",
        "title": "Backend Engineer template",
        "isArchived": False,
        "departmentId": DEPARTMENT_ID,
        "locationId": LOCATION_ID,
        "employmentType": "FullTime",
        "createdAt": T1,
        "updatedAt": T2,
    },
    "JobInterviewPlan": {
        "jobId": JOB_ID,
        "interviewPlanId": PLAN_ID,
        "stages": [
            {
                **STAGE,
                "activities": [
                    {
                        "id": "a3b4c5d6-e7f8-4091-a2b3-c4d5e6f70819",
                        "title": "Technical",
                        "interviews": [
                            {
                                "id": "b4c5d6e7-f809-41a2-b3c4-d5e6f708192a",
                                "title": "System Design",
                                "interviewId": INTERVIEW["id"],
                                "interviewDurationMinutes": 60,
                                "isSchedulable": True,
                            }
                        ],
                    }
                ],
            }
        ],
    },
    "Opening": OPENING,
    "OpeningVersion": OPENING["latestVersion"],
    "Department": {
        "id": DEPARTMENT_ID,
        "name": "Engineering",
        "externalName": None,
        "isArchived": False,
        "parentId": None,
        "createdAt": T1,
        "updatedAt": T2,
        "extraData": {"costCenter": "ENG-01"},
    },
    "Location": LOCATION,
    "InterviewerSettings": {
        "userId": USER_ID,
        "isInterviewer": True,
        "maxInterviewsPerDay": 3,
        "maxInterviewsPerWeek": None,
    },
    "InterviewerPause": {
        "id": "c5d6e7f8-0912-4a3b-84c5-d6e7f8091a2b",
        "userId": USER_ID,
        "startDate": "2024-07-01",
        "endDate": None,
        "reason": "Parental leave",
    },
    "Brand": {"id": JOB["brandId"], "name": "Example Labs", "hostedJobsPageSlug": "example-labs"},
    "SourceType": SOURCE["sourceType"],
    "Source": SOURCE,
    "ArchiveReason": {
        key: value for key, value in APPLICATION["archiveReason"].items() if key != "customFields"
    },
    "CloseReason": {
        "id": "d6e7f809-1a2b-4c3d-a5e6-f708192a3b4c",
        "reasonText": "Position filled",
        "isArchived": False,
    },
    "CandidateTag": TAG,
    "CustomField": {
        "id": FIELD_ID,
        "title": "Level",
        "objectType": "Candidate",
        "fieldType": "ValueSelect",
        "isArchived": False,
        "isRequired": False,
        "isPrivate": False,
        "selectableValues": [{"label": "Senior", "value": "senior", "isArchived": False}],
        "isDateOnlyField": None,
    },
    "FeedbackFormDefinition": {
        "id": INTERVIEW["feedbackFormDefinitionId"],
        "organizationId": "e7f8091a-2b3c-4d4e-b5f6-708192a3b4c5",
        "title": "Technical scorecard",
        "isArchived": False,
        "isDefaultForm": False,
        "formDefinition": FORM,
        "interviewId": INTERVIEW["id"],
    },
    "InterviewerPool": POOL,
    "CommunicationTemplate": {
        "id": "f8091a2b-3c4d-4e5f-8607-8192a3b4c5d6",
        "title": "Rejection",
        "isArchived": False,
    },
    "SourceTrackingLink": {
        "id": "091a2b3c-4d5e-4f60-9718-92a3b4c5d6e7",
        "sourceId": SOURCE["id"],
        "code": "meetup-2024",
        "link": "https://jobs.ashbyhq.com/example?utm_source=meetup-2024",
        "isArchived": False,
    },
    "ReferralForm": {
        "id": "1a2b3c4d-5e6f-4071-8829-a3b4c5d6e7f8",
        "title": "Referral form",
        "isArchived": False,
        "formDefinition": FORM,
    },
    "SurveyFormDefinition": {
        "id": "2b3c4d5e-6f70-4182-9930-b4c5d6e7f809",
        "title": "Candidate experience",
        "isArchived": False,
        "surveyType": "CandidateExperience",
        "formDefinition": FORM,
    },
    "InterviewPlan": {
        "id": PLAN_ID,
        "title": "Engineering plan",
        "isArchived": False,
        "createdAt": T1,
        "updatedAt": T2,
    },
    "InterviewStage": STAGE,
    "InterviewStageGroup": {
        "id": "3c4d5e6f-7081-4293-a041-c5d6e7f8091a",
        "title": "Interviews",
        "order": 2,
        "stageType": "Active",
    },
    "Interview": INTERVIEW,
    "InterviewSchedule": {
        "id": EVENT["interviewScheduleId"],
        "status": "Scheduled",
        "applicationId": APPLICATION_ID,
        "interviewStageId": STAGE_ID,
        "scheduledBy": USER,
        "createdAt": T1,
        "updatedAt": T2,
        "interviewEvents": [EVENT],
    },
    "InterviewEvent": EVENT,
    "InterviewEventInterviewer": EVENT["interviewers"][0],
    "Salary": OFFER_VERSION["salary"],
    "OfferVersion": OFFER_VERSION,
    "OfferSummary": OFFER_SUMMARY,
    "Offer": {**OFFER_SUMMARY, "versions": [OFFER_VERSION], "formDefinition": FORM},
    "OfferProcess": {
        "id": "4d5e6f70-8192-4a3b-b152-d6e7f8091a2b",
        "applicationId": APPLICATION_ID,
        "status": "WaitingOnOfferCreation",
    },
    "Project": {
        "id": "5e6f7081-92a3-4b4c-8263-e7f8091a2b3c",
        "title": "Payments talent pool",
        "description": "Engineers to revisit in Q3",
        "isArchived": False,
        "confidential": False,
        "authorId": USER_ID,
        "createdAt": T1,
        "customFieldEntries": [CUSTOM_FIELDS[0]],
    },
    "FileInfo": {"url": "https://s3.amazonaws.com/ashby-files/resume.pdf?X-Amz-Signature=abc"},
    "Webhook": {
        "id": "6f708192-a3b4-4c5d-9374-f8091a2b3c4d",
        "enabled": True,
        "requestUrl": "https://hooks.example.com/ashby",
        "webhookType": "candidateHire",
    },
    "ApiKey": {"title": "Agent key", "createdAt": T1, "scopes": ["candidates:read", "jobs:read"]},
    "Approval": {
        "id": "708192a3-b4c5-4d6e-8485-091a2b3c4d5e",
        "approvalDefinitionId": "8192a3b4-c5d6-4e7f-9596-1a2b3c4d5e6f",
        "entityId": OFFER_SUMMARY["id"],
        "entityType": "offer",
        "createdAt": T1,
        "submittedAt": T1,
        "completedAt": None,
        "steps": [
            {
                "id": "92a3b4c5-d6e7-4f80-a6a7-2b3c4d5e6f70",
                "approvalsRequired": 1,
                "completedAt": None,
                "approvers": [
                    {
                        "id": "a3b4c5d6-e7f8-4091-b7b8-3c4d5e6f7081",
                        "userId": USER_ID,
                        "decision": "pending",
                        "decidedAt": None,
                        "requestedAt": T1,
                    }
                ],
            }
        ],
    },
    "ApprovalStep": {
        "id": "92a3b4c5-d6e7-4f80-a6a7-2b3c4d5e6f70",
        "approvalsRequired": 2,
        "completedAt": T2,
        "approvers": [],
    },
    "Approver": {
        "id": "b4c5d6e7-f809-41a2-88c9-4d5e6f708192",
        "userId": USER_ID,
        "decision": "approve",
        "decidedAt": T2,
    },
}

_PLAN_STAGE = SAMPLES["JobInterviewPlan"]["stages"][0]
SAMPLES["JobInterviewPlanStage"] = _PLAN_STAGE
SAMPLES["JobInterviewPlanActivity"] = _PLAN_STAGE["activities"][0]
SAMPLES["JobInterviewPlanInterview"] = _PLAN_STAGE["activities"][0]["interviews"][0]

RECORD_CLASSES: dict[str, type[AshbyRecord]] = {
    name: obj
    for name in models.__all__
    if isinstance(obj := getattr(models, name), type)
    and issubclass(obj, AshbyRecord)
    and obj is not AshbyRecord
}

# The record model of every catalog entity (docs/architecture.md) and the shared pieces.
CATALOG_MODELS = """
Candidate Note Project ClientInfo FraudCheck Application ApplicationHistory CriteriaEvaluation
ApplicationFeedback HiringTeamRole Job JobPostingSummary JobPosting JobBoard JobTemplate
JobInterviewPlan Opening Department Location User InterviewerSettings InterviewerPause Brand Source
ArchiveReason CloseReason CandidateTag CustomField FeedbackFormDefinition InterviewerPool
CommunicationTemplate SourceTrackingLink ReferralForm InterviewPlan InterviewStage
InterviewStageGroup Interview InterviewSchedule InterviewEvent OfferSummary Offer FileInfo Webhook
ApiKey ContactInfo SocialLink FileHandle CustomFieldValue HiringTeamMember OfferVersion
FormDefinition
"""


# -- coverage and public surface ---------------------------------------------------------------------


def test_every_catalog_model_is_exported() -> None:
    missing = [name for name in CATALOG_MODELS.split() if name not in RECORD_CLASSES]
    assert missing == []


def test_all_lists_exactly_the_public_names() -> None:
    # models.py defines AshbyAuthConfig and exports the record classes lazily (see its __getattr__).
    assert set(models.__all__) == set(models._EXPORTS) | {"AshbyAuthConfig"}
    assert len(models.__all__) == len(set(models.__all__))
    for name, module in models._EXPORTS.items():
        records = importlib.import_module(f"ashby_agent.connectors.ashby.records.{module}")
        assert getattr(models, name) is getattr(records, name), name
        obj = getattr(records, name)
        if isinstance(obj, type):
            assert obj.__module__ == records.__name__, f"{name} is re-exported by {module}, not defined"
    assert "AshbyAuthConfig" in dir(models) and "Candidate" in dir(models)
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = models.Nope


def test_type_checkers_see_the_same_lazy_exports() -> None:
    """The ``if TYPE_CHECKING:`` imports of models.py name exactly the runtime lazy exports."""
    tree = ast.parse(Path(models.__file__).read_text())
    [guard] = [
        node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    imported = {
        alias.name: (node.module or "").removeprefix("records.")
        for node in guard.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == models._EXPORTS


def test_every_record_class_has_a_sample() -> None:
    assert sorted(set(RECORD_CLASSES) - set(SAMPLES)) == []
    assert sorted(set(SAMPLES) - set(RECORD_CLASSES)) == []


@pytest.mark.parametrize("name", sorted(RECORD_CLASSES))
def test_every_field_is_described_and_the_schema_builds(name: str) -> None:
    cls = RECORD_CLASSES[name]
    assert cls.__doc__
    assert cls.__doc__.strip()
    undescribed = [field for field, info in cls.model_fields.items() if not info.description]
    assert undescribed == []
    schema = cls.model_json_schema()
    assert all("_" not in key for key in schema.get("properties", {}))  # wire (camelCase) keys


# -- parsing and round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_parses_and_round_trips_to_the_wire_form(name: str) -> None:
    sample = copy.deepcopy(SAMPLES[name])
    record = RECORD_CLASSES[name].model_validate(sample)
    assert record.model_dump(mode="json", by_alias=True, exclude_unset=True) == sample
    assert sample == SAMPLES[name]  # parsing does not mutate the input
    again = RECORD_CLASSES[name].model_validate_json(
        record.model_dump_json(by_alias=True, exclude_unset=True)
    )
    assert again == record


def test_candidate_attributes_are_snake_case_and_typed() -> None:
    candidate = Candidate.model_validate(CANDIDATE)
    assert candidate.primary_email_address is not None
    assert candidate.primary_email_address.is_primary is True
    assert candidate.created_at == datetime(2024, 2, 4, 21, 38, 12, 442000, tzinfo=UTC)
    assert candidate.created_at.utcoffset() is not None
    assert candidate.profile_url.endswith(CANDIDATE_ID)
    assert candidate.tags[0].title == "Strong referral"
    assert candidate.source is not None
    assert candidate.source.source_type is not None
    assert candidate.source.source_type.title == "Sourced"
    assert candidate.credited_to_user is not None
    assert candidate.credited_to_user.first_name == "Maya"
    assert candidate.location is not None
    assert candidate.location.location_components[1].name == "Berlin"
    assert candidate.resume_file_handle is not None
    assert candidate.resume_file_handle.handle


def test_dump_gives_snake_case_by_default_and_wire_keys_by_alias() -> None:
    candidate = Candidate.model_validate(CANDIDATE)
    assert "primary_email_address" in candidate.model_dump(mode="json")
    wire = candidate.model_dump(mode="json", by_alias=True)
    assert "primaryEmailAddress" in wire
    assert "primary_email_address" not in wire
    assert wire["createdAt"] == T1  # milliseconds and Z, as Ashby writes them


def test_timestamps_keep_ashby_format_for_other_offsets_and_naive_values() -> None:
    note = models.Note(id="n1", created_at=datetime(2024, 1, 2, 3, 4, 5, 6000))
    assert note.model_dump(mode="json")["created_at"] == "2024-01-02T03:04:05.006"
    note.created_at = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert note.model_dump(mode="json", by_alias=True)["createdAt"] == "2024-01-02T03:04:05.000Z"
    assert note.model_dump()["created_at"] == datetime(
        2024, 1, 2, 3, 4, 5, tzinfo=UTC
    )  # python mode untouched


def test_omitted_and_null_optional_fields_both_parse_to_none() -> None:
    sparse = Candidate.model_validate(CANDIDATE_SPARSE)
    for attribute in (
        "primary_email_address",
        "position",
        "resume_file_handle",
        "location",
        "source",
        "timezone",
    ):
        assert getattr(sparse, attribute) is None
    assert sparse.model_dump(mode="json", by_alias=True, exclude_unset=True) == CANDIDATE_SPARSE
    explicit_nulls = CANDIDATE_SPARSE | {"position": None, "primaryPhoneNumber": None, "location": None}
    assert Candidate.model_validate(explicit_nulls).position is None


def test_optional_arrays_default_to_empty_lists() -> None:
    job = Job.model_validate(
        {key: JOB[key] for key in ("id", "title", "confidential", "status", "employmentType", "updatedAt")}
    )
    assert job.hiring_team == []
    assert job.openings == []
    assert job.location is None
    assert job.created_at is None
    assert Job.model_validate({**job.model_dump(by_alias=True), "hiringTeam": []}).hiring_team == []


def test_unknown_fields_are_kept_and_written_back() -> None:
    wire = CANDIDATE | {"newFieldFrom2027": {"x": 1}}
    candidate = Candidate.model_validate(wire)
    assert candidate.model_extra == {"newFieldFrom2027": {"x": 1}}
    assert candidate.model_dump(mode="json", by_alias=True, exclude_unset=True) == wire


def test_unknown_enum_values_are_accepted() -> None:
    schedule = SAMPLES["InterviewSchedule"] | {"status": "PendingNewWorkflow"}
    assert InterviewSchedule.model_validate(schedule).status == "PendingNewWorkflow"
    assert (
        Candidate.model_validate(CANDIDATE | {"fraudStatus": "BrandNewStatus"}).fraud_status
        == "BrandNewStatus"
    )


def test_populate_by_field_name_and_assignment() -> None:
    user = models.User(id=USER_ID, first_name="Maya", is_enabled=True)
    assert user.model_dump(by_alias=True, exclude_unset=True) == {
        "id": USER_ID,
        "firstName": "Maya",
        "isEnabled": True,
    }
    user.last_name = "Okafor"
    assert user.last_name == "Okafor"


def test_nested_objects_are_typed_models() -> None:
    application = Application.model_validate(APPLICATION)
    assert isinstance(application.current_interview_stage, models.InterviewStage)
    assert application.current_interview_stage.type == "Archived"
    assert isinstance(application.candidate, models.ApplicationCandidate)
    assert application.archive_reason is not None
    assert application.archive_reason.reason_type == "RejectedByOrg"
    assert application.archived_at == datetime(2024, 3, 11, 9, 5, tzinfo=UTC)
    assert application.application_history[0].left_stage_at is None
    assert application.application_history[1].left_stage_at is not None
    schedule = InterviewSchedule.model_validate(SAMPLES["InterviewSchedule"])
    event = schedule.interview_events[0]
    assert isinstance(event, models.InterviewEvent)
    assert isinstance(event.interview, models.Interview)
    assert event.interviewers[0].interviewer_pool is not None
    assert event.interviewers[0].interviewer_pool.qualified_members[0].id == USER_ID
    assert event.start_time == datetime(2024, 3, 12, 14, tzinfo=UTC)
    job = Job.model_validate(JOB | {"location": LOCATION, "openings": [OPENING]})
    assert isinstance(job.location, models.Location)
    assert job.openings[0].latest_version is not None
    assert job.openings[0].latest_version.target_hire_date == date(2024, 6, 30)


def test_dates_parse_to_date() -> None:
    posting = JobPostingSummary.model_validate(JOB_POSTING_SUMMARY)
    assert posting.published_date == date(2024, 2, 5)
    pause = models.InterviewerPause.model_validate(SAMPLES["InterviewerPause"])
    assert pause.start_date == date(2024, 7, 1)
    assert pause.end_date is None


def test_custom_field_values_keep_their_json_types() -> None:
    values = [CustomFieldValue.model_validate(item).value for item in CUSTOM_FIELDS]
    assert values == [
        True,
        7,
        4.5,
        "senior",
        ["python", "sql"],
        {"value": 90000, "currencyCode": "EUR"},
        "2024-05-01",
        None,
    ]
    assert [type(value) for value in values[:3]] == [bool, int, float]


def test_subclasses_extend_their_summaries() -> None:
    assert issubclass(Offer, OfferSummary)
    assert issubclass(JobPosting, JobPostingSummary)
    offer = Offer.model_validate(SAMPLES["Offer"])
    assert offer.latest_version.salary is not None
    assert offer.latest_version.salary.value == 92000
    assert offer.versions[0].start_date == date(2024, 9, 1)
    assert offer.form_definition is not None
    posting = JobPosting.model_validate(JOB_POSTING)
    assert posting.compensation is not None
    assert posting.compensation.compensation_tiers[0].components[0].max_value == 95000.5
    assert posting.application_form_definition is not None
    assert posting.application_form_definition.sections[0].fields[0].field.path.startswith("_systemfield_")


def test_job_posting_list_rows_parse_as_the_full_model_too() -> None:
    posting = JobPosting.model_validate(JOB_POSTING_SUMMARY)
    assert posting.description_html is None
    assert posting.team_name_hierarchy == []


@pytest.mark.parametrize(
    ("cls", "sample", "missing"),
    [
        (Candidate, CANDIDATE, "name"),
        (Candidate, CANDIDATE, "createdAt"),
        (Candidate, CANDIDATE, "emailAddresses"),
        (Application, APPLICATION, "currentInterviewStage"),
        (Application, APPLICATION, "status"),
        (ApplicationHistory, HISTORY, "allowedActions"),
        (ApplicationFeedback, SAMPLES["ApplicationFeedback"], "submittedByUser"),
        (Job, JOB, "updatedAt"),
        (Department, SAMPLES["Department"], "createdAt"),
        (InterviewSchedule, SAMPLES["InterviewSchedule"], "status"),
        (models.Opening, OPENING, "openingState"),
        (models.Project, SAMPLES["Project"], "title"),
        (OfferSummary, OFFER_SUMMARY, "latestVersion"),
        (models.Location, LOCATION, "isArchived"),
    ],
)
def test_required_fields_are_enforced(cls: type[BaseModel], sample: dict[str, Any], missing: str) -> None:
    incomplete = {key: value for key, value in sample.items() if key != missing}
    with pytest.raises(ValidationError) as caught:
        cls.model_validate(incomplete)
    assert caught.value.errors()[0]["loc"] == (missing,)
    assert caught.value.errors()[0]["type"] == "missing"


def test_wrong_types_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Candidate.model_validate(CANDIDATE | {"createdAt": "yesterday"})
    with pytest.raises(ValidationError):
        JobPostingSummary.model_validate(JOB_POSTING_SUMMARY | {"publishedDate": "2024-02-05T10:00:00.000Z"})


# -- secrets -----------------------------------------------------------------------------------------


def test_auth_config_hides_the_key() -> None:
    config = AshbyAuthConfig(api_key=SecretStr(KEY))
    assert config.api_key.get_secret_value() == KEY
    rendered = [
        repr(config),
        str(config),
        config.model_dump_json(),
        json.dumps(config.model_dump(mode="json")),
    ]
    rendered += [repr(config.model_dump()), str(config.api_key), f"{config!r}"]
    assert all(KEY not in text for text in rendered)
    assert "**********" in config.model_dump_json()


def test_auth_config_accepts_plain_strings_and_strips_them() -> None:
    config = AshbyAuthConfig.model_validate({"api_key": f"  {KEY}\n"})
    assert config.api_key.get_secret_value() == KEY


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_auth_config_rejects_blank_keys(bad: str) -> None:
    with pytest.raises(ValidationError, match="empty"):
        AshbyAuthConfig.model_validate({"api_key": bad})


def test_auth_config_requires_the_key_and_never_echoes_input() -> None:
    with pytest.raises(ValidationError) as missing:
        AshbyAuthConfig.model_validate({})
    assert missing.value.errors()[0]["type"] == "missing"
    with pytest.raises(ValidationError) as extra:
        AshbyAuthConfig.model_validate({"api_key": KEY, "apikey": KEY})
    assert KEY not in str(extra.value)
    assert KEY not in repr(extra.value)


def test_auth_config_is_immutable() -> None:
    config = AshbyAuthConfig(api_key=SecretStr(KEY))
    with pytest.raises(ValidationError):
        config.api_key = SecretStr("other")  # type: ignore[misc]


def test_webhook_secret_is_hidden() -> None:
    webhook = Webhook.model_validate(SAMPLES["Webhook"] | {"secretToken": "whsec-very-secret"})
    assert webhook.secret_token is not None
    assert webhook.secret_token.get_secret_value() == "whsec-very-secret"
    assert "whsec-very-secret" not in repr(webhook) + webhook.model_dump_json(by_alias=True)


def test_api_key_record_parses_scopes() -> None:
    api_key = ApiKey.model_validate(SAMPLES["ApiKey"])
    assert api_key.scopes == ["candidates:read", "jobs:read"]
    assert api_key.created_at is not None
