"""A failed run writes an alert to the log and to the webhook (a stand-in on 127.0.0.1)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import dagster as dg
import pytest

from pipeline.automation.alerts import alert_on_run_failure


@dg.op
def breaks() -> None:
    raise RuntimeError("measures.csv has no column for 'start_date'")


@dg.job
def failing_job() -> None:
    breaks()


@pytest.fixture
def webhook():
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()


def _failure_context(instance):
    result = failing_job.execute_in_process(instance=instance, raise_on_error=False)
    run = instance.get_run_by_id(result.run_id)
    failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
    return dg.build_run_status_sensor_context(
        sensor_name="alert_on_run_failure",
        dagster_instance=instance,
        dagster_run=run,
        dagster_event=failure,
    ).for_run_failure()


def test_a_failed_run_is_logged_and_posted(harness, monkeypatch, webhook):
    url, received = webhook
    monkeypatch.setenv("NOEGLETAL_ALERT_WEBHOOK_URL", url)
    with dg.DagsterInstance.ephemeral() as instance:
        alert_on_run_failure(_failure_context(instance))
    lines = (harness.data_dir / "logs" / "alerts.jsonl").read_text().splitlines()
    logged = json.loads(lines[-1])
    assert logged["job"] == "failing_job"
    assert logged["failed_steps"] == ["breaks"]
    assert "measures.csv has no column for 'start_date'" in logged["message"]
    assert len(received) == 1
    assert received[0]["text"].startswith("nøgletal: failing_job failed in breaks")


def test_without_a_webhook_the_alert_is_still_logged(harness, monkeypatch):
    monkeypatch.delenv("NOEGLETAL_ALERT_WEBHOOK_URL", raising=False)
    with dg.DagsterInstance.ephemeral() as instance:
        alert_on_run_failure(_failure_context(instance))
    assert (harness.data_dir / "logs" / "alerts.jsonl").exists()
