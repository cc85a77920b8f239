# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one PagerDuty REST API v2 client shared by every module and plugin (private: not an API for other collections).

It never calls ``fail_json``: every problem is raised as :class:`PagerDutyError`
(or its subclass :class:`PagerDutyAPIError`), so modules, the inventory plugin
and the lookups can all use it unchanged.
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
import ssl
import threading
import time
import traceback

from urllib.parse import quote, urlsplit

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3 import exceptions as urllib3_exceptions
    from urllib3.util.retry import Retry
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

COLLECTION_VERSION = "0.1.0"

API_URLS = {
    "us": "https://api.pagerduty.com",
    "eu": "https://api.eu.pagerduty.com",
}
AUTH_TYPES = ("token", "bearer", "client_credentials")
# Scoped OAuth: where an app exchanges its client credentials for an access token (US and EU accounts alike;
# the account and its region are named in the as_account- scope).
OAUTH_TOKEN_URL = "https://identity.pagerduty.com/oauth/token"
# A token is renewed this long before PagerDuty says it expires.
TOKEN_MARGIN = 60.0
ACCEPT = "application/vnd.pagerduty+json;version=2"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
RETRY_STATUSES = (429, 500, 502, 503, 504)
# PagerDuty's error code for a write that needs the From header (an account API token must name who acts).
FROM_REQUIRED_CODE = 2016

# PagerDuty's classic pagination: at most 100 items a page, and the API refuses
# any request where offset + limit exceeds 10000.
PAGE_LIMIT = 100
OFFSET_CAP = 10000

# The connection options' defaults. The argument spec (_connection) and the doc fragment
# (plugins/doc_fragments/connection.py, checked by a unit test) take them from here.
DEFAULTS = {
    "auth_type": "token",
    "region": "us",
    "validate_certs": True,
    "timeout": 30,
    "max_retries": 5,
}

# Upper bound for one wait asked for by the server (ratelimit-reset/Retry-After).
MAX_SERVER_WAIT = 60.0
# A 429 that says nothing of when to come back: wait at least this long (then back off).
MIN_RATE_LIMIT_WAIT = 1.0
# Bounds of the numeric connection options.
MAX_TIMEOUT = 3600.0
MAX_RETRIES_CAP = 20
# What a token may hold: printable ASCII without spaces (what can go in an HTTP header as is).
TOKEN_CHARACTERS = frozenset(chr(code) for code in range(0x21, 0x7F))
LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


class PagerDutyError(Exception):
    """A problem talking to PagerDuty: configuration, connection or API error."""

    def to_result(self):
        """Extra keys for a module's failure result."""
        return {}


class PagerDutyAPIError(PagerDutyError):
    """PagerDuty answered a request with an error status."""

    api = "PagerDuty API"  # which API answered, as the message names it

    def __init__(self, method, path, status, code=None, message=None, errors=None, attempts=1, hint=None):
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.message = message
        self.errors = list(errors or [])
        self.attempts = attempts
        self.hint = hint
        super().__init__(self._describe())

    def _describe(self):
        text = f"{self.api} request {self.method} {self.path} failed with HTTP {self.status}"
        if self.message:
            text += f": {self.message}"
        if self.code is not None:
            text += f" (error code {self.code})"
        if self.errors:
            text += f": {'; '.join(str(e) for e in self.errors)}"
        if self.attempts > 1:
            text += f" (after {int(self.attempts)} attempts)"
        if self.hint:
            text += f". {self.hint}"
        return text

    def add_hint(self, hint):
        """Give the error advice about its cause; returns the error for raising."""
        self.hint = hint
        self.args = (self._describe(),)
        return self

    def to_result(self):
        return {
            "status": self.status,
            "request": {"method": self.method, "path": self.path},
            "pagerduty_error": {"code": self.code, "message": self.message, "errors": self.errors},
        }


