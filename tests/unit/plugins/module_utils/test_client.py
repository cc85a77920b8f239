# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import os
import ssl
from urllib.parse import quote

import pytest

from ansible_collections.oncall.pagerduty.plugins.module_utils import _client as client_module
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import (
    PagerDutyAPIError,
    PagerDutyClient,
    PagerDutyError,
)

TOKEN = "u+SECRETtokenVALUE"


def make(server, **kwargs):
    kwargs.setdefault("api_token", TOKEN)
    kwargs.setdefault("max_retries", 3)
    return PagerDutyClient(api_url=server.url, **kwargs)


# -- headers and authentication -------------------------------------------------


def test_read_request_headers(server):
    server.reply(200, {"teams": []})
    make(server).get("/teams", params={"query": "ops"})
    req = server.requests[0]
    assert req["method"] == "GET"
    assert req["path"] == "/teams"
    assert req["query"] == {"query": ["ops"]}
    assert req["headers"]["accept"] == "application/vnd.pagerduty+json;version=2"
    assert req["headers"]["authorization"] == "Token token=" + TOKEN
    assert req["headers"]["user-agent"].startswith(f"oncall.pagerduty/{client_module.COLLECTION_VERSION} ")
    assert "content-type" not in req["headers"]
    assert "from" not in req["headers"]


def test_write_headers_carry_content_type_and_from(server):
    server.reply(201, {"team": {"id": "PABC123"}})
    body = make(server, from_email="ops@example.com").post("/teams", {"team": {"type": "team", "name": "A"}})
    req = server.requests[0]
    assert body == {"team": {"id": "PABC123"}}
    assert req["headers"]["content-type"] == "application/json"
    assert req["headers"]["from"] == "ops@example.com"
    assert req["body"] == {"team": {"type": "team", "name": "A"}}


def test_from_not_sent_on_reads_even_when_set(server):
    server.reply(200, {"teams": []})
    make(server, from_email="ops@example.com").get("/teams")
    assert "from" not in server.requests[0]["headers"]


def test_delete_sends_from_but_no_content_type(server):
    server.reply(204, None)
    assert make(server, from_email="ops@example.com").delete("/teams/PABC123") is None
    req = server.requests[0]
    assert req["method"] == "DELETE"
    assert req["headers"]["from"] == "ops@example.com"
    assert "content-type" not in req["headers"]


def test_bearer_auth(server):
    server.reply(200, {})
    make(server, auth_type="bearer").get("/teams")
    assert server.requests[0]["headers"]["authorization"] == "Bearer " + TOKEN


