# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The client against the simulator: HTTPS with a private CA, auth, real 429s."""

from __future__ import annotations

import pytest

from ansible_collections.oncall.pagerduty.plugins.module_utils._client import (
    PagerDutyAPIError,
    PagerDutyClient,
    PagerDutyError,
)
from control import Simulator  # pylint: disable=import-error  # tests/simulator, on sys.path through tests/unit/conftest.py

pytest.importorskip("trustme", reason="trustme is needed for the simulator's test CA")


@pytest.fixture
def sim():
    with Simulator(tls=True, strict=True) as simulator:
        yield simulator


def test_https_with_private_ca(sim, monkeypatch):
    # requests would let this variable override a session's CA bundle; ca_path must win
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca-bundle.crt")
    sim.seed({"teams": [{"name": "TLS Team"}]})
    c = PagerDutyClient(api_token=sim.token, api_url=sim.url, ca_path=sim.ca_file)
    assert [t["name"] for t in c.list_all("/teams", "teams")] == ["TLS Team"]
    log = sim.requests()
    assert [(e["method"], e["path"], e["status"]) for e in log] == [("GET", "/teams", 200)]
    assert log[0]["spec_violations"] == []


def test_https_without_the_ca_fails_verification(sim):
    c = PagerDutyClient(api_token=sim.token, api_url=sim.url, max_retries=0)
    with pytest.raises(PagerDutyError) as err:
        c.get("/teams")
    assert f"TLS error talking to {sim.url} (GET /teams)" in str(err.value)
    assert "Check ca_path" in str(err.value)
    assert sim.token not in str(err.value)


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_validate_certs_false_accepts_the_test_ca(sim, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca-bundle.crt")
    c = PagerDutyClient(api_token=sim.token, api_url=sim.url, validate_certs=False)
    assert c.get("/teams")["teams"] == []


def test_oauth_bearer_token(sim):
    c = PagerDutyClient(api_token=sim.oauth_token, auth_type="bearer", api_url=sim.url, ca_path=sim.ca_file)
    assert c.post("/teams", {"team": {"type": "team", "name": "OAuth"}})["team"]["name"] == "OAuth"
    assert sim.requests()[-1]["headers"]["authorization"] == "Bearer " + sim.oauth_token


def test_wrong_token_and_read_only_token(sim):
    bad = PagerDutyClient(api_token="wrong-token-123", api_url=sim.url, ca_path=sim.ca_file)
    with pytest.raises(PagerDutyAPIError) as err:
        bad.get("/teams")
    assert err.value.status == 401
    assert "wrong-token-123" not in str(err.value)
    read_only = PagerDutyClient(api_token=sim.read_token, api_url=sim.url, ca_path=sim.ca_file)
    with pytest.raises(PagerDutyAPIError) as err:
        read_only.post("/teams", {"team": {"type": "team", "name": "Nope"}})
    assert err.value.status == 403
    assert [(e["method"], e["status"]) for e in sim.requests()] == [("GET", 401), ("POST", 403)]
    assert read_only.get("/teams")["teams"] == []


def test_rate_limited_get_is_retried_after_ratelimit_reset(sim, monkeypatch):
    waits = []
    import urllib3.util.retry as retry_module
    monkeypatch.setattr(retry_module.time, "sleep", waits.append)
    sim.fault(method="GET", path="/teams", status=429, count=2, headers={"ratelimit-reset": "2"})
    c = PagerDutyClient(api_token=sim.token, api_url=sim.url, ca_path=sim.ca_file)
    assert c.get("/teams")["teams"] == []
    assert [e["status"] for e in sim.requests()] == [429, 429, 200]
    assert waits == [2.0, 2.0]


def test_pagination_against_the_simulator(sim):
    sim.seed({"count_teams": 250})
    c = PagerDutyClient(api_token=sim.token, api_url=sim.url, ca_path=sim.ca_file)
    teams = c.list_all("/teams", "teams")
    assert len(teams) == 250
    assert [e["query"]["offset"] for e in sim.requests()] == [["0"], ["100"], ["200"]]


def test_a_bare_429_from_the_simulator_waits_then_succeeds(monkeypatch):
    import urllib3.util.retry as retry_module  # pylint: disable=import-outside-toplevel
    waits = []
    monkeypatch.setattr(retry_module.time, "sleep", waits.append)
    with Simulator() as plain:
        plain.fault(method="GET", path="/teams", status=429, bare=True)
        c = PagerDutyClient(api_token=plain.token, api_url=plain.url, max_retries=2)
        assert c.list_all("/teams", "teams") == []
        log = plain.requests()
        assert [entry["status"] for entry in log] == [429, 200]
    assert waits and waits[0] >= 1.0


@pytest.mark.parametrize("shape, message, errors", [
    ("string", "Invalid Input Provided", []),
    ("map", "Invalid Input Provided", ["base: Name has already been taken"]),
    ("empty", "Invalid Input Provided", []),
])
def test_every_error_body_shape_pagerduty_sends_reaches_the_user(sim, shape, message, errors):
    """PagerDuty's error body also comes as {"error": "<text>"}, with ``errors`` as a map of field to texts,
    and with an empty ``errors`` list: the client reports PagerDuty's own text for each."""
    sim.seed({"teams": [{"name": "Ops"}]})
    sim.fault(method="POST", path="/teams", shape=shape)
    c = PagerDutyClient(api_token=sim.token, api_url=sim.url, ca_path=sim.ca_file)
    with pytest.raises(PagerDutyAPIError) as caught:
        c.post("/teams", {"team": {"type": "team", "name": "Ops"}})
    error = caught.value
    assert (error.status, error.message, error.errors) == (400, message, errors)
    assert error.code == (None if shape == "string" else 2001)
    assert str(error).startswith(f"PagerDuty API request POST /teams failed with HTTP 400: {message}")
    assert sim.requests()[-1]["status"] == 400