def is_loopback_host(host):
    if not host:
        return False
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve_base_url(region="us", api_url=None, option="api_url"):
    """Return the API base URL; plain http is refused unless the host is loopback.

    The URL is never echoed with a user name or password in it: such a URL is refused.
    An empty api_url is refused too (it would otherwise fall back to the production API).
    """
    if api_url is not None:
        if not isinstance(api_url, str) or not api_url.strip():
            default = "region" if option == "api_url" else "the default"
            raise PagerDutyError(f"{option} is empty; leave it unset (omit) to use {default}, or give a URL")
        api_url = api_url.strip()
        try:
            parts = urlsplit(api_url)
            parts.port  # pylint: disable=pointless-statement  # raises ValueError on a bad port
        except ValueError:
            parts = None
        if parts is not None and (parts.username is not None or parts.password is not None):
            raise PagerDutyError(f"{option} must not hold a user name or password (user:password@host)")
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise PagerDutyError(f"{option} must be an absolute http(s) URL such as https://api.pagerduty.com, got {api_url!r}")
        if parts.scheme == "http" and not is_loopback_host(parts.hostname):
            raise PagerDutyError(
                f"{option} {api_url} uses plain http://, which is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https://")
        return api_url.rstrip("/")
    if region not in API_URLS:
        raise PagerDutyError(f"region must be one of: {', '.join(sorted(API_URLS))}; got {region!r}")
    return API_URLS[region]


def sendable(value, missing, unsendable):
    """A credential stripped of surrounding whitespace; a missing one, or one that cannot go in a request
    as is (anything but printable ASCII without spaces), is refused with the given message, never shown."""
    if not isinstance(value, str) or not value.strip():
        raise PagerDutyError(missing)
    value = value.strip()
    if not set(value) <= TOKEN_CHARACTERS:
        raise PagerDutyError(unsendable)
    return value


def check_token(api_token):
    return sendable(
        api_token, "api_token is required: set the api_token option or the PAGERDUTY_API_TOKEN environment variable",
        "api_token holds a character that cannot be sent in an HTTP header (a control character, a space or a "
        "non-ASCII character); check how the token is stored (for example a vault value or variable with a newline inside)")


def check_header_value(name, value):
    return sendable(value, f"{name} is required with auth_type=client_credentials",
                    f"{name} holds a character that cannot be sent (a control character, a space or a non-ASCII character)")


class TokenSource:
    """Scoped OAuth (client credentials): an app access token from PagerDuty's identity service.

    The token is asked for at the first request, kept while it is valid and asked for again when
    it expires (or when PagerDuty answers 401). One source serves every client of one module,
    inventory or lookup run, so the run asks once.
    """

    def __init__(self, client_id, client_secret, scopes, subdomain, region, token_url=None):
        self.client_id = check_header_value("oauth_client_id", client_id)
        self._secret = check_header_value("oauth_client_secret", client_secret)
        subdomain = check_header_value("oauth_subdomain", subdomain)
        if region not in API_URLS:
            raise PagerDutyError(f"region must be one of: {', '.join(sorted(API_URLS))}; got {region!r}")
        wanted = [scope for item in scopes or [] for scope in f"{item}".split()]
        if not wanted:
            raise PagerDutyError("oauth_scopes is required with auth_type=client_credentials: the scopes the app may use, such as teams.read teams.write")
        self.scope = " ".join([f"as_account-{region}.{subdomain}"] + wanted)
        self.token_url = resolve_base_url(region, token_url or OAUTH_TOKEN_URL, option="oauth_token_url")
        self._lock = threading.Lock()
        self._token = None
        self._expires = 0.0

    def secrets(self):
        return [value for value in (self._secret, self._token) if value]

    def token(self, session, verify, timeout, renew=False):
        with self._lock:
            if renew or self._token is None or time.monotonic() >= self._expires:
                self._fetch(session, verify, timeout)
            return self._token

    def _fetch(self, session, verify, timeout):
        form = {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self._secret, "scope": self.scope}
        where = f"the OAuth token request to {self.token_url}"
        try:
            response = session.post(self.token_url, data=form, headers={"Accept": "application/json", "Authorization": None},
                                    timeout=timeout, verify=verify)
            body = response.json() if response.content else {}
        except requests.exceptions.RequestException as exc:
            raise PagerDutyError(f"{where} failed: {exc}")
        except ValueError:
            body = {}
        if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
            reason = " ".join(f"{body.get(key)}" for key in ("error", "error_description") if isinstance(body, dict) and body.get(key))
            raise PagerDutyError(f"{where} failed with HTTP {response.status_code}: {reason or response.reason}. "
                                 "Check oauth_client_id, oauth_client_secret, oauth_subdomain, region and oauth_scopes")
        token = f"{body['access_token']}"
        if not set(token) <= TOKEN_CHARACTERS:
            raise PagerDutyError(f"{where} answered a token that cannot be sent in a header")
        try:
            lifetime = float(body.get("expires_in") or 3600)
        except (TypeError, ValueError):
            lifetime = 3600.0
        self._token = token
        self._expires = time.monotonic() + max(0.0, lifetime - TOKEN_MARGIN)


