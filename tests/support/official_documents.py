"""Sample official documents (公文) for the renderers' tests: a quarterly circular in plain data.

``sample_document()`` is a realistic 季通报 of the supervision office: headings of three levels,
paragraphs quoting the task texts of 附件1 verbatim, a table in the body, a landscape annex ledger
and a portrait annex after it (so a renderer has to turn back to portrait). ``ledger_rows(n)``
makes the annex ledger of a province-scale plan (5,000 rows) from the same texts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from notifications.circulars.document import Annex, Heading, OfficialDocument, Paragraph, Table

ISSUER = "呼伦贝尔市人民政府督查室"
TITLE = "关于2026年第三季度《关于推进呼伦贝尔市“十五五”工业经济高质量发展实施方案》重点任务推进情况的通报"
NUMBER = "呼督通〔2026〕3号"
DATE = dt.date(2026, 11, 22)
DATE_TEXT = "2026年11月22日"
ADDRESSEES = "各旗市区人民政府，市直各有关部门："
HEADINGS = [
    "一、总体推进情况",
    "（一）煤炭产业：稳量提质与绿色智能并进",
    "1.推动煤炭资源稳定接续发展。",
    "二、存在的主要问题",
    "三、下一步工作要求",
]
LEDGER_HEADER = ["重点任务", "关键举措", "牵头单位", "责任单位/地区", "2026-2027年（筑基期）", "2028-2030年（提升期）"]
LEDGER_WIDTHS = [3, 8, 3, 4, 6, 6]
# Rows of 附件1 as the plan writes them (line breaks inside cells kept).
LEDGER = [
    [
        "1.推动煤炭资源稳定接续发展。",
        "高标准建设国家煤炭供应保障基地，加快推动具备增产潜力的煤矿释放先进产能，盘活空白边角资源、夹缝资源。",
        "市能源局",
        "市自然资源局、林草局、发展改革委、生态环境局、水利局、应急管理局，新左旗、新右旗、鄂温克旗、牙克石市、陈巴尔虎旗",
        "1.推动西乌日图、胡列也吐、五九煤炭矿区总体规划获批。\n2.推动牙克石五九煤炭集团牙星一号井等整合空白边角资源、夹缝资源。",
        "1.推动华能伊敏煤电有限公司三号露天矿、国能宝日希勒能源有限公司二号露天矿等煤矿开发建设。",
    ],
    [
        "2.加大煤矿智能化建设力度。",
        "全面落实自治区推进煤矿智能化建设行动实施方案，加快智能化采煤工作面、智能化掘进工作面建设。",
        "市能源局",
        "市应急管理局、科技局，新右旗、鄂温克旗、牙克石市、海拉尔区、扎赉诺尔区、陈巴尔虎旗",
        "全市生产煤矿全部完成智能化建设，服务年限大于10年的大型露天煤矿要完成智能化中级提档升级。",
        "按照国家和自治区相关要求，逐步推动所有在产煤矿完成智能化中级提档升级。",
    ],
    [
        "3.加强矿山生态修复。",
        "严格落实矿山地质环境治理恢复基金管理制度，督促煤矿企业履行生态修复主体责任，实现应治尽治。",
        "市自然资源局",
        "市生态环境局、文旅广局",
        "督促煤矿企业规范计提基金，结合矿山实际做好“边开采、边修复”或“分区、分期”治理。",
        "全市煤矿企业矿区生态修复治理取得显著成效。",
    ],
]


def ledger_rows(count: int) -> list[list[str]]:
    """``count`` ledger rows, the plan's rows over and over, each numbered so no two are alike."""
    return [
        [f"{index + 1}.{LEDGER[index % len(LEDGER)][0].split('.', 1)[1]}", *LEDGER[index % len(LEDGER)][1:]]
        for index in range(count)
    ]


def sample_document(*, draft: bool = False, ledger: list[list[str]] | None = None) -> OfficialDocument:
    """A 季通报 as issued (or, with ``draft``, as the draft the office circulates for comment)."""
    one, sector, task, problems, requirements = HEADINGS
    body = [
        Paragraph(
            "2026年第三季度，各牵头单位和责任单位按照《关于推进呼伦贝尔市“十五五”工业经济高质量发展实施方案》"
            "要求，扎实推进48项重点任务、52项关键举措，现将推进情况通报如下。"
        ),
        Heading(1, one),
        Paragraph("截至9月30日，52项关键举措中正常推进41项、已完成3项、滞后6项、未启动2项。", lead="总体看，"),
        Heading(2, sector),
        Heading(3, task),
        Paragraph(
            "“推动煤炭资源稳定接续发展。”市能源局牵头，西乌日图、胡列也吐、五九煤炭矿区总体规划已报国家能源局审查，"
            "华能伊敏煤电有限公司三号露天矿完成前期手续办理。"
        ),
        Table(
            header=["序号", "牵头单位", "应报", "按时报送", "逾期报送", "未报送"],
            rows=[
                ["1", "市能源局", "9", "9", "0", "0"],
                ["2", "市工信局", "12", "10", "2", "0"],
                ["3", "市自然资源局", "6", "4", "1", "1"],
            ],
            widths=[1, 4, 2, 2, 2, 2],
            caption="表1  2026年第三季度月调度报送情况",
        ),
        Heading(1, problems),
        Paragraph("个别单位报送内容以工作安排代替工作进展，量化指标填报不完整。", lead="一是"),
        Heading(1, requirements),
        Paragraph("请各牵头单位于每月25日前报送月调度情况，逾期未报的将在下季度通报中点名。"),
    ]
    annexes = [
        Annex(
            title="重点任务推进情况台账",
            blocks=[Table(header=LEDGER_HEADER, rows=ledger if ledger is not None else LEDGER, widths=LEDGER_WIDTHS)],
            landscape=True,
        ),
        Annex(
            title="逾期未报送单位名单",
            blocks=[Paragraph("市自然资源局（1项）。")],
        ),
    ]
    document = OfficialDocument(
        issuer=ISSUER,
        title=TITLE,
        number=NUMBER,
        date=DATE,
        addressees=ADDRESSEES,
        body=body,
        annexes=annexes,
    )
    return dataclasses.replace(document, draft=True) if draft else document
