"""Paging `page/page_size/total` (DESIGN.md rule 19). Evaluated inside the tenant scope."""

from typing import Generic, TypeVar

from ninja import Schema

T = TypeVar("T")
MAX_PAGE_SIZE = 200


class Page(Schema, Generic[T]):
    items: list[T]
    page: int
    page_size: int
    total: int


def paginate(queryset, page: int = 1, page_size: int = 50) -> dict:
    page = max(int(page), 1)
    page_size = min(max(int(page_size), 1), MAX_PAGE_SIZE)
    total = queryset.count()
    start = (page - 1) * page_size
    return {
        "items": list(queryset[start : start + page_size]),
        "page": page,
        "page_size": page_size,
        "total": total,
    }
