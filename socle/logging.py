"""JSON log lines in UTC carrying the request id; messages are escaped by json.dumps."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from socle.context import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id() or "-"
        return True


def _message(record: logging.LogRecord) -> str:
    """The log message, without the text of the logged exception (it may echo user input)."""
    message = record.getMessage()
    if record.exc_info and record.exc_info[1] is not None:
        texte = str(record.exc_info[1])
        if texte and texte in message:
            return message.replace(texte, record.exc_info[1].__class__.__name__)
    return message


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "niveau": record.levelname,
            "logger": record.name,
            "message": _message(record),
            "request_id": getattr(record, "request_id", None) or current_request_id() or "-",
        }
        if record.exc_info and record.exc_info[0] is not None:
            # Type only: exception messages may echo user input.
            payload["exception"] = record.exc_info[0].__name__
        return json.dumps(payload, ensure_ascii=True)
