"""Alerts when a run fails: always to the log (`<data-dir>/logs/alerts.jsonl` and Dagster's
own log), and to a webhook when `NOEGLETAL_ALERT_WEBHOOK_URL` is set (Teams and Slack incoming
webhooks both take `{"text": ...}`).

An alert names the job, the run, the failed step and the first line of its error: enough to
find the run in the UI, and never person-level data (the pipeline's errors carry counts and
file names, not rows).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import dagster as dg
import requests

from pipeline.settings import Settings

WEBHOOK_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Alert:
    job: str
    run_id: str
    failed_steps: list[str]
    message: str
    at: str

    @property
    def text(self) -> str:
        steps = ", ".join(self.failed_steps) or "the run"
        return f"nøgletal: {self.job} failed in {steps} (run {self.run_id}): {self.message}"


def alert_from_failure(context: dg.RunFailureSensorContext) -> Alert:
    failed = [e for e in context.get_step_failure_events() if e.step_key]
    error = failed[0].event_specific_data.error if failed else None
    # Dagster wraps the step's exception; the innermost cause says what went wrong.
    while error is not None and error.cause is not None:
        error = error.cause
    message = (error.message if error else context.failure_event.message) or "no message"
    return Alert(
        job=context.dagster_run.job_name,
        run_id=context.dagster_run.run_id,
        failed_steps=[e.step_key for e in failed if e.step_key],
        message=message.strip().splitlines()[0][:500],
        at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


def record_alert(alert: Alert, log_dir: Path) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "alerts.jsonl"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(alert), ensure_ascii=False) + "\n")
    return path


def send_webhook(alert: Alert, url: str) -> None:
    """POST the alert; a webhook that does not answer 2xx raises, so the sensor shows it."""
    response = requests.post(url, json={"text": alert.text}, timeout=WEBHOOK_TIMEOUT_SECONDS)
    response.raise_for_status()


@dg.run_failure_sensor(
    name="alert_on_run_failure",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Writes an alert for every failed run to <data-dir>/logs/alerts.jsonl and, when "
    "NOEGLETAL_ALERT_WEBHOOK_URL is set, posts it to that webhook (Teams, Slack).",
)
def alert_on_run_failure(context: dg.RunFailureSensorContext) -> None:
    alert = alert_from_failure(context)
    context.log.error(alert.text)
    record_alert(alert, Settings.from_env().data_dir / "logs")
    url = os.environ.get("NOEGLETAL_ALERT_WEBHOOK_URL", "")
    if url:
        send_webhook(alert, url)
