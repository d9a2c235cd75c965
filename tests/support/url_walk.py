"""Every pattern of the URLconf, with its full route and its namespaced name."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

ADMIN_NAMESPACE = "admin"


@dataclass(frozen=True)
class UrlPattern:
    route: str  # the full route, e.g. "plans/<int:pk>/revisions/<int:number>/"
    name: str | None  # namespaced, e.g. "api:report-detail"; None for a pattern without a name
    namespace: str | None  # the outermost namespace ("admin", "api"), None at the top
    pattern: URLPattern
    parameters: int  # how many parts of the path are parameters (converters or regex groups)

    @property
    def key(self) -> str:
        """What the matrix's rules are keyed by: the name, else the full route."""
        return self.name or self.route


def url_patterns() -> list[UrlPattern]:
    return list(_walk(get_resolver().url_patterns, "", 0, None, None))


def _walk(patterns, prefix: str, parameters: int, namespace: str | None, outermost: str | None):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        count = parameters + entry.pattern.regex.groups
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else namespace or entry.namespace
            yield from _walk(entry.url_patterns, route, count, inner, outermost or entry.namespace)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield UrlPattern(route=route, name=name, namespace=outermost, pattern=entry, parameters=count)
