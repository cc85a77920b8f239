# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A small client of PagerDuty's Events API v2 (alert and change events), beside the REST client.

Private to this collection: not an API for other collections.

The Events API is another API than REST: its own hosts (US and EU), a routing key (an integration's key)
in the body instead of a token, its own answers (``{"status", "message", "dedup_key"}``; errors with
``errors``) and its own limits. It shares with ``_client`` only the URL checks, TLS 1.2, the wait a server
asks for and the scrubbing of secrets. Retries follow PagerDuty's advice for this API: 429, 5xx and network
errors are retried after a pause (PagerDuty suggests 3 retries about 30 seconds apart); 400 never is.
"""

from __future__ import annotations

import json
import time

from urllib.parse import urlsplit

from ansible_collections.oncall.pagerduty.plugins.module_utils._client import (
    COLLECTION_VERSION,
    HAS_REQUESTS,
    MAX_TIMEOUT,
    PagerDutyAPIError,
    PagerDutyError,
    _make_transport,
    _server_wait_seconds,
    check_ca_path,
    check_number,
    error_texts,
    is_loopback_host,
    resolve_base_url,
    scrub_secrets,
    tls_advice,
)

try:
    import requests
except ImportError:  # reported by the module (HAS_REQUESTS)
    requests = None

EVENTS_URLS = {
    "us": "https://events.pagerduty.com",
    "eu": "https://events.eu.pagerduty.com",
}
ALERT_PATH = "/v2/enqueue"
CHANGE_PATH = "/v2/change/enqueue"
EVENT_ACTIONS = ("trigger", "acknowledge", "resolve")
SEVERITIES = ("critical", "error", "warning", "info")
ROUTING_KEY_LENGTH = 32
SUMMARY_MAX = 1024
DEDUP_KEY_MAX = 255
BODY_MAX = 512 * 1024  # bytes: the Events API refuses larger payloads
DEFAULT_RETRIES = 3
DEFAULT_RETRY_DELAY = 30.0
MAX_RETRIES = 10
MAX_RETRY_DELAY = 600.0


class EventsAPIError(PagerDutyAPIError):
    """The Events API answered with an error status."""

    api = "PagerDuty Events API"


def events_base_url(region="us", events_url=None):
    """The Events API's base URL: ``events_url`` when given (checked as the REST api_url is), else the region's host."""
    if events_url is not None:
        return resolve_base_url(region, events_url, option="events_url")
    if region not in EVENTS_URLS:
        raise PagerDutyError(f"region must be one of: {', '.join(sorted(EVENTS_URLS))}; got {region!r}")
    return EVENTS_URLS[region]


def check_routing_key(value, option="routing_key"):
    """The routing key without surrounding spaces; anything but 32 letters and digits is refused, never shown."""
    if not isinstance(value, str) or not value.strip():
        raise PagerDutyError(f"{option} is required: the integration key of an Events API v2 integration")
    value = value.strip()
    if len(value) != ROUTING_KEY_LENGTH or not value.isascii() or not value.isalnum():
        raise PagerDutyError(
            f"{option} must be the {ROUTING_KEY_LENGTH}-character integration key (letters and digits) of an Events API v2 "
            f"integration; the value given is not (it is not shown: it is a secret)")
    return value


class EventsClient:
    """Send events to one integration (its routing key) on one requests.Session."""

    def __init__(self, routing_key, region="us", events_url=None, validate_certs=True, ca_path=None, timeout=30,
                 retries=DEFAULT_RETRIES, retry_delay=DEFAULT_RETRY_DELAY, user_agent_extra=None, sleep=time.sleep):
        if not HAS_REQUESTS:
            raise PagerDutyError("the Python library 'requests' is required by oncall.pagerduty")
        self.routing_key = check_routing_key(routing_key)
        self.base_url = events_base_url(region, events_url)
        self.timeout = float(check_number("timeout", timeout, float, 0.001, MAX_TIMEOUT))
        self.retries = int(check_number("event_retries", retries, int, 0, MAX_RETRIES))
        self.retry_delay = float(check_number("event_retry_delay", retry_delay, float, 0, MAX_RETRY_DELAY))
        self._sleep = sleep
        ssl_context = check_ca_path(ca_path) if ca_path else None
        self.session = requests.Session()
        plain = self.base_url.lower().startswith("http://")
        if is_loopback_host(urlsplit(self.base_url).hostname):
            self.session.trust_env = False  # never through an environment proxy, never with .netrc credentials
        # No retries in the transport: this client retries itself, as PagerDuty advises for this API.
        adapter = _make_transport(validate_certs, ssl_context, 0, _NoCount(), tls=not plain)
        self.session.mount("https://" if not plain else "http://", adapter)
        self.verify = (ca_path or True) if validate_certs else False
        agent = f"oncall.pagerduty/{COLLECTION_VERSION} python-requests/{requests.__version__}"
        if user_agent_extra:
            agent += f" {user_agent_extra}"
        self.session.headers.update({"User-Agent": agent, "Content-Type": "application/json", "Accept": "application/json"})

    def url(self, path):
        return self.base_url + path

    def scrub(self, text):
        return scrub_secrets(text, [self.routing_key])

    def send(self, path, event):
        """POST ``event`` (without its routing key: added here) and return (the decoded answer, attempts).

        429, 5xx and network errors are retried up to ``retries`` times, ``retry_delay`` seconds apart (or as long
        as the answer's Retry-After says, within bounds); any other error status is raised at once."""
        data = json.dumps(dict(event, routing_key=self.routing_key))
        if len(data.encode("utf-8")) > BODY_MAX:
            raise PagerDutyError(f"the event is larger than the {BODY_MAX // 1024} KB the Events API accepts; shorten custom_details")
        attempts = 0
        while True:
            attempts += 1
            last = attempts > self.retries
            try:
                response = self.session.post(self.url(path), data=data, timeout=self.timeout, verify=self.verify)
            except requests.exceptions.SSLError as exc:
                raise PagerDutyError(self.scrub(f"TLS error talking to {self.base_url} (POST {path}): {exc}. {tls_advice(exc)}"))
            except requests.exceptions.RequestException as exc:
                if last:
                    raise PagerDutyError(self.scrub(
                        f"could not reach the PagerDuty Events API at {self.base_url} (POST {path}) after {attempts} attempt(s): {exc}"))
                self._sleep(self.retry_delay)
                continue
            status = response.status_code
            if 200 <= status < 300:
                return self._decode(response), attempts
            if (status == 429 or status >= 500) and not last:
                wait = _server_wait_seconds(response.headers, rate_limited=False)
                self._sleep(self.retry_delay if wait is None else max(wait, min(self.retry_delay, 1.0)))
                continue
            raise self._error(path, response, attempts)

    def _decode(self, response):
        try:
            body = response.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    def _error(self, path, response, attempts):
        body = self._decode(response)
        message = body.get("message") or response.reason or None
        status_text = body.get("status")
        if message and isinstance(status_text, str) and status_text and status_text != message:
            message = f"{message} ({status_text})"
        hint = None
        if response.status_code == 429:
            hint = ("PagerDuty takes about 120 events a minute per integration key; raise event_retries or event_retry_delay, "
                    "or spread the events over more integrations")
        return EventsAPIError(
            "POST", path, response.status_code,
            message=self.scrub(message) if message else None,
            errors=[self.scrub(text) for text in error_texts(body.get("errors"))],
            attempts=attempts, hint=hint)


class _NoCount:
    """The retry counter ``_make_transport`` wants; this client counts its attempts itself."""