@pytest.mark.parametrize("kwargs, message", [
    (dict(auth_type="basic"), "auth_type must be one of: token, bearer, client_credentials; got 'basic'"),
    (dict(api_token=""), "api_token is required: set the api_token option or the PAGERDUTY_API_TOKEN environment variable"),
    (dict(api_token=None), "api_token is required"),
    (dict(api_url="http://api.example.com"), "uses plain http://, which is only allowed for loopback hosts"),
    (dict(api_url="ftp://127.0.0.1"), "api_url must be an absolute http(s) URL"),
    (dict(region="ap"), "region must be one of: eu, us; got 'ap'"),
    (dict(max_retries=-1), "max_retries must be a number from 0 to 20, got -1"),
    (dict(timeout=0), "timeout must be a number from 0.001 to 3600, got 0"),
])
def test_bad_configuration_is_refused(kwargs, message):
    options = dict(api_token=TOKEN)
    options.update(kwargs)
    with pytest.raises(PagerDutyError) as err:
        PagerDutyClient(**options)
    assert message in str(err.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:99", "https://api.example.com"])
def test_allowed_urls(url):
    assert PagerDutyClient(api_token=TOKEN, api_url=url).base_url == url


@pytest.mark.parametrize("region, url", [("us", "https://api.pagerduty.com"), ("eu", "https://api.eu.pagerduty.com")])
def test_regions(region, url):
    assert PagerDutyClient(api_token=TOKEN, region=region).base_url == url


def test_api_url_overrides_region():
    assert PagerDutyClient(api_token=TOKEN, region="eu", api_url="https://proxy.example.com/pd/").base_url == "https://proxy.example.com/pd"


# -- TLS ------------------------------------------------------------------------------


def test_tls_minimum_is_1_2():
    adapter = PagerDutyClient(api_token=TOKEN).session.get_adapter("https://api.pagerduty.com")
    assert adapter.ssl_context.minimum_version == ssl.TLSVersion.TLSv1_2
    assert adapter.ssl_context.verify_mode == ssl.CERT_REQUIRED
    assert adapter.ssl_context.check_hostname is True
    assert adapter.poolmanager.connection_pool_kw["ssl_context"] is adapter.ssl_context


def test_validate_certs_off():
    c = PagerDutyClient(api_token=TOKEN, validate_certs=False)
    adapter = c.session.get_adapter("https://api.pagerduty.com")
    assert adapter.ssl_context.verify_mode == ssl.CERT_NONE
    assert adapter.ssl_context.minimum_version == ssl.TLSVersion.TLSv1_2
    assert c.session.verify is False


def test_proxy_manager_keeps_tls_context():
    adapter = PagerDutyClient(api_token=TOKEN).session.get_adapter("https://api.pagerduty.com")
    manager = adapter.proxy_manager_for("http://127.0.0.1:3128")
    assert manager.connection_pool_kw["ssl_context"] is adapter.ssl_context


# -- retries -------------------------------------------------------------------------


def test_429_waits_for_ratelimit_reset(server, sleeps):
    server.reply(429, {"error": {"message": "Rate Limit Exceeded", "code": 2020}}, {"ratelimit-reset": "7"})
    server.reply(200, {"teams": []})
    assert make(server).get("/teams") == {"teams": []}
    assert len(server.requests) == 2
    assert sleeps == [7.0]


def test_429_falls_back_to_retry_after(server, sleeps):
    server.reply(429, None, {"Retry-After": "3"})
    server.reply(200, {})
    make(server).get("/teams")
    assert sleeps == [3.0]


def test_server_wait_is_bounded(server, sleeps):
    server.reply(429, None, {"ratelimit-reset": "86400"})
    server.reply(200, {})
    make(server).get("/teams")
    assert sleeps == [client_module.MAX_SERVER_WAIT]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_retried_with_backoff(server, sleeps, status):
    server.reply(status, {"error": {"message": "boom"}})
    server.reply(status, {"error": {"message": "boom"}})
    server.reply(200, {"ok": 1})
    assert make(server).get("/teams") == {"ok": 1}
    assert len(server.requests) == 3
    assert len(sleeps) >= 1  # exponential backoff between attempts (the first retry may be immediate)


def test_retries_are_bounded_and_counted(server, sleeps):
    server.replies.extend([(503, {}, {"error": {"message": "Service Unavailable", "code": 0}})] * 10)
    with pytest.raises(PagerDutyAPIError) as err:
        make(server, max_retries=2).get("/teams")
    assert len(server.requests) == 3
    assert err.value.status == 503
    assert err.value.attempts == 3
    assert "(after 3 attempts)" in str(err.value)


def test_post_429_is_retried(server, sleeps):
    server.reply(429, None, {"ratelimit-reset": "1"})
    server.reply(201, {"team": {"id": "PNEW001"}})
    assert make(server).post("/teams", {"team": {"name": "x"}}) == {"team": {"id": "PNEW001"}}
    assert [r["method"] for r in server.requests] == ["POST", "POST"]


def test_post_5xx_is_not_blindly_resent(server, sleeps):
    server.reply(502, {"error": {"message": "Bad Gateway"}})
    server.reply(201, {"team": {"id": "PDUP001"}})
    with pytest.raises(PagerDutyAPIError) as err:
        make(server).post("/teams", {"team": {"name": "x"}})
    assert err.value.status == 502
    assert len(server.requests) == 1


def test_post_dropped_connection_is_not_resent(server, sleeps):
    server.replies.append("drop")
    server.reply(201, {"team": {"id": "PDUP001"}})
    with pytest.raises(PagerDutyError) as err:
        make(server).post("/teams", {"team": {"name": "x"}})
    assert "may have been applied" in str(err.value)
    assert len(server.requests) == 1


def test_get_dropped_connection_is_retried(server, sleeps):
    server.replies.append("drop")
    server.reply(200, {"teams": []})
    assert make(server).get("/teams") == {"teams": []}
    assert len(server.requests) == 2


def test_put_is_retried_on_503(server, sleeps):
    server.reply(503, None)
    server.reply(200, {"team": {"id": "P1"}})
    make(server).put("/teams/P1", {"team": {}})
    assert [r["method"] for r in server.requests] == ["PUT", "PUT"]


def test_zero_retries(server, sleeps):
    server.reply(500, None)
    with pytest.raises(PagerDutyAPIError):
        make(server, max_retries=0).get("/teams")
    assert len(server.requests) == 1


def test_connection_refused_reports_attempts(sleeps):
    c = PagerDutyClient(api_token=TOKEN, api_url="http://127.0.0.1:9", max_retries=2)
    with pytest.raises(PagerDutyError) as err:
        c.get("/teams")
    assert "could not reach PagerDuty at http://127.0.0.1:9 (GET /teams) after 3 attempt(s)" in str(err.value)


# -- pagination ------------------------------------------------------------------------


def page(items, offset, more):
    return {"teams": items, "limit": 100, "offset": offset, "more": more, "total": None}


def test_pagination_follows_more(server):
    server.reply(200, page([{"id": f"P{int(i):06}"} for i in range(100)], 0, True))
    server.reply(200, page([{"id": "PLAST01"}], 100, False))
    items = make(server).list_all("/teams", "teams", {"query": "x"})
    assert len(items) == 101
    assert [r["query"] for r in server.requests] == [
        {"query": ["x"], "limit": ["100"], "offset": ["0"]},
        {"query": ["x"], "limit": ["100"], "offset": ["100"]},
    ]


def test_pagination_stops_on_empty_page(server):
    server.reply(200, page([], 0, True))
    assert make(server).list_all("/teams", "teams") == []
    assert len(server.requests) == 1


def test_pagination_offset_cap_is_a_clear_error(server):
    def full_page(request):
        offset = int(request["query"]["offset"][0])
        return 200, {}, page([{"id": f"P{int(offset + i):06}"} for i in range(100)], offset, True)

    server.default = (200, {}, None)
    server.replies.extend([full_page] * 100)
    with pytest.raises(PagerDutyError) as err:
        make(server).list_all("/teams", "teams")
    assert len(server.requests) == 100  # offsets 0..9900: the last page the API allows
    assert server.requests[-1]["query"]["offset"] == ["9900"]
    assert "more than 10000 teams" in str(err.value)
    assert "narrow the request" in str(err.value)


# -- errors --------------------------------------------------------------------------------


def test_error_carries_pagerduty_details(server):
    server.reply(400, {"error": {"message": "Invalid Input Provided", "code": 2001, "errors": ["Name has already been taken"]}})
    with pytest.raises(PagerDutyAPIError) as err:
        make(server).post("/teams", {"team": {"name": "A"}})
    e = err.value
    assert (e.method, e.path, e.status, e.code, e.message, e.errors) == (
        "POST", "/teams", 400, 2001, "Invalid Input Provided", ["Name has already been taken"])
    assert str(e) == ("PagerDuty API request POST /teams failed with HTTP 400: Invalid Input Provided "
                      "(error code 2001): Name has already been taken")
    assert e.to_result() == {
        "status": 400,
        "request": {"method": "POST", "path": "/teams"},
        "pagerduty_error": {"code": 2001, "message": "Invalid Input Provided", "errors": ["Name has already been taken"]},
    }


def test_error_without_json_body(server):
    server.reply(404, None)
    with pytest.raises(PagerDutyAPIError) as err:
        make(server).get("/teams/PNOPE00")
    assert err.value.status == 404
    assert err.value.message == "Not Found"


def test_401_mentions_region_for_the_default_urls():
    c = PagerDutyClient(api_token=TOKEN, region="us")
    assert "region (us)" in c._hint_for(401)
    assert "region: eu" in c._hint_for(401)


def test_401_and_403_messages(server):
    server.reply(401, {"error": {"message": "Unauthorized", "code": 2006}})
    with pytest.raises(PagerDutyAPIError) as err:
        make(server).get("/teams")
    assert "HTTP 401: Unauthorized (error code 2006). Check api_token and auth_type" in str(err.value)
    server.reply(403, {"error": {"message": "Forbidden", "code": 2010}})
    with pytest.raises(PagerDutyAPIError) as err:
        make(server).delete("/teams/P1")
    assert "read-only API key" in str(err.value)


def test_token_never_in_messages(server):
    server.reply(400, {"error": {"message": f"bad token {TOKEN}", "code": 1, "errors": ["echo " + TOKEN]}})
    with pytest.raises(PagerDutyAPIError) as err:
        make(server).get("/teams")
    assert TOKEN not in str(err.value)
    assert TOKEN not in repr(err.value.to_result())
    assert "********" in str(err.value)


def test_token_scrubbed_from_connection_errors(sleeps):
    c = PagerDutyClient(api_token="127.0.0.1", api_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(PagerDutyError) as err:
        c.get("/teams")
    assert "127.0.0.1" not in str(err.value)


def test_non_json_success_is_an_error(server):
    server.reply(200, b"<html>proxy login</html>")
    with pytest.raises(PagerDutyError) as err:
        make(server).get("/teams")
    assert str(err.value) == "PagerDuty returned a response that is not JSON for GET /teams (HTTP 200)"


def test_collection_version_matches_galaxy_yml():
    galaxy = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "galaxy.yml")
    with open(galaxy) as handle:
        versions = [line.split(":", 1)[1].strip() for line in handle if line.startswith("version:")]
    assert versions == [client_module.COLLECTION_VERSION]


# -- options are checked before any request, and secrets never echoed ---------------------------


def forms_of(secret):
    """Every way a secret could be shown: as is, repr, escaped, URL-encoded, stripped."""
    return {secret, repr(secret), repr(secret)[1:-1], secret.encode("unicode_escape").decode(), quote(secret, safe=""),
            quote(secret), secret.strip()}


def test_surrounding_whitespace_is_stripped_from_the_token(server):
    server.reply(200, {"teams": []})
    make(server, api_token=f"  {TOKEN}\n").get("/teams")
    assert server.requests[0]["headers"]["authorization"] == f"Token token={TOKEN}"


@pytest.mark.parametrize("token", [f"{TOKEN}\nX", f"{TOKEN}\x00", f"{TOKEN} more", f"{TOKEN}\u00e9", f"{TOKEN[:3]}\u2028{TOKEN[3:]}", f"{TOKEN}\x7f"])
def test_a_token_that_cannot_go_in_a_header_is_refused_unseen(server, token):
    with pytest.raises(PagerDutyError) as err:
        make(server, api_token=token)
    text = f"{err.value}"
    assert text.startswith("api_token holds a character that cannot be sent in an HTTP header")
    assert not any(form in text for form in forms_of(token) | forms_of(TOKEN))
    assert server.requests == []


@pytest.mark.parametrize("url", ["", "   "])
def test_an_empty_api_url_is_refused_not_production(url):
    with pytest.raises(PagerDutyError, match=r"^api_url is empty; leave it unset \(omit\) to use region"):
        PagerDutyClient(api_token=TOKEN, api_url=url)


def test_a_password_in_api_url_is_refused_and_never_echoed():
    with pytest.raises(PagerDutyError) as err:
        PagerDutyClient(api_token=TOKEN, api_url="https://admin:s3cr%40t-pw@api.example.com")
    assert "api_url must not hold a user name or password" in f"{err.value}"
    assert "s3cr" not in f"{err.value}" and "admin" not in f"{err.value}"


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:99999", "https://", "https://api.example.com/?x=1", "api.pagerduty.com"])
def test_a_malformed_api_url_is_a_clean_error(url):
    with pytest.raises(PagerDutyError, match="^api_url must be an absolute http"):
        PagerDutyClient(api_token=TOKEN, api_url=url)


@pytest.mark.parametrize("name, value", [
    ("timeout", float("inf")), ("timeout", float("nan")), ("timeout", 0), ("timeout", -1), ("timeout", 1e12), ("timeout", "soon"),
    ("max_retries", -1), ("max_retries", 10 ** 6), ("max_retries", True), ("max_retries", "many"),
])
def test_numeric_options_are_bounded(name, value):
    with pytest.raises(PagerDutyError, match=f"^{name} must be a number from "):
        PagerDutyClient(api_token=TOKEN, **{name: value})


def test_ca_path_must_be_a_pem_file(tmp_path):
    not_pem = tmp_path / "ca.txt"
    not_pem.write_text("this is not a certificate\n")
    with pytest.raises(PagerDutyError, match="is not a file: give a PEM file of CA certificates"):
        PagerDutyClient(api_token=TOKEN, ca_path=str(tmp_path / "missing.pem"))
    with pytest.raises(PagerDutyError, match="is not a file"):
        PagerDutyClient(api_token=TOKEN, ca_path=str(tmp_path))
    with pytest.raises(PagerDutyError, match="holds no CA certificate in PEM format"):
        PagerDutyClient(api_token=TOKEN, ca_path=str(not_pem))


def test_loopback_never_goes_through_an_environment_proxy(server, another_server, monkeypatch):
    proxy = another_server
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy.url)
    server.reply(200, {"teams": []})
    make(server).get("/teams")
    assert len(server.requests) == 1 and proxy.requests == []


