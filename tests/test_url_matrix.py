"""Every URL of the URLconf, as every role: who gets 200, 302, 403, 404 or 405.

The URLconf is walked (``get_resolver().url_patterns``, recursively) and each pattern outside the
admin must have a rule in ``RULES``, keyed by its URL name (by its route when it has no name).
A new URL without a rule fails ``test_every_role_gets_what_its_rule_says`` with its name: add a
line below, saying what each role gets. The admin is covered as a group in
``tests/test_url_matrix_admin.py``.

Objects named in a URL belong to 市能源局 (``tests/support/url_world.py``): its reporter and
head see them, 市工信局's reporter gets a 404 (a forged id never tells whether something exists),
the supervision office, leaders and the admin see everything. A refusal by role is a 403.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from tests.support.reporting import at
from tests.support.url_walk import ADMIN_NAMESPACE, UrlPattern, url_patterns
from tests.support.url_world import World, build_world

pytestmark = pytest.mark.django_db

ANON, OWN, OTHER, HEAD, OFFICE, LEADER, ADMIN = ROLES = (
    "anonymous",
    "own_reporter",  # 张填报, reporter of 市能源局 (the owning unit)
    "other_reporter",  # 刘填报, reporter of 市工信局
    "unit_head",  # 赵局长, head of 市能源局
    "office",  # 王督查, supervision office
    "leader",  # 李市长, read-only
    "admin",  # 管理员, superuser
)
LOGIN_FREE = {"healthz", "healthz-web", "login", "public-progress", "api-schema", "api/^(?P<rest>.*)$"}
FORGED_ID = 999_999
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def no_args(world: World) -> dict:
    return {}


@dataclass(frozen=True)
class Rule:
    """What each role gets. ``get`` and ``post`` list one status per role, in the order of ROLES:
    anonymous, own reporter, other unit's reporter, unit head, office, leader, admin."""

    get: str
    args: Callable[[World], dict] = no_args  # the URL's parameters, from the world
    post: str | None = None  # POST as each role, in a savepoint rolled back afterwards
    data: Callable[[World], dict] = no_args
    written: Callable[[World], bool] | None = None  # did the POST change the world?
    writers: tuple[str, ...] = ()  # the roles whose POST must write; every other POST writes nothing
    path: str | None = None  # for a pattern without a name: the path to request
    expected: dict = field(init=False)

    def __post_init__(self):
        expected = {"GET": self.get, "POST": self.post}
        parsed = {}
        for method, line in expected.items():
            if line is None:
                continue
            statuses = [int(s) for s in line.split()]
            assert len(statuses) == len(ROLES), f"{method} 规则应为 {len(ROLES)} 个状态码：{line}"
            parsed[method] = dict(zip(ROLES, statuses, strict=True))
        object.__setattr__(self, "expected", parsed)


def report(w: World) -> dict:
    return {"pk": w.report.pk}


def pk_of(attribute: str) -> Callable[[World], dict]:
    return lambda w: {"pk": getattr(w, attribute).pk}


def refetch(obj):
    return type(obj).objects.filter(pk=obj.pk).first()


# Status lines, per role:         anon own other head office leader admin
EVERYONE = "                       302  200  200  200  200  200  200"
ENERGYS = "                        302  200  404  200  200  200  200"  # an object of 市能源局
OVERVIEW = "                       302  302  302  302  200  200  200"  # unit users go to their scorecard
POST_ONLY = "                      302  405  405  405  405  405  405"
OFFICES = "                        302  404  404  404  200  404  200"  # a draft circular: the office's
OFFICE_POST = "                    302  404  404  404  302  404  302"
API_EVERYONE = "                   401  200  200  200  200  200  200"
API_ENERGYS = "                    401  200  404  200  200  200  200"
PUBLIC = "                         200  200  200  200  200  200  200"

RULES_FORM = {
    "issuer": "呼伦贝尔市人民政府督查室",
    "number_prefix": "呼督通",
    "addressees": "各旗市区人民政府：",
    "name_if_missing_at_least": 1,
    "name_if_late_at_least": 1,
    "late_grace_workdays": 0,
    "score_weight_on_time": 60,
    "score_weight_not_returned": 20,
    "score_weight_targets": 20,
}

