"""Shared pieces embedded in many Ashby objects: contact info, files, custom field values, forms."""

from typing import Any

from pydantic import Field

from .base import AshbyRecord

__all__ = [
    "Address",
    "ContactInfo",
    "CustomFieldValue",
    "FileHandle",
    "FormDefinition",
    "FormField",
    "FormFieldEntry",
    "FormSection",
    "HiringTeamMember",
    "PostalAddress",
    "SelectableValue",
    "SocialLink",
]


class ContactInfo(AshbyRecord):
    """An email address or phone number of a candidate (``emailAddresses[]``, ``phoneNumbers[]``)."""

    value: str = Field(description="The email address or phone number.")
    type: str | None = Field(None, description="Kind of contact; known values: Personal, Work, Other.")
    is_primary: bool | None = Field(None, description="Whether this is the primary address or number.")


class SocialLink(AshbyRecord):
    """A link to a candidate's profile elsewhere (``socialLinks[]``)."""

    type: str | None = Field(
        None,
        description="Site; known values: LinkedIn, GitHub, Twitter, Medium, StackOverflow, YouTube, "
        "CodePen, Website.",
    )
    url: str = Field(description="URL of the profile.")


class FileHandle(AshbyRecord):
    """A stored file (resume, offer letter); pass ``handle`` to ``file.info`` for a download URL."""

    id: str | None = Field(None, description="File id (UUID).")
    name: str | None = Field(None, description="File name, e.g. 'resume.pdf'.")
    handle: str = Field(description="Opaque signed token accepted by file.info.")


class CustomFieldValue(AshbyRecord):
    """The value of one custom field on a record (``customFields[]``, projects' ``customFieldEntries[]``)."""

    id: str = Field(description="Id of the custom field definition (UUID).")
    title: str | None = Field(None, description="Title of the custom field.")
    value: bool | int | float | str | list[str] | dict[str, Any] | None = Field(
        None,
        description="The value: boolean, number, string (also ISO dates), list of strings "
        "(MultiValueSelect), or an object (currency {value, currencyCode}, number or compensation "
        "range).",
    )
    is_private: bool | None = Field(None, description="Whether the field is private.")
    value_label: str | None = Field(
        None, description="Label of the selected option ((Multi)ValueSelect only)."
    )


class HiringTeamMember(AshbyRecord):
    """A user on the hiring team of an application, job or opening (``hiringTeam[]``)."""

    user_id: str = Field(description="User id (UUID).")
    first_name: str | None = Field(None, description="First name.")
    last_name: str | None = Field(None, description="Last name.")
    email: str | None = Field(None, description="Email address.")
    role: str | None = Field(None, description="Title of the hiring team role, e.g. 'Recruiter'.")


class SelectableValue(AshbyRecord):
    """An option of a select-type field (custom field definitions and form fields)."""

    label: str = Field(description="Label shown to users.")
    value: str = Field(description="Value stored and submitted.")
    is_archived: bool | None = Field(None, description="Whether the option is archived.")


class FormField(AshbyRecord):
    """The definition of one field of a form."""

    id: str | None = Field(None, description="Field id (UUID).")
    type: str | None = Field(
        None,
        description="Field type; known values include Boolean, Date, Email, Number, String, LongText, "
        "Phone, ValueSelect, MultiValueSelect, Score, RichText, Currency, NumberRange, "
        "CompensationRange, Url, UUID, SocialLink, Location, DateRange, File.",
    )
    path: str = Field(
        description="Key of the field in submitted values; system fields look like '_systemfield_name'."
    )
    human_readable_path: str | None = Field(None, description="Readable form of the path.")
    title: str | None = Field(None, description="Field title.")
    is_nullable: bool | None = Field(None, description="Whether the field accepts null.")
    selectable_values: list[SelectableValue] = Field(
        default_factory=list, description="Options of a select-type field."
    )


class FormFieldEntry(AshbyRecord):
    """A field placed in a form section, with its per-form settings."""

    is_required: bool | None = Field(None, description="Whether an answer is required.")
    description_html: str | None = Field(None, description="Help text as HTML.")
    description_plain: str | None = Field(None, description="Help text as plain text.")
    field: FormField = Field(description="The field definition.")


class FormSection(AshbyRecord):
    """A section of a form definition."""

    title: str | None = Field(None, description="Section title.")
    description_html: str | None = Field(None, description="Section description as HTML.")
    description_plain: str | None = Field(None, description="Section description as plain text.")
    fields: list[FormFieldEntry] = Field(default_factory=list, description="Fields of the section, in order.")


class FormDefinition(AshbyRecord):
    """The layout of a form (scorecards, application forms, offer forms, referral forms)."""

    sections: list[FormSection] = Field(default_factory=list, description="Sections of the form, in order.")


class PostalAddress(AshbyRecord):
    """A postal address (schema.org style)."""

    address_country: str | None = Field(None, description="Country.")
    address_region: str | None = Field(None, description="Region, state or province.")
    address_locality: str | None = Field(None, description="City or town.")
    postal_code: str | None = Field(None, description="Postal code.")
    street_address: str | None = Field(None, description="Street address.")


class Address(AshbyRecord):
    """The address of a location or job posting."""

    postal_address: PostalAddress | None = Field(None, description="The postal address.")
