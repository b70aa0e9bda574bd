"""StatBankClient against the local stand-in: request shapes, retries, DST's error text."""

from __future__ import annotations

import time

import pytest

from pipeline.sources.statbank.client import StatBankClient, backoff_delays
from pipeline.sources.statbank.errors import (
    StatBankRequestError,
    StatBankResponseError,
    StatBankUnavailableError,
)
from pipeline.sources.statbank.request import DataRequest
from pipeline.sources.statbank.tables import FOLK1A_REQUEST
from tests.sources.statbank.standin import (
    BULK,
    Reply,
    StandIn,
    dst_error,
    json_reply,
    tableinfo,
)


def test_table_info_posts_dst_body_and_parses_the_answer(standin: StandIn, client: StatBankClient):
    standin.serve("tableinfo", json_reply(tableinfo("FOLK1A")))

    info = client.table_info("FOLK1A")

    assert standin.bodies("tableinfo") == [{"table": "FOLK1A", "format": "JSON", "lang": "da"}]
    assert info.variable_ids == ("OMRÅDE", "KØN", "ALDER", "CIVILSTAND", "Tid")
    assert info.time_variable is not None and info.time_variable.id == "Tid"
    assert info.time_values == ("2023K3", "2023K4", "2024K1", "2024K2")
    area = info.variable("OMRÅDE")
    assert area is not None and area.elimination and not area.time
    assert area.value_ids[:3] == ("000", "084", "101")
    assert info.suppressed_data_value == "0"
    assert info.updated == "2024-05-11T08:00:00"


def test_table_info_is_fetched_once_per_client(standin: StandIn, client: StatBankClient):
    standin.serve_table("FOLK1A")
    client.fetch_bulk(FOLK1A_REQUEST)
    client.fetch_bulk(FOLK1A_REQUEST)
    assert standin.hits("tableinfo") == 1
    assert standin.hits("data") == 2


def test_fetch_bulk_posts_the_documented_body(standin: StandIn, client: StatBankClient):
    standin.serve_table("FOLK1A")

    text = client.fetch_bulk(FOLK1A_REQUEST)

    assert text == BULK["FOLK1A"]
    assert standin.bodies("data") == [
        {
            "table": "FOLK1A",
            "format": "BULK",
            "lang": "da",
            "valuePresentation": "Code",
            "variables": [
                {"code": "OMRÅDE", "values": ["*"]},
                {"code": "KØN", "values": ["TOT"]},
                {"code": "ALDER", "values": [str(age) for age in range(18)]},
                {"code": "CIVILSTAND", "values": ["TOT"]},
                {"code": "Tid", "values": ["*"]},
            ],
        }
    ]


def test_fetch_bulk_answer_keeps_the_raw_bytes(standin: StandIn, client: StatBankClient):
    body = b"\xef\xbb\xbf" + BULK["FOLK1A"].replace("\n", "\r\n").encode()
    standin.serve_table("FOLK1A", body)

    answer = client.fetch_bulk_answer(FOLK1A_REQUEST)

    assert answer.body == body
    assert answer.status == 200
    assert answer.url == f"{standin.base_url}/data"
    assert answer.table == "FOLK1A"
    assert answer.fetched_at.tzinfo is not None


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (
            FOLK1A_REQUEST.with_values("KØN", ["tot"]),
            "KØN has no value 'tot' (did you mean 'TOT'?)",
        ),
        (
            DataRequest.of("FOLK1A", {"OMRÅDE": ["*"], "KØN": ["TOT"], "TID": ["*"]}),
            "unknown variable 'TID' (ids are case-sensitive: did you mean 'Tid'?)",
        ),
        (
            DataRequest.of("FOLK1A", {"OMRÅDE": ["*"], "KØN": ["TOT"], "Tid": ["*"]}),
            "missing: ALDER, CIVILSTAND",
        ),
        (FOLK1A_REQUEST.with_values("OMRÅDE", ["999"]), "OMRÅDE has no value matching '999'"),
    ],
)
def test_invalid_request_fails_before_any_data_call(
    standin: StandIn, client: StatBankClient, request_: DataRequest, expected: str
):
    standin.serve_table("FOLK1A")
    with pytest.raises(StatBankRequestError, match="does not fit") as error:
        client.fetch_bulk(request_)
    assert expected in str(error.value)
    assert standin.hits("data") == 0


def test_a_500_then_success_is_retried(standin: StandIn, client: StatBankClient):
    standin.serve_table("FOLK1A")
    standin.queue("data", Reply(status=500, body=dst_error("INTERNAL", "Intern serverfejl")))

    assert client.fetch_bulk(FOLK1A_REQUEST) == BULK["FOLK1A"]
    assert standin.hits("data") == 2


