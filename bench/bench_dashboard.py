"""Dashboard, ledger, public page and API at province scale (5,000 measures, 300 units, 60 months).

``python bench/run.py dashboard`` runs these only.
"""

from __future__ import annotations

from django.test import Client

from bench.harness import Benchmark, QueryCounter, Result, analyze_database, median_of, timed_ms

RUNS = 15


def _client_for(role: str) -> Client:
    from tasks_app.models import User
    from tasks_app.services.accounts import user_create

    username = f"bench-{role}"
    user = User.objects.filter(username=username).first() or user_create(username=username, role=role)
    client = Client()
    client.force_login(user)
    return client


def _scale() -> str:
    from django.utils import timezone

    from tasks_app.measure_status import current_period
    from tasks_app.models import Measure, Period, Report
    from tasks_app.services.plans import default_plan

    plan = default_plan()
    period = current_period(plan, timezone.localdate())
    return (
        f"{Measure.objects.filter(task__plan=plan).count()} measures, "
        f"{Period.objects.filter(plan=plan).count()} periods, {Report.objects.count()} reports; "
        f"period {period.label} ({Report.objects.filter(period=period).count()} reports)"
    )


def _page(
    name: str, client: Client, url: str, target_ms: float | None, note: str, pinned: str = "", runs: int = RUNS
) -> list[Result]:
    client.get(url)  # warm up: connections, templates, the process's caches
    with QueryCounter() as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    value, times = median_of(runs, lambda: timed_ms(lambda: client.get(url)))
    results = [Result(f"{name}: server time", value, "ms", target=target_ms, runs=times, note=note)]
    if pinned:
        results.append(Result(f"{name}: queries", queries.count, "queries", note=pinned))
    return results


def dashboard() -> list[Result]:
    analyze_database()
    return _page(
        "dashboard (领导驾驶舱)",
        _client_for("leader"),
        "/dashboard/",
        200,
        _scale() + "; whole page, 12-period trend, Django test client; after VACUUM ANALYZE",
        pinned=(
            "pinned at 14 by tests/insights/test_dashboard.py; 13 here: no red measure has a problem on record in"
            " seed_scale"
        ),
    )


def ledger() -> list[Result]:
    return _page(
        "ledger, red measures, first page",
        _client_for("office"),
        "/ledger/?light=red",
        None,
        "100 rows a page; states of every measure computed to filter",
        pinned="constant: statuses, ids, page rows, units, latest reports",
    )


def public_page() -> list[Result]:
    from django.core.cache import cache

    from tasks_app.models import PublicPageSettings

    PublicPageSettings(enabled=True).save()
    client = Client()
    cached = _page(
        "public page from cache", client, "/public/", 20, "anonymous; the switch and the plan are read, the page is not"
    )

    def uncached() -> float:
        cache.clear()
        return timed_ms(lambda: client.get("/public/"))

    value, times = median_of(3, uncached)
    return [*cached, Result("public page, rendered (cache empty)", value, "ms", runs=times, note="every measure")]


def api_states() -> list[Result]:
    from rest_framework.authtoken.models import Token

    from tasks_app.models import User

    _client_for("office")
    token = Token.objects.get_or_create(user=User.objects.get(username="bench-office"))[0]
    client = Client(headers={"Authorization": f"Token {token.key}"})
    return _page(
        "API measure-states, first page",
        client,
        "/api/v1/measure-states/",
        None,
        "token auth, 50 a page; every state of the period computed",
    )


BENCHMARKS = [
    Benchmark("dashboard: leaders' dashboard", dashboard),
    Benchmark("dashboard: measure ledger", ledger),
    Benchmark("dashboard: public page", public_page),
    Benchmark("dashboard: API states", api_states),
]
