"""Structured logs: one JSON object per line with a request id, and never a personal identity
number (a filter masks anything that looks like one, whatever the message)."""

from __future__ import annotations

import json
import logging
import random
import re
import time

from flask import Flask, g, has_request_context, request

# 10 or 12 digits, with or without a separator: masked in every log line.
PNR_PATTERN = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")


def mask_pnr(text: str) -> str:
    return PNR_PATTERN.sub("[pnr]", text)


class JsonFormatter(logging.Formatter):
    _second: tuple[int, str] = (-1, "")  # the last second formatted: most lines share it

    def _time(self, record: logging.LogRecord) -> str:
        second, text = self._second
        if int(record.created) != second:
            second = int(record.created)
            text = time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(second))
            self._second = (second, text)
        return text

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self._time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_pnr(record.getMessage()),
        }
        if hasattr(record, "request_id"):  # an access line brings its own (no lookups in the request)
            entry["request_id"], entry["path"] = record.request_id, record.path
        elif has_request_context():
            entry["request_id"] = g.get("request_id")
            entry["path"] = mask_pnr(request.path)
        for key in ("status", "duration_ms", "method", "event"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = mask_pnr(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def init_app(app: Flask) -> None:
    if app.config["MODE"] != "test":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        app.logger.handlers[:] = [handler]
        app.logger.setLevel(logging.INFO)
        app.logger.propagate = False
    # A child of the app's logger, so the access lines go to its JSON handler (a logger of its
    # own would have none, and Python drops INFO lines that reach no handler).
    access = app.logger.getChild("access")

    @app.before_request
    def _start():
        # A request id from a trusted proxy is kept so logs can be joined across hosts.
        incoming = request.headers.get("X-Request-ID", "")
        # Our own only joins log lines, it guards nothing: the cheap generator will do.
        g.request_id = incoming if re.fullmatch(r"[A-Za-z0-9-]{8,64}", incoming) else f"{random.getrandbits(64):016x}"
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        request_id = g.get("request_id", "")
        response.headers["X-Request-ID"] = request_id
        started = g.get("request_started")
        if started is not None and request.endpoint != "static" and access.isEnabledFor(logging.INFO):
            duration = round((time.perf_counter() - started) * 1000, 1)
            method, path, status = request.method, mask_pnr(request.path), response.status_code
            # The record is made here rather than by access.info, which would walk the stack for
            # the caller's file and line on every request; an access line shows neither.
            access.handle(access.makeRecord(
                access.name, logging.INFO, __file__, 0, "%s %s %s", (method, path, status), None,
                extra={"status": status, "duration_ms": duration, "method": method, "request_id": request_id,
                       "path": path},
            ))
        return response
