"""Strict, bounded field types for the API's input schemas (issue 7 items 5 and 6).

JSON input is read as it is typed: `"60"` or `true` are not minutes, a number is not a date, a time
carries no time zone, an id fits a 64-bit column. The bounds come from `verksam.core.bounds` so the
OpenAPI document states them; the services check the business rules again (they are the source of
truth, and the web forms go through them too).

Query and path parameters arrive as text, so they use the lax, bounded types (`Id`, `PageNumber`,
`QueryDate`): pydantic parses ASCII digits only ("٣" is refused)."""

import datetime as dt
import re
import uuid
from typing import Annotated, Any

from ninja import Schema
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    WithJsonSchema,
    field_validator,
)

from verksam.core import bounds

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_ISO_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$", re.ASCII)


def _calendar(day: dt.date) -> dt.date:
    if not bounds.in_calendar(day):
        raise ValueError(
            f"must be between {bounds.CALENDAR_MIN.isoformat()} and {bounds.CALENDAR_MAX.isoformat()}"
        )
    return day


def _iso_date(value: Any) -> Any:
    """Only an ISO date string (`2026-11-20`) or a date: never a number, a date-time or a week."""
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date (YYYY-MM-DD), not a date-time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return dt.date.fromisoformat(value)
    raise ValueError("expected a date as text: YYYY-MM-DD")


def _iso_time(value: Any) -> Any:
    """Only a wall-clock time string (`08:30`, `08:30:00`) or a naive time: no time zone, no number."""
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise ValueError("expected a wall-clock time without a time zone")
        return value
    if isinstance(value, str) and _ISO_TIME.match(value):
        return dt.time.fromisoformat(value)
    raise ValueError("expected a wall-clock time as text: HH:MM, without a time zone")


def _uuid(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        return uuid.UUID(value)
    raise ValueError("expected a UUID as text")


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; a form refuses it too (ProhibitNullCharactersValidator).
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# Body fields: exact JSON types.
# The document states the calendar bound as a pattern on the years (2000–2100), so clients and the
# fuzz test know which dates exist here.
_DATE_SCHEMA = {
    "type": "string",
    "format": "date",
    "pattern": r"^(20\d\d|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
    "description": f"YYYY-MM-DD, {bounds.CALENDAR_MIN.isoformat()} to {bounds.CALENDAR_MAX.isoformat()}",
}
Date = Annotated[dt.date, BeforeValidator(_iso_date), AfterValidator(_calendar), WithJsonSchema(_DATE_SCHEMA)]
Time = Annotated[dt.time, BeforeValidator(_iso_time)]
UUID = Annotated[uuid.UUID, BeforeValidator(_uuid)]
Bool = StrictBool
StrictId = Annotated[StrictInt, Field(ge=1, le=bounds.MAX_ID)]
# Minutes of a day: the time-entry rules refuse 0 or more than 24 hours with their own message.
DayMinutes = Annotated[StrictInt, Field(description=f"Minutes, at most {bounds.MINUTES_PER_DAY} a day")]
Amount = Annotated[StrictInt, Field(ge=0, le=bounds.MAX_AMOUNT_ORE, description="Öre")]


# A short word in a query (a kind, a system, a period key).
Word = Annotated[str, Field(max_length=30), AfterValidator(_no_nul)]


# Path and query parameters: text parsed as numbers and dates, bounded.
Id = Annotated[int, Field(ge=1, le=bounds.MAX_ID)]
PageNumber = Annotated[int, Field(ge=1, le=bounds.MAX_PAGE)]
QueryDate = Date  # a query value is text: the same ISO-only parsing


def _no_nul_in(value: Any) -> Any:
    values = value if isinstance(value, list | tuple) else [value]
    for item in values:
        if isinstance(item, str):
            _no_nul(item)
    return value


class QueryIn(Schema):
    """Base of query-parameter schemas: text without NUL."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _no_nul_in(value)


class StrictIn(QueryIn):
    """Base of every JSON body schema: a string stays a string, an int an int, a bool a bool; no
    text holds NUL."""

    model_config = ConfigDict(strict=True)


class LeanStrictIn(BaseModel):
    """StrictIn as a plain pydantic model, for the items of a long list (the time-entry batch's 500
    entries): ninja's Schema wraps the validation of every object in a Python validator of its own
    (to read Django model instances, which a JSON body never is), ~40 µs an object, several times the
    object's own fields (issue 13). The same strictness, NUL check, errors and JSON schema."""

    model_config = ConfigDict(strict=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _no_nul_in(value)
