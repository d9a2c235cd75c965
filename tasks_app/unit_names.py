"""Read unit cells the way people write them.

One cell of 附件1 may say ``市自然资源局、林草局，发展改革委、生态环境局，新左旗、牙克石市``:
several separators, the level prefix (市, 自治区 …) written once for a run of
names, short forms (新左旗, 应急局) and names that only look prefixed
(``市场监管局`` under a 市 run is 市市场监管局, not 市 + 场监管局). This module
turns such a cell into canonical units, and never guesses an unknown name: it
reports it with the nearest known names.

The directory is loaded once per file (two queries), not once per cell.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from tasks_app.models import Unit, UnitAlias, UnitKind

SEPARATORS = re.compile(r"[、，,；;\s\u3000]+")
# Longest first, so 自治区 wins over a shorter prefix.
LEVEL_PREFIXES = ("自治区", "省", "市", "盟", "州", "县")


def split_unit_cell(text: str) -> list[str]:
    """The names in a unit cell, in the order written, separators and blanks dropped."""
    return [token for token in SEPARATORS.split(text or "") if token]


def level_prefix(name: str) -> str | None:
    for prefix in LEVEL_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return prefix
    return None


def guess_kind(name: str) -> str:
    """A first guess at a new unit's kind; such units are flagged for the admin to review."""
    if re.match(r"^(各|相关|有关|域内)", name):
        return UnitKind.COLLECTIVE
    if re.search(r"(集团|公司|企业)$", name):
        return UnitKind.ENTERPRISE
    if re.search(r"(海关|银行|分行|分局|税务局|通管办|气象局)$", name):
        return UnitKind.VERTICAL
    if re.search(r"委(办公室|组织部|宣传部|统战部|政法委|编办)$", name):
        return UnitKind.PARTY_ORGAN
    if re.search(r"(开发区|经开区|高新区|园区)$", name):
        return UnitKind.DEV_ZONE
    if re.search(r"(旗|县|区)$", name) or (name.endswith("市") and not level_prefix(name)):
        return UnitKind.DIVISION
    return UnitKind.CITY_DEPARTMENT


@dataclass(frozen=True)
class UnknownName:
    written: str
    tried: tuple[str, ...]
    suggestions: tuple[str, ...]

    def describe(self) -> str:
        text = f"未知单位“{self.written}”"
        if len(self.tried) > 1:
            text += f"（也按“{self.tried[-1]}”查找过）"
        if self.suggestions:
            text += "，最接近的已知单位：" + "、".join(self.suggestions)
        else:
            text += "，单位目录中没有相近的名称"
        return text


@dataclass
class CellUnits:
    """The outcome of reading one cell."""

    units: list[Unit] = field(default_factory=list)
    unknown: list[UnknownName] = field(default_factory=list)
    created: list[Unit] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [unit.name for unit in self.units]


class UnitDirectory:
    """Canonical names and aliases of every unit, for reading many cells."""

    def __init__(self, units: list[Unit], aliases: list[tuple[str, int]]):
        self.by_id = {unit.pk: unit for unit in units}
        self.by_name: dict[str, Unit] = {unit.name: unit for unit in units}
        for alias, unit_id in aliases:
            self.by_name.setdefault(alias, self.by_id[unit_id])
        self._pending: dict[str, Unit] = {}

    @classmethod
    def load(cls) -> UnitDirectory:
        units = list(Unit.objects.all())
        aliases = list(UnitAlias.objects.values_list("name", "unit_id"))
        return cls(units, aliases)

    def lookup(self, name: str) -> Unit | None:
        return self.by_name.get(name) or self._pending.get(name)

    def suggestions(self, *names: str, limit: int = 3) -> tuple[str, ...]:
        found: list[str] = []
        candidates = list(self.by_name)
        for name in names:
            for match in difflib.get_close_matches(name, candidates, n=limit, cutoff=0.4):
                canonical = self.by_name[match].name
                if canonical not in found:
                    found.append(canonical)
        return tuple(found[:limit])

    def resolve(self, text: str, *, create_missing: bool = False) -> CellUnits:
        """Read one cell. With ``create_missing`` unknown names become new units
        (unsaved until :meth:`save_created`), flagged for review."""
        result = CellUnits()
        prefix: str | None = None
        for written in split_unit_cell(text):
            unit, tried = self._find(written, prefix)
            if unit is None and create_missing:
                unit = self._create(tried[-1])
                result.created.append(unit)
            if unit is None:
                result.unknown.append(UnknownName(written, tried, self.suggestions(*tried)))
                prefix = level_prefix(written) or prefix
                continue
            prefix = level_prefix(unit.name) or prefix
            if unit not in result.units:
                result.units.append(unit)
        return result

    def _find(self, written: str, prefix: str | None) -> tuple[Unit | None, tuple[str, ...]]:
        tried = [written]
        unit = self.lookup(written)
        if unit is None and prefix and not written.startswith(prefix):
            # 林草局 in a 市 run is 市林草局; 市场监管局 in a 市 run is 市市场监管局.
            tried.append(prefix + written)
            unit = self.lookup(prefix + written)
        return unit, tuple(tried)

    def _create(self, name: str) -> Unit:
        unit = self._pending.get(name)
        if unit is None:
            unit = Unit(name=name, kind=guess_kind(name), needs_review=True, note="导入任务清单时新建，类别为推测。")
            self._pending[name] = unit
        return unit

    @property
    def pending(self) -> list[Unit]:
        return list(self._pending.values())

    def save_created(self) -> list[Unit]:
        """Write the units created while reading; call inside the import's transaction."""
        created = []
        for name, unit in list(self._pending.items()):
            if unit.pk is None:
                unit.save()
            self.by_name[name] = unit
            self.by_id[unit.pk] = unit
            created.append(unit)
        self._pending.clear()
        return created
