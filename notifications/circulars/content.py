"""From a circular's snapshot and narrative to an ``OfficialDocument``: the words of the circular.

The narrative (opening, highlights, requirements) is the office's; everything else is written here
from the snapshot, so the HTML page, the DOCX and the PDF say exactly the same thing.
"""

from __future__ import annotations

import datetime as dt

from notifications.circulars.deadlines import Deadline
from notifications.circulars.document import Annex, Block, Heading, OfficialDocument, Paragraph, Table, chinese_date
from notifications.circulars.models import Circular, CircularSettings
from tasks_app.lights import Light
from tasks_app.measure_status import STATES, MeasureState

STATE_LABELS = {s.value: s.label for s in MeasureState}
LIGHT_LABELS = {li.value: li.label for li in Light}
LIGHT_SHORT = {"red": "红", "yellow": "黄", "green": "绿", "grey": "—"}
NUMERALS = "一二三四五六七八九十"


def _day(iso: str) -> str:
    return chinese_date(dt.date.fromisoformat(iso))


# --- The office's narrative, pre-filled at compile --------------------------------------------------


def default_opening(snapshot: dict, plan_name: str) -> str:
    scope = snapshot["scope"]
    what = "总结" if scope["kind"] == "annual" else "通报"
    return f"按照《{plan_name}》“月调度、季通报、年总结”工作机制，现将{scope['label']}重点任务推进情况{what}如下。"


def default_highlights(snapshot: dict) -> str:
    """One paragraph per sector, quoting what the lead units reported as done or progressing."""
    paragraphs = []
    for sector in snapshot["sectors"]:
        quotes = [f"任务{e['code']}（{e['lead']}）：{e['text']}" for e in sector["highlights"]]
        if quotes:
            more = sector["highlights_total"] - len(quotes)
            tail = f"另有 {more} 项举措正常推进。" if more > 0 else ""
            paragraphs.append(f"{sector['name']}方面。" + "".join(quotes) + tail)
    return "\n".join(paragraphs) or "本期暂无已完成或正常推进的举措报送进展。"


def default_requirements(snapshot: dict) -> str:
    scope = snapshot["scope"]
    next_period = "下一年度" if scope["kind"] == "annual" else "下一季度"
    lines = [
        f"各牵头单位要对照阶段目标，抓紧推进滞后、未启动的举措，{next_period}内明确完成时限和责任人。",
        "各责任单位要严格落实“月调度”要求，按时、如实报送进展，不得迟报、漏报。",
    ]
    if snapshot["discipline"]["named"]:
        lines.append("被点名通报的单位要在5个工作日内向督查室书面说明原因，并提出整改措施。")
    return "\n".join(lines)


# --- The document -------------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(line.strip()) for line in text.splitlines() if line.strip()]


def _state_sentence(counts: dict, total: int) -> str:
    states = counts["states"]
    parts = "，".join(f"{STATE_LABELS[s.value]}{states[s.value]}项" for s in STATES)
    lights = counts["lights"]
    return f"{total}项关键举措中，{parts}；红灯{lights['red']}项、黄灯{lights['yellow']}项、绿灯{lights['green']}项。"


def _change_sentence(overall: dict, previous_label: str) -> str:
    if not overall.get("previous"):
        return ""
    changes = []
    for s in STATES:
        delta = overall["states"][s.value] - overall["previous"][s.value]
        if delta:
            changes.append(f"{STATE_LABELS[s.value]}{'增加' if delta > 0 else '减少'}{abs(delta)}项")
    if not changes:
        return f"与上期（{previous_label}）相比，各状态举措数量没有变化。"
    return f"与上期（{previous_label}）相比，" + "，".join(changes) + "。"


def _overview_table(overview: dict) -> Table:
    header = ["板块/领域", "举措数", *[STATE_LABELS[s.value] for s in STATES], "红灯", "黄灯", "绿灯", "较上期完成"]

    def row(label: str, block: dict) -> list[str]:
        previous = block.get("previous")
        done_delta = block["states"]["done"] - previous["done"] if previous else None
        change = "—" if done_delta is None else (f"+{done_delta}" if done_delta > 0 else str(done_delta))
        states = [str(block["states"][s.value]) for s in STATES]
        lights = [str(block["lights"][k]) for k in ("red", "yellow", "green")]
        return [label, str(block["total"]), *states, *lights, change]

    rows = [row("合计", overview["overall"])]
    for part in overview["parts"]:
        rows.append(row(part["label"], part))
        rows.extend(row("　" + sector["label"], sector) for sector in part["sectors"])
    return Table(header, rows, widths=[4, 1.2, 1.2, 1.4, 1, 1.2, 1.2, 1, 1, 1, 1.4], caption="分板块、领域推进情况")


