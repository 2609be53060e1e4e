"""Paging `page/page_size/total` (DESIGN.md rule 19). Evaluated inside the tenant scope."""

from typing import Annotated, Generic, TypeVar

from ninja import Schema
from pydantic import Field

from verksam.core.bounds import MAX_PAGE

from .types import PageNumber, QueryIn

T = TypeVar("T")
MAX_PAGE_SIZE = 200

PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]


class Page(Schema, Generic[T]):
    items: list[T]
    page: int
    page_size: int
    total: int


class PageParams(QueryIn):
    """The query parameters of every paged list: a page beyond the last answers an empty page, a page
    number or size outside the bounds answers 422 (never an offset no database can take)."""

    page: PageNumber = 1
    page_size: PageSize = 50


def paginate(queryset, page: int = 1, page_size: int = 50) -> dict:
    page = min(max(int(page), 1), MAX_PAGE)  # bounded again for direct callers
    page_size = min(max(int(page_size), 1), MAX_PAGE_SIZE)
    start = (page - 1) * page_size
    items = list(queryset[start : start + page_size])
    # On the last page (or an empty list) the total is known without a COUNT (issue 13: most lists,
    # e.g. a phone's week, fit on their first page).
    last = 0 < len(items) < page_size or (not items and page == 1)
    total = start + len(items) if last else queryset.count()
    return {"items": items, "page": page, "page_size": page_size, "total": total}
