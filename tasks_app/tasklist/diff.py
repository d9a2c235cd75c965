"""What a new task list changes against the current one.

Tasks are matched by number and measures by (task number, position): that is a
measure's identity, which keeps its reports attached when its text or units
change. Units are compared by canonical name, so writing 新左旗 instead of
新巴尔虎左旗 is no change.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from tasks_app.tasklist.data import MeasureData, RowRef, TaskData, TaskList

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"
STATUS_LABELS = {ADDED: "新增", REMOVED: "移出（归档）", CHANGED: "修改", UNCHANGED: "未变"}


@dataclass
class Change:
    field: str
    old: str
    new: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class MeasureDiff:
    task_number: int
    position: int
    status: str
    text: str
    changes: list[Change] = field(default_factory=list)
    source: RowRef | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class TaskDiff:
    number: int
    status: str
    title: str
    changes: list[Change] = field(default_factory=list)
    measures: list[MeasureDiff] = field(default_factory=list)
    source: RowRef | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class TaskListDiff:
    phases: list[Change]
    tasks: list[TaskDiff]
    # Units the list names that the previous list did not, and the other way round.
    units_added: list[str] = field(default_factory=list)
    units_removed: list[str] = field(default_factory=list)

    def count(self, status: str, *, measures: bool = False) -> int:
        if measures:
            return sum(m.status == status for t in self.tasks for m in t.measures)
        return sum(t.status == status for t in self.tasks)

    @property
    def is_empty(self) -> bool:
        return not self.phases and all(t.status == UNCHANGED for t in self.tasks)

    @property
    def changed_tasks(self) -> list[TaskDiff]:
        return [t for t in self.tasks if t.status != UNCHANGED]

    def summary(self) -> str:
        if self.is_empty:
            return "与当前清单完全一致，没有任何变化。"
        task_part = "、".join(
            f"{STATUS_LABELS[s]} {self.count(s)} 项" for s in (ADDED, REMOVED, CHANGED, UNCHANGED) if self.count(s)
        )
        measure_part = "、".join(
            f"{STATUS_LABELS[s]} {self.count(s, measures=True)} 项"
            for s in (ADDED, REMOVED, CHANGED, UNCHANGED)
            if self.count(s, measures=True)
        )
        text = f"重点任务：{task_part}；关键举措：{measure_part}。"
        if self.phases:
            text += f"阶段列变化 {len(self.phases)} 处。"
        if self.units_added or self.units_removed:
            text += f"清单涉及的单位：新增 {len(self.units_added)} 个、不再涉及 {len(self.units_removed)} 个。"
        return text

    def to_json(self) -> dict:
        return {
            "summary": self.summary(),
            "phases": [asdict(c) for c in self.phases],
            "tasks": [_task_json(t) for t in self.tasks if t.status != UNCHANGED],
            "units_added": self.units_added,
            "units_removed": self.units_removed,
            "counts": {
                "tasks": {s: self.count(s) for s in STATUS_LABELS},
                "measures": {s: self.count(s, measures=True) for s in STATUS_LABELS},
            },
        }


def _task_json(task: TaskDiff) -> dict:
    data = asdict(task)
    data["source"] = str(task.source) if task.source else None
    data["measures"] = [
        asdict(m) | {"source": str(m.source) if m.source else None} for m in task.measures if m.status != UNCHANGED
    ]
    return data


def _units_change(label: str, old: list[str], new: list[str]) -> Change | None:
    if old == new:
        return None
    return Change(
        field=label,
        old="、".join(old),
        new="、".join(new),
        added=[u for u in new if u not in old],
        removed=[u for u in old if u not in new],
    )


def _text_change(label: str, old: str, new: str) -> Change | None:
    return None if old == new else Change(field=label, old=old, new=new)


def _measure_changes(old: MeasureData, new: MeasureData, phase_labels: list[str]) -> list[Change]:
    changes = [
        _text_change("关键举措", old.text, new.text),
        _units_change("牵头单位", old.lead, new.lead),
        _units_change("责任单位/地区", old.support, new.support),
    ]
    for index in range(max(len(old.targets), len(new.targets))):
        label = phase_labels[index] if index < len(phase_labels) else f"第{index + 1}阶段"
        old_text = old.targets[index] if index < len(old.targets) else ""
        new_text = new.targets[index] if index < len(new.targets) else ""
        changes.append(_text_change(label, old_text, new_text))
    return [c for c in changes if c]


def _task_changes(old: TaskData, new: TaskData) -> list[Change]:
    changes = [
        _text_change("重点任务", old.title, new.title),
        _text_change("板块", old.part, new.part),
        _text_change("领域", old.sector, new.sector),
    ]
    return [c for c in changes if c]


def compare(old: TaskList, new: TaskList) -> TaskListDiff:
    phase_changes = []
    for index in range(max(len(old.phases), len(new.phases))):
        old_header = old.phases[index].header if index < len(old.phases) else ""
        new_header = new.phases[index].header if index < len(new.phases) else ""
        change = _text_change(f"第{index + 1}个阶段列", old_header, new_header)
        if change:
            phase_changes.append(change)
    phase_labels = [p.header for p in new.phases] or [p.header for p in old.phases]

    old_tasks = {t.number: t for t in old.tasks}
    new_numbers = {t.number for t in new.tasks}
    diffs: list[TaskDiff] = []
    for task in new.tasks:
        previous = old_tasks.get(task.number)
        if previous is None:
            measures = [MeasureDiff(task.number, m.position, ADDED, m.text, source=m.source) for m in task.measures]
            diffs.append(TaskDiff(task.number, ADDED, task.title, measures=measures, source=task.source))
            continue
        old_measures = {m.position: m for m in previous.measures}
        measures = []
        for measure in task.measures:
            before = old_measures.get(measure.position)
            if before is None:
                measures.append(MeasureDiff(task.number, measure.position, ADDED, measure.text, source=measure.source))
                continue
            changes = _measure_changes(before, measure, phase_labels)
            status = CHANGED if changes else UNCHANGED
            measures.append(MeasureDiff(task.number, measure.position, status, measure.text, changes, measure.source))
        new_positions = {m.position for m in task.measures}
        measures += [
            MeasureDiff(task.number, m.position, REMOVED, m.text)
            for m in previous.measures
            if m.position not in new_positions
        ]
        changes = _task_changes(previous, task)
        status = CHANGED if changes or any(m.status != UNCHANGED for m in measures) else UNCHANGED
        diffs.append(TaskDiff(task.number, status, task.title, changes, measures, task.source))
    for task in old.tasks:
        if task.number not in new_numbers:
            measures = [MeasureDiff(task.number, m.position, REMOVED, m.text) for m in task.measures]
            diffs.append(TaskDiff(task.number, REMOVED, task.title, measures=measures))
    diffs.sort(key=lambda t: t.number)
    return TaskListDiff(
        phase_changes,
        diffs,
        units_added=_in_order_of_first_use(new, new.unit_names() - old.unit_names()),
        units_removed=_in_order_of_first_use(old, old.unit_names() - new.unit_names()),
    )


def _in_order_of_first_use(tasklist: TaskList, names: set[str]) -> list[str]:
    ordered: list[str] = []
    for task in tasklist.tasks:
        for measure in task.measures:
            ordered += [n for n in (*measure.lead, *measure.support) if n in names and n not in ordered]
    return ordered


def diff_for_display(data: dict) -> dict:
    """A diff's JSON form (a preview's or a stored revision's) with the labels a page shows."""
    tasks = []
    for task in data.get("tasks", []):
        measures = [m | {"status_label": STATUS_LABELS[m["status"]]} for m in task.get("measures", [])]
        tasks.append(task | {"status_label": STATUS_LABELS[task["status"]], "measures": measures})
    counts = data.get("counts", {})
    return data | {
        "tasks": tasks,
        "task_counts": [(STATUS_LABELS[s], n) for s, n in counts.get("tasks", {}).items() if n],
        "measure_counts": [(STATUS_LABELS[s], n) for s, n in counts.get("measures", {}).items() if n],
        "is_empty": not data.get("phases") and not tasks,
    }