def test_remote_hosts_still_honour_the_environment():
    assert PagerDutyClient(api_token=TOKEN).session.trust_env is True
    assert PagerDutyClient(api_token=TOKEN, api_url="http://127.0.0.1:9").session.trust_env is False


# -- retries: what the server asks for, and when ----------------------------------------------


def test_ratelimit_reset_is_only_honoured_on_429(server, sleeps):
    server.reply(503, None, {"ratelimit-reset": "30"})
    server.reply(200, {"teams": []})
    make(server).get("/teams")
    assert len(server.requests) == 2
    assert 30 not in sleeps and 30.0 not in sleeps


def test_a_429_without_headers_is_not_retried_at_once(server, sleeps):
    server.reply(429, None)
    server.reply(200, {"teams": []})
    make(server).get("/teams")
    assert len(server.requests) == 2
    assert sleeps and sleeps[0] >= 1.0


def test_a_post_dropped_after_it_was_sent_may_have_been_applied(server, sleeps):
    server.replies.append("drop")
    with pytest.raises(PagerDutyError) as err:
        make(server).post("/teams", {"team": {"name": "x"}})
    assert "was lost after POST /teams was sent, so it may have been applied" in f"{err.value}"
    assert "could not reach" not in f"{err.value}"


def test_a_retried_delete_that_finds_the_object_gone_succeeds(server, sleeps):
    server.replies.append("drop")  # the first DELETE was applied, its answer lost
    server.reply(404, {"error": {"code": 2100, "message": "Not Found"}})
    assert make(server).delete("/teams/P1") is None
    assert [r["method"] for r in server.requests] == ["DELETE", "DELETE"]


