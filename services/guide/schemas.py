"""The only place the guide service parses input, and what its API shows.

A downloader names their municipality (by name or CBS code), optionally their role and an
e-mail address; nothing else about them is asked.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates

from services.guide.domain import ROLES, SLUG, Choice
from services.guide.links import guide_url
from shared.clock import amsterdam_today
from shared.themes import THEMES
from shared.web.fields import Day, Moment, MunicipalityField
from shared.web.service import now, service_context

SAYS_SOMETHING = validate.Regexp(r"\S", error="May not be empty.")
DOCUMENT = re.compile(r"^(edition:(?P<edition>[1-9]\d{0,5})|item:(?P<item>[0-9a-f-]{36}))$")


def theme_list(**kwargs: Any) -> fields.List:
    """Themes by their slugs (shared.themes), each once."""
    return fields.List(
        fields.String(validate=validate.OneOf(THEMES)),
        validate=[validate.Length(max=len(THEMES)), _each_once],
        **kwargs,
    )


def _each_once(values: list[str]) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("Name each theme once.")


# -- input -----------------------------------------------------------------------------


class GuideIn(Schema):
    title = fields.String(required=True, validate=[validate.Length(min=3, max=200), SAYS_SOMETHING])
    slug = fields.String(
        load_default=None,
        validate=[validate.Length(max=80), validate.Regexp(SLUG, error="Use a-z, 0-9 and -.")],
        metadata={"description": "The guide's address; default: made from the title"},
    )
    summary = fields.String(load_default="", validate=validate.Length(max=5000))
    themes = theme_list(load_default=list)
    available_from = Day(
        required=True, metadata={"description": "Officials can download it from this day"}
    )
    counts_for_awareness = fields.Boolean(
        load_default=True,
        metadata={"description": "A download is evidence that the municipality knows the guide"},
    )


class EditionIn(Schema):
    published_on = Day(required=True)
    notes = fields.String(
        load_default="",
        validate=validate.Length(max=5000),
        metadata={"description": "What is new in this edition"},
    )


class ToolboxItemIn(Schema):
    title = fields.String(required=True, validate=[validate.Length(min=3, max=200), SAYS_SOMETHING])
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    themes = theme_list(required=True)
    published_on = Day(required=True)

    @validates("themes")
    def _some(self, value: list[str], **_: Any) -> None:
        if not value:
            raise ValidationError("Choose at least one theme.")


class UploadIn(Schema):
    file = Upload(required=True, metadata={"description": "A PDF or office document"})


class EditionUpload(EditionIn, UploadIn):
    """An edition as the API takes it: its fields and its file in one multipart body."""


class ToolboxItemUpload(ToolboxItemIn, UploadIn):
    """A toolbox item as the API takes it: its fields and its file in one multipart body."""


class DownloaderIn(Schema):
    """Who downloads: only the municipality is required, and no account."""

    municipality_code = MunicipalityField(required=True)
    role = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(ROLES))
    email = fields.Email(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=254),
        metadata={
            "description": "Only to tell you once about a new edition; erased when that "
            "notice went, or GIA_GUIDE_RETENTION_DAYS (365) after the download"
        },
    )


class DocumentField(fields.String):
    """Which document a page's download form chose: ``edition:<number>`` or ``item:<id>``."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Choice:
        found = DOCUMENT.match(super()._deserialize(value, attr, data, **kwargs))
        if found is None:
            raise ValidationError("Choose one of this guide's documents.")
        if found["edition"]:
            return Choice(edition=int(found["edition"]))
        try:
            return Choice(toolbox_item_id=str(uuid.UUID(found["item"])))
        except ValueError as error:
            raise ValidationError("Choose one of this guide's documents.") from error


class PageDownloadIn(DownloaderIn):
    document = DocumentField(required=True)


class ToolboxQuery(Schema):
    theme = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(THEMES))


# -- output ----------------------------------------------------------------------------


class StoredFileOut(Schema):
    id = fields.UUID()
    published_on = fields.Date()
    filename = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()


class EditionOut(StoredFileOut):
    number = fields.Integer()
    notes = fields.String()


class ToolboxItemOut(StoredFileOut):
    title = fields.String()
    description = fields.String()
    themes = fields.List(fields.String())


class GuideOut(Schema):
    id = fields.UUID()
    slug = fields.String()
    title = fields.String()
    summary = fields.String()
    themes = fields.List(fields.String())
    available_from = fields.Date()
    available = fields.Function(
        lambda guide: guide.available_from <= amsterdam_today(now),
        metadata={"type": "boolean", "description": "It can be downloaded today"},
    )
    counts_for_awareness = fields.Boolean()
    editions = fields.List(fields.Nested(EditionOut), metadata={"description": "Newest first"})
    toolbox = fields.List(fields.Nested(ToolboxItemOut))
    page = fields.Function(
        lambda guide: guide_url(service_context().settings, guide.slug),
        metadata={"type": "string", "description": "Where officials download it"},
    )


class GuideCountOut(Schema):
    """Downloads of one guide."""

    guide_id = fields.UUID(attribute="guide.id")
    slug = fields.String(attribute="guide.slug")
    title = fields.String(attribute="guide.title")
    downloads = fields.Integer()
    municipalities = fields.Integer(metadata={"description": "Municipalities that downloaded it"})
    target_group = fields.Integer(metadata={"description": "Of them, in the target group"})
    editions = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "By number"}
    )
    toolbox = fields.Integer(metadata={"description": "Downloads of toolbox items"})
    roles = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "As given"}
    )


class MunicipalityCountOut(Schema):
    """Downloads by officials of one municipality."""

    code = fields.String(attribute="municipality.code")
    name = fields.String(attribute="municipality.name")
    province = fields.String(attribute="municipality.province")
    region = fields.String(attribute="municipality.region")
    in_target_group = fields.Boolean(attribute="municipality.in_target_group")
    downloads = fields.Integer()
    guides = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "By guide slug"}
    )
    first_at = Moment()
    last_at = Moment()