def check_number(name, value, kind, low, high):
    """A numeric connection option as int or float within [low, high]; anything else is refused naming it."""
    try:
        number = kind(value)
    except (TypeError, ValueError, OverflowError):
        number = None
    if number is None or isinstance(value, bool) or not math.isfinite(number) or not low <= number <= high:
        raise PagerDutyError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    return number


def check_ca_path(ca_path):
    """An SSL context that trusts the CA certificates of ca_path, or a clear error naming it."""
    if not os.path.isfile(ca_path):
        raise PagerDutyError(f"ca_path {ca_path!r} is not a file: give a PEM file of CA certificates")
    try:
        return ssl.create_default_context(cafile=ca_path)
    except (ssl.SSLError, OSError, ValueError) as exc:
        raise PagerDutyError(f"ca_path {ca_path!r} holds no CA certificate in PEM format that can be loaded ({exc})")


def _server_wait_seconds(headers, rate_limited=True):
    """Seconds the server asked us to wait: ratelimit-reset (on a 429 only) or Retry-After."""
    for name in ("ratelimit-reset", "retry-after") if rate_limited else ("retry-after",):
        value = headers.get(name)
        if value is None:
            continue
        try:
            wait = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(wait):
            return max(0.0, min(wait, MAX_SERVER_WAIT))
    return None


class RateBudget:
    """The token's request budget, as PagerDuty's answers report it (``ratelimit-remaining`` requests until
    ``ratelimit-reset`` seconds from now), shared by every client of one run (and their threads).

    Before each request ``take()`` spends one from the last known budget; when none is left it waits until
    the reported reset instead of running into 429s. Each answer's headers then replace the estimate.
    """

    def __init__(self, clock=time.monotonic, sleep=time.sleep):
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep
        self.limit = None  # the window's whole budget (ratelimit-limit), once known
        self.remaining = None  # unknown until the first answer
        self.reset_at = None
        self.waited = 0.0

    def take(self):
        while True:
            with self._lock:
                now = self._clock()
                if self.reset_at is not None and now >= self.reset_at:
                    # A new window: its whole budget (when known), until an answer says more.
                    self.remaining, self.reset_at = self.limit, None
                if self.remaining is None or self.remaining > 0 or self.reset_at is None:
                    if self.remaining is not None:
                        self.remaining = max(0, self.remaining - 1)
                    return
                wait = min(self.reset_at - now, MAX_SERVER_WAIT)
                self.waited += wait
            self._sleep(wait)

    def update(self, headers):
        try:
            remaining = int(headers.get("ratelimit-remaining"))
            reset = float(headers.get("ratelimit-reset"))
        except (TypeError, ValueError):
            return
        if not math.isfinite(reset) or remaining < 0:
            return
        try:
            limit = int(headers.get("ratelimit-limit"))
        except (TypeError, ValueError):
            limit = None
        with self._lock:
            if limit is not None:
                self.limit = limit
            # Answers arrive out of order and count only the requests that reached the server before them:
            # the estimate only goes down here (take() raises it again when the window resets).
            self.remaining = remaining if self.remaining is None else min(self.remaining, remaining)
            self.reset_at = self._clock() + max(0.0, min(reset, MAX_SERVER_WAIT))


def scrub_secrets(text, secrets):
    """``text`` with every secret, as it is or URL-encoded, replaced by asterisks."""
    text = f"{text}"
    for secret in secrets:
        if secret:
            for form in (secret, quote(secret, safe="")):
                text = text.replace(form, "********")
    return text


def error_texts(errors):
    """PagerDuty's ``errors`` as a list of texts, whatever its shape (a list, one text, or a map of field to texts)."""
    if not errors:
        return []
    if isinstance(errors, dict):
        texts = []
        for field, value in errors.items():
            for item in value if isinstance(value, list) else [value]:
                texts.append(f"{field}: {item}")
        return texts
    return [f"{item}" for item in (errors if isinstance(errors, list) else [errors])]


def tls_advice(exc):
    """What to check after a TLS failure: a refused protocol version is not a certificate problem."""
    text = f"{exc}".lower()
    if any(word in text for word in ("protocol_version", "unsupported protocol", "wrong version number", "no protocols available")):
        return "The server does not offer TLS 1.2 or newer, which this collection requires"
    return "Check ca_path, or validate_certs for a test endpoint"


