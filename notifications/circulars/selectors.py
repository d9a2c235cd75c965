"""Reading circulars: who may see which, and the archive's search.

Issued circulars are read by everyone signed in (they are sent to every responsible unit and the
leaders); drafts only by the supervision office and admins. A forged id is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from notifications.circulars.models import Circular, CircularKind
from tasks_app.access import is_reviewer
from tasks_app.models import User


def circulars_for(user: User) -> QuerySet[Circular]:
    if not user.is_authenticated:
        return Circular.objects.none()
    if is_reviewer(user):
        return Circular.objects.all()
    return Circular.objects.filter(status=Circular.Status.ISSUED)


def access_circular(user: User, pk: int) -> Circular:
    circular = circulars_for(user).select_related("plan", "corrects", "issued_by").filter(pk=pk).first()
    if circular is None:
        raise Http404("通报不存在或无权查看")
    return circular


def access_as_office(user: User, pk: int) -> Circular:
    """A circular the office edits, compiles, issues or corrects; for anyone else a 404."""
    if not is_reviewer(user):
        raise Http404("通报不存在或无权查看")
    return access_circular(user, pk)


@dataclass
class ArchiveFilters:
    year: int | None = None
    period: str = ""  # "1".."4" for a quarter, "annual" for the annual summary
    unit: int | None = None  # named in the circular

    @classmethod
    def from_query(cls, query) -> ArchiveFilters:
        def integer(name: str) -> int | None:
            value = query.get(name, "")
            return int(value) if value.isdigit() else None

        period = query.get("period", "")
        return cls(integer("year"), period if period in ("1", "2", "3", "4", "annual") else "", integer("unit"))


def archive(user: User, filters: ArchiveFilters) -> QuerySet[Circular]:
    """Issued circulars and summaries, newest first, narrowed by year, quarter and unit named."""
    circulars = circulars_for(user).filter(status=Circular.Status.ISSUED)
    if filters.year:
        circulars = circulars.filter(year=filters.year)
    if filters.period == "annual":
        circulars = circulars.filter(kind=CircularKind.ANNUAL)
    elif filters.period:
        circulars = circulars.filter(kind=CircularKind.QUARTERLY, quarter=int(filters.period))
    if filters.unit:
        circulars = circulars.filter(named_units=filters.unit)
    return circulars.order_by("-issued_on", "-sequence").prefetch_related("named_units")


def drafts(user: User) -> QuerySet[Circular]:
    if not is_reviewer(user):
        return Circular.objects.none()
    return Circular.objects.filter(status=Circular.Status.DRAFT).order_by("-year", "-quarter")
