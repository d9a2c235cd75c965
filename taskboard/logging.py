"""One JSON object per log line, for log collectors (DJANGO_LOG_FORMAT=json, the default in production)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Anything passed with extra={...} travels as its own field.
        data |= {key: value for key, value in vars(record).items() if key not in STANDARD}
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)