def test_a_first_delete_404_is_still_an_error(server):
    server.reply(404, {"error": {"code": 2100, "message": "Not Found"}})
    with pytest.raises(PagerDutyAPIError):
        make(server).delete("/teams/P1")


@pytest.mark.parametrize("message, advice", [
    ("[SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version", "does not offer TLS 1.2 or newer"),
    ("[SSL: UNSUPPORTED_PROTOCOL] unsupported protocol", "does not offer TLS 1.2 or newer"),
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed", "Check ca_path"),
])
def test_tls_advice(message, advice):
    assert advice in client_module.tls_advice(Exception(message))


# -- PagerDuty's other error shapes ----------------------------------------------------------


@pytest.mark.parametrize("body, expected", [
    ({"error": "Rate limit reached"}, "failed with HTTP 400: Rate limit reached"),
    ({"error": {"code": 2001, "message": "Invalid Input Provided", "errors": {"name": ["has already been taken"]}}},
     "Invalid Input Provided (error code 2001): name: has already been taken"),
    ({"error": {"code": 2001, "message": "Invalid Input Provided", "errors": []}}, "Invalid Input Provided (error code 2001)"),
    ({"errors": ["Team not found"]}, ": Team not found"),
])
def test_error_bodies_in_every_shape_keep_pagerdutys_text(server, body, expected):
    server.reply(400, body)
    with pytest.raises(PagerDutyAPIError) as err:
        make(server).get("/teams")
    assert expected in f"{err.value}"