def test_retries_back_off_exponentially(standin: StandIn):
    standin.serve_table("FOLK1A")
    standin.queue("data", *[Reply(status=503, body=b"Service Unavailable")] * 3)
    slept: list[float] = []
    client = StatBankClient(
        base_url=standin.base_url, max_retries=3, backoff_seconds=1.0, sleep=slept.append
    )

    client.fetch_bulk(FOLK1A_REQUEST)

    assert slept == [1.0, 2.0, 4.0]
    assert standin.hits("data") == 4
    assert backoff_delays(3, 0.5) == (0.5, 1.0, 2.0)


def test_a_400_shows_dst_error_text_and_is_not_retried(standin: StandIn, client: StatBankClient):
    standin.serve("tableinfo", json_reply(tableinfo("FOLK1A")))
    message = "Der skal vælges værdier for variabel: CIVILSTAND"
    standin.serve("data", Reply(status=400, body=dst_error("REQUEST-MISSING", message)))

    with pytest.raises(StatBankRequestError) as error:
        client.fetch_bulk(FOLK1A_REQUEST)

    assert message in str(error.value)
    assert "HTTP 400 REQUEST-MISSING" in str(error.value)
    assert error.value.status == 400
    assert error.value.error_code == "REQUEST-MISSING"
    assert error.value.dst_message == message
    assert standin.hits("data") == 1


def test_a_400_in_plain_text_is_shown_too(standin: StandIn, client: StatBankClient):
    standin.serve("tableinfo", Reply(status=400, body="Tabel findes ikke: ÆBLE".encode()))
    with pytest.raises(StatBankRequestError, match="Tabel findes ikke: ÆBLE"):
        client.table_info("ÆBLE")
    assert standin.hits("tableinfo") == 1


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_danish_letters_survive_a_content_type_without_charset(
    standin: StandIn, client: StatBankClient, content_type: str
):
    body = dst_error("EXTRACT-NOTFOUND", "Kan ikke finde værdien: 999 (OMRÅDE)")
    standin.serve("tableinfo", Reply(status=400, body=body, content_type=content_type))
    with pytest.raises(StatBankRequestError, match=r"Kan ikke finde værdien: 999 \(OMRÅDE\)"):
        client.table_info("FOLK1A")


def test_an_error_document_with_status_200_is_refused(standin: StandIn, client: StatBankClient):
    standin.serve("tableinfo", json_reply(tableinfo("FOLK1A")))
    standin.serve("data", Reply(body=dst_error("EXTRACT-NOTFOUND", "Kan ikke finde værdien")))
    with pytest.raises(StatBankRequestError, match="Kan ikke finde værdien"):
        client.fetch_bulk(FOLK1A_REQUEST)


def test_tableinfo_that_is_not_json_is_a_response_error(standin: StandIn, client: StatBankClient):
    standin.serve("tableinfo", Reply(body=b"<html>maintenance</html>"))
    with pytest.raises(StatBankResponseError, match="not JSON"):
        client.table_info("FOLK1A")


def test_every_attempt_failing_raises_unavailable_with_the_count(standin: StandIn):
    standin.serve("tableinfo", Reply(status=502, body=b"Bad Gateway"))
    client = StatBankClient(base_url=standin.base_url, max_retries=2, backoff_seconds=0.0)

    with pytest.raises(StatBankUnavailableError, match="after 3 attempts") as error:
        client.table_info("FOLK1A")

    assert error.value.attempts == 3
    assert "HTTP 502" in str(error.value)
    assert standin.hits("tableinfo") == 3


def test_a_slow_answer_times_out_is_retried_then_unavailable(standin: StandIn):
    standin.serve("tableinfo", Reply(body=b"{}", delay=0.5))
    client = StatBankClient(
        base_url=standin.base_url, timeout=0.1, max_retries=1, backoff_seconds=0.0
    )

    started = time.monotonic()
    with pytest.raises(StatBankUnavailableError, match=r"no answer within 0\.1 s") as error:
        client.table_info("FOLK1A")

    assert error.value.attempts == 2
    assert standin.hits("tableinfo") == 2
    assert time.monotonic() - started < 1.5


def test_connection_refused_is_retried_then_unavailable(refused_url: str):
    client = StatBankClient(base_url=refused_url, timeout=1.0, max_retries=2, backoff_seconds=0.0)
    with pytest.raises(StatBankUnavailableError, match="connection failed") as error:
        client.table_info("FOLK1A")
    assert error.value.attempts == 3
    assert len(error.value.failures) == 3