def _make_transport(validate_certs, ssl_context, max_retries, counter, tls=True):
    """Build the HTTPAdapter subclass lazily: requests may be missing at import time. ``tls=False``: an adapter
    for plain http only (a loopback endpoint), which spares building an SSL context (about 20 ms)."""

    class PagerDutyRetry(Retry):
        """Retry 429/5xx and connection errors; honour PagerDuty's rate-limit headers.

        A POST is only retried when the server certainly did not act on it: a
        connection that never opened (urllib3 always retries those) or a 429.
        """

        def is_retry(self, method, status_code, has_retry_after=False):
            if method and method.upper() == "POST":
                return bool(self.total) and status_code == 429
            return super().is_retry(method, status_code, has_retry_after)

        def get_retry_after(self, response):
            rate_limited = response.status == 429
            wait = _server_wait_seconds(response.headers, rate_limited)
            if wait is None and rate_limited:  # no hint: never straight back into the limit
                wait = max(MIN_RATE_LIMIT_WAIT, self.get_backoff_time())
            return wait

        def increment(self, *args, **kwargs):
            # Count only the retries that happen: the call that finds the budget spent raises.
            new_retry = super().increment(*args, **kwargs)
            counter.retries = getattr(counter, "retries", 0) + 1
            return new_retry

    class TLS12Adapter(HTTPAdapter):
        """An adapter whose SSL context refuses anything older than TLS 1.2."""

        def __init__(self, *args, **kwargs):
            self.ssl_context = None
            if tls:
                self.ssl_context = ssl_context or ssl.create_default_context()
                self.ssl_context.minimum_version = ssl.TLSVersion.TLSv1_2
                if not validate_certs:
                    self.ssl_context.check_hostname = False
                    self.ssl_context.verify_mode = ssl.CERT_NONE
            super().__init__(*args, **kwargs)

        def init_poolmanager(self, *args, **kwargs):
            if self.ssl_context is not None:
                kwargs["ssl_context"] = self.ssl_context
            return super().init_poolmanager(*args, **kwargs)

        def proxy_manager_for(self, proxy, **proxy_kwargs):
            if self.ssl_context is not None:
                proxy_kwargs["ssl_context"] = self.ssl_context
            return super().proxy_manager_for(proxy, **proxy_kwargs)

    retry_kwargs = dict(
        total=max_retries,
        connect=max_retries,
        read=max_retries,
        status=max_retries,
        other=0,
        redirect=0,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]),
        backoff_factor=0.5,
        backoff_max=30,
        raise_on_status=False,
        raise_on_redirect=False,
        respect_retry_after_header=True,
    )
    try:
        retry = PagerDutyRetry(backoff_jitter=0.25, **retry_kwargs)
    except TypeError:  # urllib3 < 2 has no jitter parameter
        retry = PagerDutyRetry(**retry_kwargs)
    return TLS12Adapter(max_retries=retry)


class _OnFirstUse:
    """A transport adapter built on the first request it carries (``build()`` makes it)."""

    def __init__(self, build):
        self._build = build
        self.adapter = None

    def send(self, request, *args, **kwargs):
        if self.adapter is None:
            self.adapter = self._build()
        return self.adapter.send(request, *args, **kwargs)

    def close(self):
        if self.adapter is not None:
            self.adapter.close()


