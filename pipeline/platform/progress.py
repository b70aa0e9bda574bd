"""A Dagster logger that prints one short line per stage for the command line (on stderr).

Dagster's console logger prints every event at DEBUG; a data engineer running `noegletal run`
wants to see which stage is running, what each delivery's verdict was, and what failed. The
lines come from the same event stream the UI shows. Messages are the pipeline's own log lines
and step events: counts and verdicts, never rows.
"""

from __future__ import annotations

import logging
import sys
import time

import dagster as dg

_SHOWN_EVENTS = {
    "STEP_START": "started",
    "STEP_SUCCESS": "done",
    "STEP_FAILURE": "FAILED",
    "ASSET_CHECK_EVALUATION": None,
}


class _ProgressHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None)
        if meta is None:
            return
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        stamp = time.strftime("%H:%M:%S")
        if event is None:
            # dbt's own output (one line per model and test) is in the UI; here only problems.
            threshold = logging.WARNING if step.startswith("dbt_") else logging.INFO
            if record.levelno >= threshold:
                level = "" if record.levelno == logging.INFO else f"{record.levelname}: "
                print(f"[{stamp}] {step}: {level}{meta['orig_message']}", file=sys.stderr)
            return
        kind = event.event_type_value
        if kind == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if not evaluation.passed:
                key = "/".join(evaluation.asset_key.path)
                print(f"[{stamp}] check FAILED: {key} {evaluation.check_name}", file=sys.stderr)
        elif kind in _SHOWN_EVENTS:
            print(f"[{stamp}] {step}: {_SHOWN_EVENTS[kind]}", file=sys.stderr)


@dg.logger(description="Short progress lines for the noegletal command line.")
def progress_logger(_init_context: dg.InitLoggerContext) -> logging.Logger:
    # A logger outside logging's registry: it lives as long as the run, not the process.
    logger = logging.Logger("noegletal.progress", level=logging.DEBUG)
    logger.addHandler(_ProgressHandler())
    return logger
