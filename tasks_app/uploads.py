"""Evidence files: the type is told by the content, never by the file name.

An .exe renamed .pdf starts with ``MZ`` and is refused; a .docx/.xlsx is a zip
whose inside says what it is (and is checked against zip bombs before use).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings

ALLOWED = {"pdf": "PDF 文档", "docx": "Word 文档", "xlsx": "Excel 表格", "jpg": "JPEG 图片", "png": "PNG 图片"}
EXTENSION_ALIASES = {"jpeg": "jpg"}
MAX_UNZIPPED = 200 * 1024 * 1024


class UploadRejected(Exception):
    pass


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    data: bytes
    sha256: str


def sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
        except zipfile.BadZipFile:
            return None
        if sum(info.file_size for info in infos) > MAX_UNZIPPED:
            return None
        names = {info.filename for info in infos}
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def check_upload(name: str, data: bytes) -> CheckedFile:
    """Raise UploadRejected with a Chinese message saying what is wrong with the file."""
    limit = settings.EVIDENCE_MAX_BYTES
    if len(data) > limit:
        raise UploadRejected(f"文件“{name}”有 {len(data) / 1024 / 1024:.1f} MB，超过上限 {limit // 1024 // 1024} MB。")
    if not data:
        raise UploadRejected(f"文件“{name}”是空的。")
    kind = sniff(data)
    if kind is None:
        allowed = "、".join(ALLOWED.values())
        raise UploadRejected(f"文件“{name}”的内容不是允许的类型（{allowed}），未上传。")
    claimed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = EXTENSION_ALIASES.get(claimed, claimed)
    if claimed and claimed != kind:
        raise UploadRejected(f"文件“{name}”的扩展名与内容不符（内容是{ALLOWED[kind]}），未上传。")
    return CheckedFile(name=name[:255], extension=kind, data=data, sha256=hashlib.sha256(data).hexdigest())
