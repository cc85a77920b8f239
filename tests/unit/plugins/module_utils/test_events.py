# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Events API v2 client: hosts per region, the routing key's checks and secrecy, retries as PagerDuty advises."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from ansible_collections.oncall.pagerduty.plugins.module_utils import _events as events
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._events import EventsAPIError, EventsClient

KEY = "R0UT1NGkey0123456789abcdefABCDEF"
ACCEPTED = {"status": "success", "message": "Event processed", "dedup_key": "k1"}


def make(server, sleeps, **kwargs):
    kwargs.setdefault("retry_delay", 30)
    return EventsClient(KEY, events_url=server.url + "/events", sleep=sleeps.append, **kwargs)


@pytest.fixture
def waits():
    return []


# -- where events go ---------------------------------------------------------------------


@pytest.mark.parametrize("region, url", [("us", "https://events.pagerduty.com"), ("eu", "https://events.eu.pagerduty.com")])
def test_region_chooses_the_events_host(region, url):
    client = EventsClient(KEY, region=region)
    assert client.base_url == url
    assert client.url(events.ALERT_PATH) == url + "/v2/enqueue"
    assert client.url(events.CHANGE_PATH) == url + "/v2/change/enqueue"


def test_events_url_overrides_the_region():
    assert EventsClient(KEY, region="eu", events_url="http://127.0.0.1:8080/events/").base_url == "http://127.0.0.1:8080/events"


@pytest.mark.parametrize("kwargs, message", [
    ({"region": "ap"}, "region must be one of: eu, us; got 'ap'"),
    ({"events_url": "http://events.example.com"}, "events_url http://events.example.com uses plain http://"),
    ({"events_url": ""}, "events_url is empty"),
    ({"retries": 11}, "event_retries must be a number from 0 to 10, got 11"),
    ({"retry_delay": -1}, "event_retry_delay must be a number from 0 to 600, got -1"),
])
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(PagerDutyError) as err:
        EventsClient(KEY, **kwargs)
    assert message in str(err.value)


@pytest.mark.parametrize("key", ["short", KEY + "x", KEY[:-1] + "-", KEY[:-1] + "é", "   "])
def test_a_malformed_routing_key_is_refused_unseen(key):
    with pytest.raises(PagerDutyError) as err:
        EventsClient(key)
    text = str(err.value)
    assert "routing_key" in text
    if key.strip():
        assert key.strip() not in text
        assert "32-character integration key" in text


def test_surrounding_spaces_are_stripped(server, waits):
    server.reply(202, ACCEPTED)
    client = EventsClient(f"  {KEY}\n", events_url=server.url, sleep=waits.append)
    client.send(events.ALERT_PATH, {"event_action": "trigger"})
    assert server.requests[0]["body"]["routing_key"] == KEY


# -- sending -----------------------------------------------------------------------------


def test_an_event_is_posted_with_its_routing_key(server, waits):
    server.reply(202, ACCEPTED)
    answer, attempts = make(server, waits).send(events.ALERT_PATH, {"event_action": "resolve", "dedup_key": "k1"})
    assert (answer, attempts) == (ACCEPTED, 1)
    request = server.requests[0]
    assert (request["method"], request["path"]) == ("POST", "/events/v2/enqueue")
    assert request["body"] == {"event_action": "resolve", "dedup_key": "k1", "routing_key": KEY}
    assert request["headers"]["content-type"] == "application/json"
    assert "authorization" not in request["headers"]
    assert request["headers"]["user-agent"].startswith("oncall.pagerduty/")
    assert waits == []


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_429_and_5xx_are_retried_after_the_delay(server, waits, status):
    server.reply(status, {"status": "throttle event", "message": "slow down"})
    server.reply(202, ACCEPTED)
    answer, attempts = make(server, waits).send(events.ALERT_PATH, {"event_action": "trigger"})
    assert (answer, attempts) == (ACCEPTED, 2)
    assert len(server.requests) == 2
    assert server.requests[0]["body"] == server.requests[1]["body"]
    assert waits == [30]


def test_retry_after_wins_over_the_delay(server, waits):
    server.reply(429, None, {"Retry-After": "5"})
    server.reply(202, ACCEPTED)
    make(server, waits).send(events.ALERT_PATH, {})
    assert waits == [5.0]


def test_retries_are_bounded_and_the_error_carries_pagerduty_text(server, waits):
    server.replies.extend([(503, {}, {"status": "unavailable", "message": "try later"})] * 5)
    with pytest.raises(EventsAPIError) as err:
        make(server, waits, retries=2).send(events.CHANGE_PATH, {"payload": {"summary": "x"}})
    assert len(server.requests) == 3
    assert waits == [30, 30]
    assert err.value.attempts == 3
    assert str(err.value).startswith("PagerDuty Events API request POST /v2/change/enqueue failed with HTTP 503: try later (unavailable)")
    assert "(after 3 attempts)" in str(err.value)


def test_a_429_that_stays_says_what_to_do(server, waits):
    server.replies.extend([(429, {}, {"status": "throttle event", "message": "too fast"})] * 2)
    with pytest.raises(EventsAPIError) as err:
        make(server, waits, retries=1).send(events.ALERT_PATH, {})
    assert "about 120 events a minute per integration key" in str(err.value)


def test_400_is_never_retried_and_the_key_never_shown(server, waits):
    errors = [f"routing key {KEY} is unknown", f"also {quote(KEY, safe='')}"]
    server.reply(400, {"status": "invalid event", "message": "Event object is invalid", "errors": errors})
    with pytest.raises(EventsAPIError) as err:
        make(server, waits).send(events.ALERT_PATH, {})
    assert len(server.requests) == 1
    assert waits == []
    text = str(err.value)
    assert KEY not in text
    assert text == ("PagerDuty Events API request POST /v2/enqueue failed with HTTP 400: Event object is invalid (invalid event): "
                    "routing key ******** is unknown; also ********")
    assert err.value.to_result()["pagerduty_error"]["errors"] == ["routing key ******** is unknown", "also ********"]


def test_a_lost_answer_is_retried(server, waits):
    server.replies.append("drop")
    server.reply(202, ACCEPTED)
    assert make(server, waits).send(events.ALERT_PATH, {"dedup_key": "k1"})[1] == 2
    assert [request["body"]["dedup_key"] for request in server.requests] == ["k1", "k1"]


def test_an_unreachable_host_reports_the_attempts_without_the_key(waits):
    client = EventsClient(KEY, events_url="http://127.0.0.1:9", retries=1, sleep=waits.append)
    with pytest.raises(PagerDutyError) as err:
        client.send(events.ALERT_PATH, {})
    assert "could not reach the PagerDuty Events API at http://127.0.0.1:9 (POST /v2/enqueue) after 2 attempt(s)" in str(err.value)
    assert KEY not in str(err.value)
    assert waits == [30]


def test_an_oversized_event_is_refused_before_sending(server, waits):
    with pytest.raises(PagerDutyError) as err:
        make(server, waits).send(events.ALERT_PATH, {"payload": {"custom_details": {"blob": "x" * events.BODY_MAX}}})
    assert "larger than the 512 KB" in str(err.value)
    assert server.requests == []