def _problem_blocks(sectors: list[dict]) -> list[Block]:
    blocks: list[Block] = []
    index = 0
    for sector in sectors:
        if not sector["problems"]:
            continue
        blocks.append(Heading(2, f"（{NUMERALS[index % 10]}）{sector['name']}"))
        index += 1
        for n, entry in enumerate(sector["problems"], 1):
            what = entry["text"] or "未报送存在问题。"
            status = f"{STATE_LABELS[entry['state']]}，{LIGHT_LABELS[entry['light']]}"
            blocks.append(Paragraph(f"（{status}）{what}", lead=f"{n}.任务{entry['code']}（{entry['lead']}）"))
    return blocks or [Paragraph("本期各牵头单位未报告存在问题，亦无滞后、红灯举措。")]


def _target_blocks(targets: dict) -> list[Block]:
    if not targets.get("phase"):
        return [Paragraph("方案未设阶段目标。")]
    counts = targets["counts"]
    total = sum(counts.values())
    blocks: list[Block] = [
        Paragraph(
            f"{targets['phase']}共{total}项目标，已完成{counts.get('met', 0)}项，已逾期{counts.get('overdue', 0)}项，"
            f"存在风险{counts.get('at_risk', 0)}项，其余正常推进。判定口径：{targets['rule']}"
        )
    ]
    for index, (key, title) in enumerate(
        (("met", "已完成的目标"), ("overdue", "已逾期的目标"), ("at_risk", "存在风险的目标"))
    ):
        blocks.append(Heading(2, f"（{NUMERALS[index]}）{title}"))
        items = targets[key]
        if not items:
            blocks.append(Paragraph("无。"))
        for n, entry in enumerate(items, 1):
            blocks.append(
                Paragraph(
                    f"{entry['item']}（时限：{deadline_label(entry)}）",
                    lead=f"{n}.任务{entry['code']}（{entry['lead']}）",
                )
            )
    return blocks


def deadline_label(entry: dict) -> str:
    day = dt.date.fromisoformat(entry["deadline"])
    return Deadline(day, entry["deadline_explicit"]).label


def _indicator_table(indicators: list[dict]) -> Table:
    rows = []
    for ind in indicators:
        targets = "；".join(f"{t['year']}年：{t['text']}" for t in ind["targets"])
        latest = f"{ind['latest']['value']}（{ind['latest']['label']}）" if ind["latest"] else "尚未填报"
        percent = "—" if ind["progress_percent"] is None else f"{ind['progress_percent']}%"
        path = {True: "达到进度", False: "低于进度", None: "—"}[ind["on_path"]]
        rows.append([f"{ind['name']}（{ind['unit']}）", ind["baseline"] or "—", latest, targets, percent, path])
    return Table(["指标", "基期值", "最新值", "目标", "完成进度", "时序进度"], rows, widths=[3, 1.4, 2.4, 4, 1.2, 1.2])


def _discipline_blocks(snapshot: dict) -> list[Block]:
    totals = snapshot["discipline"]["totals"]
    scope_label = snapshot["scope"]["label"]
    blocks: list[Block] = [
        Paragraph(
            f"{scope_label}共应报送进展报告{totals['total']}份，按时报送{totals['on_time']}份，逾期报送{totals['late']}份，"
            f"未报送{totals['missing']}份，被退回修改{totals['returned']}份。"
        )
    ]
    named = snapshot["discipline"]["named"]
    rule = snapshot["rule"]["text"]
    if named:
        names = "；".join(f"{u['name']}（{'，'.join(u['reasons'])}）" for u in named)
        blocks.append(Paragraph(f"按照{rule}的规定，对以下单位予以点名通报：{names}。"))
    else:
        blocks.append(Paragraph(f"按照{rule}的规定，本期无点名通报单位。"))
    blocks.append(Paragraph("各单位报送明细见附件2。"))
    return blocks