RULES: dict[str, Rule] = {
    # --- login-free ----------------------------------------------------------------------------
    "healthz": Rule(PUBLIC),
    "healthz-web": Rule(PUBLIC),
    "login": Rule(PUBLIC),
    "public-progress": Rule("404 404 404 404 404 404 404"),  # off until the admin switches it on
    "api-schema": Rule(PUBLIC),
    "api/^(?P<rest>.*)$": Rule("404 404 404 404 404 404 404", path="/api/v1/no-such-thing/"),
    # --- accounts ------------------------------------------------------------------------------
    "logout": Rule("302 405 405 405 405 405 405"),  # POST only
    "password_change": Rule(EVERYONE),
    "password_change_done": Rule(EVERYONE),
    # --- the plan as issued: every user reads it ---------------------------------------------------
    "home": Rule(EVERYONE),
    "plan-detail": Rule(EVERYONE, lambda w: {"pk": w.plan.pk}),
    "task-detail": Rule(EVERYONE, lambda w: {"pk": w.report.measure.task_id}),
    "unit-list": Rule(EVERYONE),
    "unit-detail": Rule(EVERYONE, pk_of("energy")),
    "revision-list": Rule(EVERYONE, lambda w: {"pk": w.plan.pk}),
    "revision-detail": Rule(EVERYONE, lambda w: {"pk": w.plan.pk, "number": w.revision.number}),
    # the uploaded file may hold drafts: staff only
    "revision-source": Rule("302 403 403 403 403 403 200", lambda w: {"pk": w.plan.pk, "number": w.revision.number}),
    "plan-export": Rule(EVERYONE, lambda w: {"pk": w.plan.pk, "fmt": "distributed"}),
    "revision-export": Rule(EVERYONE, lambda w: {"pk": w.plan.pk, "number": w.revision.number, "fmt": "csv"}),
    # --- filing ----------------------------------------------------------------------------------
    "start": Rule("302 302 302 302 302 302 302"),
    "my-tasks": Rule(EVERYONE),
    "batch": Rule(EVERYONE),
    "carry-over": Rule(
        POST_ONLY,
        post="302 302 302 302 302 302 302",  # everyone lands on 我的任务; only 市能源局's users submit
        data=lambda w: {"report": [w.carried.pk]},
        written=lambda w: refetch(w.carried).state != "requested",
        writers=(OWN, HEAD),
    ),
    "report-detail": Rule(ENERGYS, report),
    "report-approve": Rule(
        POST_ONLY,
        pk_of("pending"),
        post="302 403 404 302 403 403 403",
        written=lambda w: refetch(w.pending).state != "pending_approval",
        writers=(HEAD,),
    ),
    "report-review": Rule(
        POST_ONLY,
        report,
        post="302 403 404 403 302 403 302",
        data=lambda w: {"decision": "accept"},
        written=lambda w: refetch(w.report).state == "accepted",
        writers=(OFFICE, ADMIN),
    ),
    "evidence-download": Rule(ENERGYS, pk_of("evidence")),
    "evidence-delete": Rule(
        POST_ONLY,
        pk_of("evidence"),
        post="302 302 404 302 403 403 403",
        written=lambda w: refetch(w.evidence) is None,
        writers=(OWN, HEAD),
    ),
    "review-queue": Rule("302 403 403 403 200 403 200"),
    "report-public-summary": Rule(
        "302 403 404 403 200 403 200",
        report,
        post="302 403 404 403 302 403 302",
        data=lambda w: {"public_summary": "储能电站已备案。"},
        written=lambda w: bool(refetch(w.report).public_summary),
        writers=(OFFICE, ADMIN),
    ),
    # --- notifications ---------------------------------------------------------------------------
    "inbox": Rule(EVERYONE),
    "inbox-read": Rule(
        POST_ONLY,
        post="302 302 302 302 302 302 302",  # each marks their own messages read
        written=lambda w: refetch(w.message).read_at is not None,
        writers=(OWN,),
    ),
    "notice-list": Rule(EVERYONE),
    "notice-detail": Rule(ENERGYS, pk_of("notice")),
    "period-discipline": Rule("302 403 403 403 200 200 200", pk_of("november")),
    "channel-settings": Rule(EVERYONE),
    "channel-remove": Rule(
        POST_ONLY,
        pk_of("robot"),
        post="302 403 404 302 404 404 404",  # the unit's reporters see its robot, only its head removes it
        written=lambda w: refetch(w.robot) is None,
        writers=(HEAD,),
    ),
    # --- dashboards, ledger, indicators, scorecards ----------------------------------------------
    "dashboard": Rule(OVERVIEW),
    "dashboard-export": Rule(OVERVIEW),
    "discipline": Rule(OVERVIEW),
    "discipline-export": Rule(OVERVIEW),
    "measure-ledger": Rule(EVERYONE),
    "measure-ledger-export": Rule(EVERYONE),
    "indicators": Rule(EVERYONE),
    "indicators-export": Rule(EVERYONE),
    "indicator-file": Rule(
        "302 200 403 200 403 403 403",  # every user sees the indicator; 市能源局 files it
        pk_of("indicator"),
        post="302 302 403 302 403 403 403",
        data=lambda w: {"period": "2026-3", "value": "1650", "note": "统计快报"},
        written=lambda w: w.indicator.figures.exists(),
        writers=(OWN, HEAD),
    ),
    "metric-detail": Rule(ENERGYS, pk_of("metric")),
    "unit-scorecard": Rule(ENERGYS, pk_of("energy")),
    "unit-scorecard-export": Rule(ENERGYS, pk_of("energy")),
    # --- circulars: issued ones for everyone, drafts and their actions for the office ---------------
    "circular-list": Rule(EVERYONE),
    "circular-create": Rule(
        POST_ONLY,
        post=OFFICE_POST,
        data=lambda w: {"year": 2026, "period": "2"},
        written=lambda w: w.plan.circulars.filter(quarter=2).exists(),
        writers=(OFFICE, ADMIN),
    ),
    "circular-rules": Rule(
        OFFICES,
        post=OFFICE_POST,
        data=lambda w: {**RULES_FORM, "name_if_late_at_least": 3},
        written=lambda w: refetch(w.plan).circular_settings.name_if_late_at_least == 3,
        writers=(OFFICE, ADMIN),
    ),
    "circular-detail": Rule(EVERYONE, pk_of("circular_issued")),
    "circular-download": Rule(EVERYONE, lambda w: {"pk": w.circular_issued.pk, "fmt": "docx"}),
    "circular-edit": Rule(
        OFFICES,
        pk_of("circular_draft"),
        post=OFFICE_POST,
        data=lambda w: {"title": "改过的标题", "opening": "开头", "highlights": "亮点", "requirements": "要求"},
        written=lambda w: refetch(w.circular_draft).title == "改过的标题",
        writers=(OFFICE, ADMIN),
    ),
    "circular-status": Rule(OFFICES, pk_of("circular_draft")),
    "circular-compile": Rule(
        POST_ONLY,
        pk_of("circular_draft"),
        post=OFFICE_POST,
        written=lambda w: refetch(w.circular_draft).compile_state == "queued",
        writers=(OFFICE, ADMIN),
    ),
    "circular-issue": Rule(
        POST_ONLY,
        pk_of("circular_draft"),
        post=OFFICE_POST,
        data=lambda w: {"issued_on": "2026-11-28"},
        written=lambda w: refetch(w.circular_draft).status == "issued",
        writers=(OFFICE, ADMIN),
    ),
    "circular-correct": Rule(
        POST_ONLY,
        pk_of("circular_issued"),
        post=OFFICE_POST,
        written=lambda w: w.circular_issued.corrections.exists(),
        writers=(OFFICE, ADMIN),
    ),
    # --- REST API, with each role's token ---------------------------------------------------------
    "api:plan-list": Rule(API_EVERYONE),
    "api:plan-detail": Rule(API_EVERYONE, lambda w: {"pk": w.plan.pk}),
    "api:task-list": Rule(API_EVERYONE),
    "api:task-detail": Rule(API_EVERYONE, lambda w: {"pk": w.report.measure.task_id}),
    "api:measure-list": Rule(API_EVERYONE),
    "api:measure-detail": Rule(API_ENERGYS, lambda w: {"pk": w.report.measure_id}),
    "api:measure-state-list": Rule(API_EVERYONE),
    "api:period-list": Rule(API_EVERYONE),
    "api:period-detail": Rule(API_EVERYONE, pk_of("november")),
    "api:indicator-list": Rule(API_EVERYONE),
    "api:indicator-detail": Rule(API_EVERYONE, pk_of("indicator")),
    "api:report-list": Rule(API_EVERYONE),
    "api:report-detail": Rule(API_ENERGYS, report),
    "api:unit-list": Rule(API_EVERYONE),
    "api:unit-detail": Rule(API_EVERYONE, pk_of("energy")),
}

