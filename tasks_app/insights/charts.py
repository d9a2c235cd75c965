"""The data of the dashboard's charts, in a small neutral shape that ``static/js/charts.js`` turns
into ECharts options. Every data point carries the link to the measures behind it, and every chart
has a table of the same numbers on the page."""

from __future__ import annotations

from tasks_app.insights.dashboard import Dashboard, Tally, ledger_url
from tasks_app.insights.discipline import Kind
from tasks_app.lights import Light
from tasks_app.measure_status import LIGHTS, STATES, MeasureState

LIGHT_COLORS = {Light.RED: "#a4161a", Light.YELLOW: "#b08800", Light.GREEN: "#1a7f37", Light.GREY: "#8c959f"}
STATE_COLORS = {
    MeasureState.DONE: "#1a7f37",
    MeasureState.ON_TRACK: "#0b5cad",
    MeasureState.BEHIND: "#a4161a",
    MeasureState.NOT_STARTED: "#b08800",
    MeasureState.UNREPORTED: "#8c959f",
}
DISCIPLINE_COLORS = {Kind.ON_TIME: "#1a7f37", Kind.LATE: "#b08800", Kind.MISSING: "#a4161a", Kind.PENDING: "#8c959f"}
UNITS_IN_CHART = 15


def lights_bar(tallies: list[Tally]) -> dict:
    """One horizontal stacked bar per group, a segment per light; a segment links to its measures."""
    return {
        "kind": "bar",
        "horizontal": True,
        "stacked": True,
        "categories": [t.label for t in tallies],
        "series": [
            {
                "name": light.label,
                "key": str(light),
                "color": LIGHT_COLORS[light],
                "data": [{"value": t.light_cells[i].count, "url": t.light_cells[i].url} for t in tallies],
            }
            for i, light in enumerate(LIGHTS)
        ],
    }


def dashboard_charts(d: Dashboard) -> dict:
    overall = d.overall
    return {
        "overall-states": {
            "kind": "pie",
            "data": [
                {"name": s.label, "value": overall.state_cells[i].count, "url": overall.state_cells[i].url}
                | {"color": STATE_COLORS[s]}
                for i, s in enumerate(STATES)
            ],
        },
        "overall-lights": {
            "kind": "pie",
            "data": [
                {"name": li.label, "value": overall.light_cells[i].count, "url": overall.light_cells[i].url}
                | {"color": LIGHT_COLORS[li]}
                for i, li in enumerate(LIGHTS)
            ],
        },
        "parts": lights_bar(d.parts),
        "sectors": lights_bar(d.sectors),
        "units": lights_bar(d.units[:UNITS_IN_CHART]),
        "trend": {
            "kind": "line",
            "unit": "项",
            "categories": [p.label for p, _ in d.trend],
            "series": [
                {
                    "name": s.label,
                    "color": STATE_COLORS[s],
                    "data": [{"value": counts[s], "url": ledger_url(p, state=s)} for p, counts in d.trend],
                }
                for s in STATES
            ],
        },
        "discipline": {
            "kind": "pie",
            "data": [
                {"name": Kind.LABELS[kind], "value": cell.count, "url": cell.url, "color": DISCIPLINE_COLORS[kind]}
                for kind, cell in d.discipline_cells.items()
            ],
        },
    }