# -- scoped OAuth (client credentials) ------------------------------------------------------------


SECRET = "app-s3cret+value/=="


def oauth(server, token_server, **kwargs):
    kwargs.setdefault("oauth_client_id", "client-1")
    kwargs.setdefault("oauth_client_secret", SECRET)
    kwargs.setdefault("oauth_scopes", ["teams.read", "teams.write"])
    kwargs.setdefault("oauth_subdomain", "acme")
    return PagerDutyClient(api_url=server.url, auth_type="client_credentials", oauth_token_url=f"{token_server.url}/oauth/token",
                           max_retries=0, **kwargs)


def issue(token_server, token, expires_in=2592000):
    token_server.reply(200, {"access_token": token, "scope": "as_account-us.acme teams.read teams.write", "token_type": "bearer",
                             "expires_in": expires_in})


def test_the_app_token_is_asked_for_once_and_sent_as_bearer(server, another_server):
    issue(another_server, "pdus+_first")
    for _reply in range(3):
        server.reply(200, {"teams": []})
    client = oauth(server, another_server)
    assert another_server.requests == []  # nothing is asked for before the first request
    for _request in range(3):
        client.get("/teams")
    assert len(another_server.requests) == 1
    asked = another_server.requests[0]
    assert (asked["method"], asked["path"]) == ("POST", "/oauth/token")
    assert asked["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert "authorization" not in asked["headers"]
    assert asked["body"] == {"grant_type": "client_credentials", "client_id": "client-1", "client_secret": SECRET,
                             "scope": "as_account-us.acme teams.read teams.write"}
    assert [r["headers"]["authorization"] for r in server.requests] == ["Bearer pdus+_first"] * 3


def test_scopes_from_one_string_and_the_eu_region(server, another_server):
    issue(another_server, "pdus+_eu")
    server.reply(200, {"teams": []})
    oauth(server, another_server, oauth_scopes=["services.read services.write"], region="eu").get("/teams")
    assert another_server.requests[0]["body"]["scope"] == "as_account-eu.acme services.read services.write"


def test_an_expired_token_is_renewed_once(server, another_server):
    issue(another_server, "pdus+_old")
    issue(another_server, "pdus+_new")
    server.reply(401, {"error": {"code": 2006, "message": "Authentication failed"}})
    server.reply(200, {"teams": []})
    oauth(server, another_server).get("/teams")
    assert [r["headers"]["authorization"] for r in server.requests] == ["Bearer pdus+_old", "Bearer pdus+_new"]
    assert len(another_server.requests) == 2


def test_a_token_about_to_expire_is_not_used(server, another_server):
    issue(another_server, "pdus+_short", expires_in=30)
    issue(another_server, "pdus+_next", expires_in=30)
    server.reply(200, {"teams": []})
    server.reply(200, {"teams": []})
    client = oauth(server, another_server)
    client.get("/teams")
    client.get("/teams")
    assert [r["headers"]["authorization"] for r in server.requests] == ["Bearer pdus+_short", "Bearer pdus+_next"]


def test_clients_of_one_run_share_the_token(server, another_server):
    issue(another_server, "pdus+_shared")
    for _reply in range(2):
        server.reply(200, {"teams": []})
    first = oauth(server, another_server)
    second = PagerDutyClient(api_url=server.url, auth_type="client_credentials", token_source=first.token_source)
    first.get("/teams")
    second.get("/teams")
    assert len(another_server.requests) == 1


def test_a_refused_token_request_names_the_options_and_hides_the_secret(server, another_server):
    another_server.reply(401, {"error": "invalid_client", "error_description": f"bad client secret {SECRET}"})
    with pytest.raises(PagerDutyError) as err:
        oauth(server, another_server).get("/teams")
    text = f"{err.value}"
    assert "HTTP 401: invalid_client" in text and "Check oauth_client_id, oauth_client_secret" in text
    assert not any(form in text for form in forms_of(SECRET))
    assert server.requests == []


@pytest.mark.parametrize("missing, message", [
    ("oauth_client_id", "oauth_client_id is required with auth_type=client_credentials"),
    ("oauth_client_secret", "oauth_client_secret is required with auth_type=client_credentials"),
    ("oauth_subdomain", "oauth_subdomain is required with auth_type=client_credentials"),
    ("oauth_scopes", "oauth_scopes is required with auth_type=client_credentials"),
])
def test_client_credentials_need_every_option(server, another_server, missing, message):
    with pytest.raises(PagerDutyError, match=f"^{message}"):
        oauth(server, another_server, **{missing: None})


def test_the_access_token_never_reaches_a_message(server, another_server):
    issue(another_server, "pdus+_leaky")
    server.reply(400, {"error": {"code": 2001, "message": "Invalid Input Provided", "errors": ["token pdus+_leaky was used"]}})
    with pytest.raises(PagerDutyAPIError) as err:
        oauth(server, another_server).post("/teams", {"team": {}})
    assert "pdus+_leaky" not in f"{err.value}" and "pdus%2B_leaky" not in f"{err.value}"


def test_a_plain_http_endpoint_builds_no_ssl_context_until_an_https_url_is_used(monkeypatch):
    """Building an SSL context loads the CA store (about 20 ms a task): a loopback http endpoint needs none."""
    built = []
    real = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda *a, **kw: built.append(1) or real(*a, **kw))
    c = PagerDutyClient(api_token=TOKEN, api_url="http://127.0.0.1:9")
    assert c.session.get_adapter("http://127.0.0.1:9").ssl_context is None
    assert built == []
    lazy = c.session.get_adapter("https://identity.pagerduty.com/oauth/token")
    with pytest.raises(Exception):
        c.session.get("https://127.0.0.1:9/unreachable", timeout=0.5)  # an https URL builds the TLS adapter
    assert built == [1]
    assert lazy.adapter.ssl_context.minimum_version == ssl.TLSVersion.TLSv1_2
    assert PagerDutyClient(api_token=TOKEN).session.get_adapter("https://api.pagerduty.com").ssl_context is not None
    assert len(built) == 2