PATTERNS = [p for p in url_patterns() if p.namespace != ADMIN_NAMESPACE]


@pytest.fixture
def people(energy_reporter, industry_reporter, energy_head, office, leader, admin_user) -> dict:
    return {
        ANON: None,
        OWN: energy_reporter,
        OTHER: industry_reporter,
        HEAD: energy_head,
        OFFICE: office,
        LEADER: leader,
        ADMIN: admin_user,
    }


@pytest.fixture
def world(annex1, people, redis_url) -> World:
    """The world, and the whole test, at 09:00 on 28 November 2026 (after November's deadline)."""
    with time_machine.travel(at(dt.date(2026, 11, 28), 9), tick=False):
        yield build_world(annex1, people[OWN], people[OTHER])


def client_as(user, api: bool) -> Client:
    if user is None:
        return Client()
    if api:  # the API is for other platforms: a token, never the session
        return Client(headers={"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"})
    client = Client()
    client.force_login(user)
    return client


def url_of(pattern: UrlPattern, rule: Rule, world: World, forged: bool = False) -> str:
    if rule.path is not None:
        return rule.path
    args = rule.args(world)
    if forged:
        args = {k: FORGED_ID if isinstance(v, int) else v for k, v in args.items()}
    return reverse(pattern.key, kwargs=args)


