"""Query parameters of the API: checked, so a wrong value is a 400 saying which and why, never a 500
and never silently ignored."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

MAX_ID = 2**63 - 1


def positive_int(request, name: str, *, maximum: int = MAX_ID, what: str = "编号") -> int | None:
    """The one value of ``name``, a positive integer (ASCII digits), or None when absent."""
    values = request.query_params.getlist(name)
    if not values:
        return None
    raw = values[-1]
    if len(values) > 1:
        raise ValidationError({name: [f"参数 {name} 只能出现一次。"]})
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= maximum):
        raise ValidationError({name: [f"“{raw}”不是有效的{what}。"]})
    return int(raw)


def id_param(request, name: str) -> int | None:
    """An optional id filter."""
    return positive_int(request, name)


def id_filter(name: str, description: str) -> OpenApiParameter:
    schema = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}
    return OpenApiParameter(name, schema, OpenApiParameter.QUERY, description=description)
