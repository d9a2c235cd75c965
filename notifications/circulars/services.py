"""Writing circulars: schedule a draft, compile its snapshot, edit the narrative, issue, correct.

Every step is safe to run twice or concurrently:
- a quarter has at most one draft (a partial unique constraint), so the daily job and the office
  never make two, and the scheduled job does nothing once any version of the quarter exists;
- a compile claims its draft (``queued`` → ``running`` in one UPDATE) before reading anything, and
  writes the snapshot in one transaction at the end: a second compile of the same request finds
  nothing to claim; one whose worker died is taken over once its heartbeat is stale;
- issuing locks the draft row, takes the next number of the year in the same transaction, and
  writes the notices to the outbox with unique keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from notifications.circulars.content import default_highlights, default_opening, default_requirements
from notifications.circulars.models import Circular, CircularKind, CircularSettings
from notifications.circulars.scope import Scope
from notifications.circulars.snapshot import snapshot_compile
from notifications.sequences import sequence_next
from tasks_app.models import Plan, User

log = logging.getLogger(__name__)
# A compile reports progress at every stage; one silent this long died with its worker.
COMPILE_STALE_AFTER = dt.timedelta(minutes=10)


def circular_settings_for(plan: Plan) -> CircularSettings:
    rules = CircularSettings.objects.filter(plan=plan).first()
    if rules is not None:
        return rules
    try:
        with transaction.atomic():
            return CircularSettings.objects.create(plan=plan)
    except IntegrityError:  # created a moment ago by another request
        return CircularSettings.objects.get(plan=plan)


def scope_of(circular: Circular) -> Scope:
    return Scope(circular.plan, circular.kind, circular.year, circular.quarter)


def _enqueue_compile(circular_id: int) -> None:
    """Ask a worker to compile after commit; if the broker is down the draft stays queued and the
    next daily run (or the office's button) asks again."""

    def publish():
        from notifications.circulars.tasks import compile_circular

        try:
            compile_circular.apply_async(args=[circular_id], retry=False)
        except Exception:
            log.warning("broker unreachable; circular %s stays queued", circular_id)

    transaction.on_commit(publish)


@transaction.atomic
def circular_schedule(*, scope: Scope, user: User | None = None, enqueue: bool = True) -> tuple[Circular, bool]:
    """The quarter's (year's) draft, created and queued for compiling if the quarter has no circular
    yet. Returns (circular, created); an existing draft or issued version is returned untouched."""
    existing = (
        Circular.objects.filter(plan=scope.plan, kind=scope.kind, year=scope.year, quarter=scope.quarter)
        .order_by("-version")
        .first()
    )
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            circular = Circular.objects.create(
                plan=scope.plan,
                kind=scope.kind,
                year=scope.year,
                quarter=scope.quarter,
                title=scope.title,
                compile_state=Circular.CompileState.QUEUED,
                compile_stage="排队等待汇总",
                compiled_by=user,
            )
    except IntegrityError:  # the same quarter scheduled at the same moment elsewhere
        return Circular.objects.get(
            plan=scope.plan, kind=scope.kind, year=scope.year, quarter=scope.quarter, status=Circular.Status.DRAFT
        ), False
    if enqueue:
        _enqueue_compile(circular.pk)
    return circular, True


@transaction.atomic
def circular_request_compile(*, circular: Circular, user: User, enqueue: bool = True) -> Circular:
    """The office asks for fresh numbers on a draft (重新汇总). Its narrative is kept."""
    if circular.is_issued:
        raise ValidationError("已签发的通报不能重新汇总；如需更正，请先生成更正稿。")
    updated = Circular.objects.filter(pk=circular.pk, status=Circular.Status.DRAFT).exclude(
        compile_state=Circular.CompileState.RUNNING
    )
    if (
        updated.update(
            compile_state=Circular.CompileState.QUEUED,
            compile_stage="排队等待汇总",
            compile_progress=0,
            compiled_by=user,
        )
        and enqueue
    ):
        _enqueue_compile(circular.pk)
    circular.refresh_from_db()
    return circular


def _claim(circular_id: int) -> bool:
    now = timezone.now()
    queued = Q(compile_state=Circular.CompileState.QUEUED)
    abandoned = Q(compile_state=Circular.CompileState.RUNNING, compile_heartbeat_at__lt=now - COMPILE_STALE_AFTER)
    return bool(
        Circular.objects.filter(queued | abandoned, pk=circular_id, status=Circular.Status.DRAFT).update(
            compile_state=Circular.CompileState.RUNNING,
            compile_stage="开始汇总",
            compile_progress=1,
            compile_heartbeat_at=now,
            compile_error="",
        )
    )


def circular_compile(*, circular_id: int, today: dt.date | None = None) -> bool:
    """Compile a queued draft's snapshot. Returns False when there was nothing to claim."""
    if not _claim(circular_id):
        return False
    circular = Circular.objects.select_related("plan").get(pk=circular_id)
    today = today or timezone.localdate()

    def progress(stage: str, percent: int) -> None:
        Circular.objects.filter(pk=circular_id).update(
            compile_stage=stage, compile_progress=percent, compile_heartbeat_at=timezone.now()
        )

    try:
        rules = circular_settings_for(circular.plan)
        snapshot = snapshot_compile(scope_of(circular), today=today, rules=rules, progress=progress)
    except Exception as exc:
        log.exception("compiling circular %s failed", circular_id)
        Circular.objects.filter(pk=circular_id).update(
            compile_state=Circular.CompileState.FAILED, compile_error=f"汇总失败：{exc}", compile_stage="汇总失败"
        )
        raise
    with transaction.atomic():
        circular = Circular.objects.select_for_update().get(pk=circular_id)
        if circular.is_issued or circular.compile_state != Circular.CompileState.RUNNING:
            return False  # issued or re-queued meanwhile: this result is not the one wanted
        circular.snapshot = snapshot
        circular.snapshot_at = timezone.now()
        if not circular.narrative_edited:
            circular.opening = default_opening(snapshot, circular.plan.name)
            circular.highlights = default_highlights(snapshot)
            circular.requirements = default_requirements(snapshot)
        circular.compile_state = Circular.CompileState.IDLE
        circular.compile_stage = "汇总完成"
        circular.compile_progress = 100
        circular.save()
    return True


@transaction.atomic
def circular_save_narrative(
    *, circular: Circular, user: User, title: str, opening: str, highlights: str, requirements: str
) -> Circular:
    """The office's words. Only a draft can be edited; an issued circular is corrected by a new version."""
    locked = Circular.objects.select_for_update().get(pk=circular.pk)
    if locked.is_issued:
        raise ValidationError("该通报已签发，不能修改；如需更正，请生成更正稿。")
    locked.title, locked.opening, locked.highlights, locked.requirements = title, opening, highlights, requirements
    locked.narrative_edited = True
    locked.save(update_fields=["title", "opening", "highlights", "requirements", "narrative_edited", "updated_at"])
    return locked


def content_hash(circular: Circular, rules: CircularSettings) -> str:
    """SHA-256 of everything an issued circular says: snapshot, narrative, number, date, issuer."""
    content = {
        "snapshot": circular.snapshot,
        "title": circular.title,
        "opening": circular.opening,
        "highlights": circular.highlights,
        "requirements": circular.requirements,
        "number": circular.number,
        "issued_on": circular.issued_on.isoformat() if circular.issued_on else "",
        "issuer": rules.issuer,
        "addressees": rules.addressees,
    }
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def circular_issue(*, circular: Circular, user: User, issued_on: dt.date) -> Circular:
    """Number, date and freeze a draft, and tell every responsible unit and the leaders."""
    from notifications.circulars.recipients import circular_notify
    from notifications.circulars.tasks import enqueue_render

    locked = Circular.objects.select_for_update().select_related("plan").get(pk=circular.pk)
    if locked.is_issued:
        raise ValidationError(f"该通报已于{locked.issued_on:%Y年%m月%d日}签发（{locked.number}）。")
    if locked.is_compiling or not locked.snapshot_at:
        raise ValidationError("数据尚未汇总完成，不能签发。")
    if locked.compile_state == Circular.CompileState.FAILED:
        raise ValidationError("最近一次汇总失败，请重新汇总后再签发。")
    if not locked.title.strip():
        raise ValidationError("请填写标题。")
    rules = circular_settings_for(locked.plan)
    sequence = sequence_next(name=rules.number_prefix, year=issued_on.year)
    locked.number = f"{rules.number_prefix}〔{issued_on.year}〕{sequence}号"
    locked.sequence = sequence
    locked.issued_on = issued_on
    locked.issued_at = timezone.now()
    locked.issued_by = user
    locked.status = Circular.Status.ISSUED
    locked.content_sha256 = content_hash(locked, rules)
    locked.save()
    locked.named_units.set([u["unit_id"] for u in locked.snapshot["discipline"]["named"]])
    circular_notify(circular=locked)
    enqueue_render(locked.pk)
    return locked


@transaction.atomic
def circular_correct(*, circular: Circular, user: User) -> Circular:
    """A correction of an issued circular: a new draft version with the same snapshot and words,
    issued later under its own number. The issued one is never edited."""
    if not circular.is_issued:
        raise ValidationError("只有已签发的通报才能更正；草稿可直接修改。")
    draft = Circular.objects.filter(
        plan=circular.plan, kind=circular.kind, year=circular.year, quarter=circular.quarter, status="draft"
    ).first()
    if draft is not None:
        return draft
    latest = (
        Circular.objects.filter(plan=circular.plan, kind=circular.kind, year=circular.year, quarter=circular.quarter)
        .order_by("-version")
        .first()
    )
    return Circular.objects.create(
        plan=circular.plan,
        kind=circular.kind,
        year=circular.year,
        quarter=circular.quarter,
        version=latest.version + 1,
        corrects=circular,
        title=circular.title,
        opening=circular.opening,
        highlights=circular.highlights,
        requirements=circular.requirements,
        narrative_edited=True,
        snapshot=circular.snapshot,
        snapshot_at=circular.snapshot_at,
        compile_state=Circular.CompileState.IDLE,
        compile_stage="沿用原通报数据",
        compile_progress=100,
        compiled_by=user,
    )


def scopes_due(today: dt.date) -> list[Scope]:
    """Quarters (years) whose 季通报 (年总结) period has been collected in the last 60 days and that
    have no circular yet: what the daily job drafts."""
    from tasks_app.models import Period

    periods = Period.objects.filter(
        collected_at__isnull=False,
        cadence__document__in=[CircularKind.QUARTERLY, CircularKind.ANNUAL],
        due_date__gte=today - dt.timedelta(days=60),
        due_date__lt=today,
    ).select_related("plan", "cadence")
    scopes = []
    for period in periods:
        kind = period.cadence.document
        quarter = 0 if kind == CircularKind.ANNUAL else (period.start_date.month - 1) // 3 + 1
        try:
            scope = Scope(period.plan, kind, period.start_date.year, quarter)
        except ValueError:
            continue
        if not Circular.objects.filter(plan=scope.plan, kind=kind, year=scope.year, quarter=quarter).exists():
            scopes.append(scope)
    return scopes


def drafts_waiting() -> list[int]:
    """Drafts queued or abandoned mid-compile (broker down, worker killed): to be asked for again."""
    stale = timezone.now() - COMPILE_STALE_AFTER
    return list(
        Circular.objects.filter(status=Circular.Status.DRAFT)
        .filter(
            Q(compile_state=Circular.CompileState.QUEUED, updated_at__lt=stale)
            | Q(compile_state=Circular.CompileState.RUNNING, compile_heartbeat_at__lt=stale)
        )
        .values_list("pk", flat=True)
    )