def _quarters_table(quarters: list[dict]) -> Table:
    header = ["季度", *[STATE_LABELS[s.value] for s in STATES]]
    rows = [[q["label"], *[str(q["states"][s.value]) for s in STATES]] for q in quarters]
    return Table(header, rows, widths=[3, 1.2, 1.2, 1.2, 1.2, 1.2], caption="四个季度推进状态对比（各季度末举措数）")


def _score_table(snapshot: dict) -> Table:
    def pct(value):
        return "—" if value is None else f"{value * 100:.1f}%"

    rows = [
        [
            str(n),
            s["name"],
            pct(s["on_time_rate"]),
            pct(None if s["returned_rate"] is None else 1 - s["returned_rate"]),
            pct(s["targets_rate"]),
            "—" if s["score"] is None else f"{s['score']:.1f}",
        ]
        for n, s in enumerate(snapshot["scores"], 1)
    ]
    w = snapshot["score_weights"]
    caption = (
        f"考核评分（按时报送率{w['on_time']}%、一次通过率{w['not_returned']}%、"
        f"牵头举措完成或正常推进率{w['targets']}%）"
    )
    return Table(
        ["序号", "单位", "按时报送率", "一次通过率", "牵头举措推进率", "得分"],
        rows,
        widths=[0.8, 4, 1.5, 1.5, 1.8, 1],
        caption=caption,
    )


def _annexes(snapshot: dict) -> list[Annex]:
    measures = Table(
        ["编号", "重点任务", "牵头单位", "推进状态", "灯", "本期进展"],
        [
            [m["code"], m["task"], m["lead"], STATE_LABELS[m["state"]], LIGHT_SHORT[m["light"]], m["progress"] or "—"]
            for m in snapshot["measures"]
        ],
        widths=[1, 5, 2.6, 1.4, 0.7, 6],
    )
    units = Table(
        ["单位", "应报", "按时", "逾期（最长工作日）", "未报送", "被退回", "点名"],
        [
            [
                u["name"],
                str(u["total"]),
                str(u["on_time"]),
                f"{u['late']}（{u['late_max_workdays']}）" if u["late"] else "0",
                str(u["missing"]),
                str(u["returned"]),
                "是" if u["named"] else "",
            ]
            for u in snapshot["discipline"]["units"]
        ],
        widths=[4, 1, 1, 2, 1.2, 1.2, 0.8],
    )
    return [
        Annex("重点任务推进情况一览表", [measures], landscape=True),
        Annex("各单位报送情况表", [units]),
    ]


def circular_document(circular: Circular, rules: CircularSettings) -> OfficialDocument:
    """The circular as an official document: draft or issued, from its snapshot and narrative."""
    snapshot = circular.snapshot
    annual = snapshot["scope"]["kind"] == "annual"
    overview = snapshot["overview"]
    as_of = _day(snapshot["scope"]["end"])
    sections: list[tuple[str, list[Block]]] = [
        (
            "全年总体情况" if annual else "总体推进情况",
            [
                Paragraph(
                    f"截至{as_of}，{_state_sentence(overview['overall'], overview['overall']['total'])}"
                    + _change_sentence(overview["overall"], overview["previous_label"])
                ),
                _overview_table(overview),
                *([_quarters_table(snapshot["quarters"])] if annual else []),
            ],
        ),
        ("工作亮点", _paragraphs(circular.highlights) or [Paragraph("无。")]),
        ("存在的问题", _problem_blocks(snapshot["sectors"])),
        ("阶段目标完成情况", _target_blocks(snapshot["targets"])),
        ("主要指标进展", [_indicator_table(snapshot["indicators"])]),
        (
            "报送纪律与考核评分" if annual else "报送情况",
            [*_discipline_blocks(snapshot), *([_score_table(snapshot)] if annual else [])],
        ),
        ("下一年度工作要求" if annual else "下步工作要求", _paragraphs(circular.requirements) or [Paragraph("无。")]),
    ]
    body: list[Block] = _paragraphs(circular.opening)
    for index, (title, blocks) in enumerate(sections):
        body.append(Heading(1, f"{NUMERALS[index]}、{title}"))
        body.extend(blocks)
    return OfficialDocument(
        issuer=rules.issuer,
        title=circular.title,
        number=circular.number,
        date=circular.issued_on,
        addressees=rules.addressees,
        body=body,
        annexes=_annexes(snapshot),
        draft=not circular.is_issued,
    )