def response_text(response) -> str:
    """What a person reads in the response: the page, the JSON, every cell of a workbook."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith(XLSX_TYPE):
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for value in row
        )
    return body.decode("utf-8", errors="replace")


def check(response, expected: int, role: str, method: str, url: str) -> list[str]:
    problems = []
    if response.status_code != expected:
        problems.append(f"{role} {method} {url}: 应为 {expected}，实际 {response.status_code}")
    elif expected == 302 and role == ANON and not response["Location"].startswith(reverse("login")):
        problems.append(f"{role} {method} {url}: 应转到登录页，实际转到 {response['Location']}")
    return problems


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.key)
def test_every_role_gets_what_its_rule_says(pattern, world, people):
    from django.db import transaction

    rule = RULES.get(pattern.key)
    if rule is None:
        pytest.fail(
            f"URL “{pattern.key}”（/{pattern.route}）没有权限规则：请在 tests/test_url_matrix.py 的 RULES 中"
            f"写明每个角色（{'、'.join(ROLES)}）得到的状态码。",
            pytrace=False,
        )
    api = pattern.key.startswith("api:")
    problems = []
    clients = {role: client_as(people[role], api) for role in ROLES}
    url = url_of(pattern, rule, world)
    for role in ROLES:
        response = clients[role].get(url)
        problems += check(response, rule.expected["GET"][role], role, "GET", url)
        if role == OTHER and response.status_code == 200:
            text = response_text(response)
            problems += [f"{role} GET {url}: 页面含有市能源局的内容“{s}”" for s in World.SECRETS if s in text]
    for role in ROLES if "POST" in rule.expected else ():
        with transaction.atomic():  # each role POSTs to the same world
            response = clients[role].post(url, rule.data(world))
            problems += check(response, rule.expected["POST"][role], role, "POST", url)
            if rule.written is not None and rule.written(world) != (role in rule.writers):
                problems.append(f"{role} POST {url}: {'未写入' if role in rule.writers else '不应写入却写入了'}")
            transaction.set_rollback(True)
    if rule.path is None and any(isinstance(v, int) for v in rule.args(world).values()):
        problems += forged_problems(pattern, rule, world, clients)
    assert not problems, f"{pattern.key}（/{pattern.route}）：\n" + "\n".join(problems)


def forged_problems(pattern: UrlPattern, rule: Rule, world: World, clients: dict) -> list[str]:
    """An id that names nothing: a 404 for the admin, who may see everything; never a 200 or a 500."""
    method = "POST" if rule.get.split() == POST_ONLY.split() else "GET"
    url = url_of(pattern, rule, world, forged=True)
    problems = []
    for role in ROLES:
        response = getattr(clients[role], method.lower())(url)
        allowed = {404} if role == ADMIN else {302, 401, 403, 404}
        if response.status_code not in allowed:
            problems.append(
                f"{role} {method} {url}（伪造编号）: 应为 {sorted(allowed)} 之一，实际 {response.status_code}"
            )
    return problems


def test_no_rule_is_left_for_a_url_that_is_gone():
    keys = {p.key for p in PATTERNS}
    assert not RULES.keys() - keys, f"这些规则对应的 URL 已不存在：{sorted(RULES.keys() - keys)}"


def test_the_login_free_urls_are_exactly_these():
    free = {key for key, rule in RULES.items() if rule.expected["GET"][ANON] not in (302, 401)}
    assert free == LOGIN_FREE


def test_the_public_page_is_login_free_once_the_admin_switches_it_on(world, people):
    from django.core.cache import cache

    from tasks_app.models import PublicPageSettings

    PublicPageSettings.objects.update_or_create(pk=PublicPageSettings.current().pk, defaults={"enabled": True})
    cache.clear()
    for role in ROLES:
        assert client_as(people[role], api=False).get(reverse("public-progress")).status_code == 200, role