class PagerDutyClient:
    """A small PagerDuty REST API v2 client on one requests.Session."""

    def __init__(self, api_token=None, auth_type=DEFAULTS["auth_type"], region=DEFAULTS["region"], api_url=None, from_email=None,
                 validate_certs=DEFAULTS["validate_certs"], ca_path=None, timeout=DEFAULTS["timeout"],
                 max_retries=DEFAULTS["max_retries"], user_agent_extra=None, oauth_client_id=None, oauth_client_secret=None,
                 oauth_scopes=None, oauth_subdomain=None, oauth_token_url=None, token_source=None, rate_budget=None):
        if not HAS_REQUESTS:
            raise PagerDutyError("the Python library 'requests' is required by oncall.pagerduty")
        if auth_type not in AUTH_TYPES:
            raise PagerDutyError(f"auth_type must be one of: {', '.join(AUTH_TYPES)}; got {auth_type!r}")
        self.token_source = None
        self._token = None
        if auth_type == "client_credentials":
            self.token_source = token_source or TokenSource(oauth_client_id, oauth_client_secret, oauth_scopes, oauth_subdomain,
                                                            region, oauth_token_url)
        else:
            self._token = check_token(api_token)
        self.max_retries = int(check_number("max_retries", max_retries, int, 0, MAX_RETRIES_CAP))
        self.timeout = float(check_number("timeout", timeout, float, 0.001, MAX_TIMEOUT))
        self.base_url = resolve_base_url(region, api_url)
        self.region = region
        self.custom_url = api_url is not None
        if from_email is not None and (not isinstance(from_email, str) or not set(from_email.strip()) <= TOKEN_CHARACTERS):
            raise PagerDutyError(f"from_email must be the email address of a PagerDuty user, got {from_email!r}")
        self.from_email = from_email.strip() if from_email else None
        self._retry_counter = threading.local()
        self.rate_budget = rate_budget or RateBudget()
        ssl_context = check_ca_path(ca_path) if ca_path else None

        self.session = requests.Session()
        if is_loopback_host(urlsplit(self.base_url).hostname):
            # A local endpoint is never reached through an environment proxy (HTTP_PROXY would
            # carry the token in clear over the network), nor given .netrc credentials.
            self.session.trust_env = False

        def transport(tls=True):
            return _make_transport(validate_certs, ssl_context, self.max_retries, self._retry_counter, tls=tls)

        if self.base_url.lower().startswith("http://"):
            # A plain-http (loopback) endpoint: the TLS adapter is built only if an https URL is ever asked for.
            self.session.mount("https://", _OnFirstUse(transport))
            self.session.mount("http://", transport(tls=False))
        else:
            adapter = transport()
            self.session.mount("https://", adapter)
            self.session.mount("http://", adapter)
        # requests still passes verify=... to urllib3; keep it consistent with our SSL context.
        # It is given with every request too: requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE
        # override a session-level value, which would undo validate_certs=false and ca_path.
        self.verify = (ca_path or True) if validate_certs else False
        self.session.verify = self.verify
        agent = f"oncall.pagerduty/{COLLECTION_VERSION} python-requests/{requests.__version__}"
        if user_agent_extra:
            agent += f" {user_agent_extra}"
        self.session.headers.update({"Accept": ACCEPT, "User-Agent": agent})
        if auth_type == "bearer":
            self.session.headers["Authorization"] = f"Bearer {self._token}"
        elif auth_type == "token":
            self.session.headers["Authorization"] = f"Token token={self._token}"

    # -- helpers -----------------------------------------------------------

    def scrub(self, text):
        """Remove every secret (the token, an OAuth secret or access token), as it is or URL-encoded, from text for the user."""
        return scrub_secrets(text, [self._token] if self._token else self.token_source.secrets())

    def _hint_for(self, status):
        if status == 401:
            if self.custom_url:
                return "Check api_token and auth_type"
            return (f"Check api_token and auth_type, and that region ({self.region}) is your account's region: "
                    "a token of an EU account needs region: eu, a US account region: us")
        if status == 403:
            return "The token is valid but may not do this: a read-only API key or an OAuth token without the needed scope cannot write"
        return None

    def _error_from_response(self, method, path, response, attempts):
        code = message = None
        errors = []
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            err = body.get("error")
            if isinstance(err, dict):
                code = err.get("code")
                message = err.get("message")
                errors = err.get("errors")
                # A Scoped OAuth token without the operation's scope: PagerDuty names the scope beside the message.
                scopes = [f"{label}: {err[key]}" for key, label in (("required_scopes", "required scopes"), ("token_scopes", "the token's scopes"))
                          if err.get(key)]
                if scopes:
                    errors = error_texts(errors) + scopes
            elif isinstance(err, str):
                message = err
            if errors is None or errors == []:
                errors = body.get("errors")
            errors = error_texts(errors)
        if message is None:
            message = response.reason or None
        hint = self._hint_for(response.status_code)
        if code == FROM_REQUIRED_CODE:
            hint = ("Set from_email (or PAGERDUTY_FROM_EMAIL) to the email address of a PagerDuty user: with an account API "
                    "token PagerDuty needs to know who acts")
        return PagerDutyAPIError(
            method, path, response.status_code,
            code=code,
            message=self.scrub(message) if message else None,
            errors=[self.scrub(e) for e in errors],
            attempts=attempts,
            hint=hint,
        )

    def _unreachable(self, method, path, exc):
        """The error for a request that got no answer: say whether it may have been applied."""
        attempts = getattr(self._retry_counter, "retries", 0) + 1
        reason = getattr(exc, "args", [None])[0]
        reason = getattr(reason, "reason", reason)
        never_sent = isinstance(exc, requests.exceptions.ConnectTimeout) or isinstance(
            reason, (urllib3_exceptions.NewConnectionError, urllib3_exceptions.ConnectTimeoutError))
        if method in WRITE_METHODS and not never_sent:
            text = (f"the connection to PagerDuty at {self.base_url} was lost after {method} {path} was sent, so it may have been "
                    f"applied (after {int(attempts)} attempt(s)): {exc}")
        else:
            text = f"could not reach PagerDuty at {self.base_url} ({method} {path}) after {int(attempts)} attempt(s): {exc}"
        return PagerDutyError(self.scrub(text))

    # -- requests ----------------------------------------------------------

    def request(self, method, path, params=None, json_body=None, expected=None):
        """Send one request and return the decoded JSON body (None when empty).

        ``path`` is relative to the API base URL (``/teams/PXXXXXX``).
        Raises PagerDutyAPIError for any status outside 2xx (or ``expected``).
        """
        method = method.upper()
        headers = {}
        if method in ("POST", "PUT", "PATCH"):
            headers["Content-Type"] = "application/json"
        if method in WRITE_METHODS and self.from_email:
            headers["From"] = self.from_email
        data = None if json_body is None else json.dumps(json_body)
        response = self._send(method, path, params, data, headers)
        if response.status_code == 401 and self.token_source is not None:
            response = self._send(method, path, params, data, headers, renew=True)  # the app token expired: once more with a new one
        attempts = getattr(self._retry_counter, "retries", 0) + 1
        ok = expected if expected is not None else range(200, 300)
        if method == "DELETE" and response.status_code == 404 and attempts > 1:
            return None  # an earlier attempt deleted it and its answer was lost: the object is gone, as asked
        if response.status_code not in ok:
            raise self._error_from_response(method, path, response, attempts)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise PagerDutyError(f"PagerDuty returned a response that is not JSON for {method} {path} (HTTP {response.status_code})")

    def _send(self, method, path, params, data, headers, renew=False):
        try:
            if self.token_source is not None:
                token = self.token_source.token(self.session, self.verify, self.timeout, renew=renew)
                headers = dict(headers, Authorization=f"Bearer {token}")
            self._retry_counter.retries = 0
            self.rate_budget.take()
            response = self.session.request(
                method, self.base_url + path, params=params, data=data, headers=headers, timeout=self.timeout,
                verify=self.verify)
            self.rate_budget.update(response.headers)
            return response
        except requests.exceptions.SSLError as exc:
            raise PagerDutyError(self.scrub(f"TLS error talking to {self.base_url} ({method} {path}): {exc}. {tls_advice(exc)}"))
        except requests.exceptions.RequestException as exc:
            raise self._unreachable(method, path, exc)
        except PagerDutyError as exc:
            raise PagerDutyError(self.scrub(exc))

    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def post(self, path, body):
        return self.request("POST", path, json_body=body)

    def put(self, path, body):
        return self.request("PUT", path, json_body=body)

    def delete(self, path, params=None):
        return self.request("DELETE", path, params=params)

    def iter_pages(self, path, wrapper, params=None):
        """Yield every item of a classic paginated list (limit=100, follow ``more``).

        Fails clearly rather than silently truncating when the list goes past
        the API's offset cap.
        """
        query = dict(params or {})
        query["limit"] = PAGE_LIMIT
        offset = 0
        while True:
            query["offset"] = offset
            page = self.get(path, params=query) or {}
            items = page.get(wrapper) or []
            yield from items
            if not page.get("more") or not items:
                return
            offset += len(items)
            if offset + PAGE_LIMIT > OFFSET_CAP:
                raise PagerDutyError(
                    f"GET {path} matches more than {OFFSET_CAP} {wrapper}, the most the PagerDuty API can page through "
                    f"(offset + limit may not exceed {OFFSET_CAP}); narrow the request (for example with a query "
                    "or team filter)")

    def list_all(self, path, wrapper, params=None):
        return list(self.iter_pages(path, wrapper, params))

    def iter_cursor_pages(self, path, wrapper, params=None):
        """Yield every item of a cursor-paginated list (``limit``, then the answer's ``after`` cursor until it is
        null or absent), such as ``GET /alert_grouping_settings``, which takes no ``offset``."""
        query = dict(params or {}, limit=PAGE_LIMIT)
        seen = set()
        while True:
            page = self.get(path, params=query) or {}
            items = page.get(wrapper) or []
            yield from items
            cursor = page.get("after")
            if not cursor or not items or cursor in seen:
                return
            seen.add(cursor)
            query["after"] = cursor
