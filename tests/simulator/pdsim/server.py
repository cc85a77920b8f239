"""The simulator's HTTP(S) server: routing, auth (API tokens and Scoped OAuth scopes), Accept check, spec
validation, faults, rate limits, latency, the request log, the OAuth token endpoint, the Events API v2 under
/events and the admin API under /__sim__/."""

import copy
import http
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from pdsim import events
from pdsim.abilities import DEFAULT_ABILITIES
from pdsim.api import RESOURCES, ROUTES, wire_delete_guards
from pdsim.core import (
    ACCESS_DENIED,
    AUTHENTICATION_FAILED,
    INTERNAL_ERROR,
    INVALID_INPUT,
    NOT_FOUND,
    RATE_LIMIT_EXCEEDED,
    ApiError,
    Context,
    Store,
    find_route,
)
from pdsim.validator import Deviation, apply_fixes
from pdsim.oauth import FORM_CONTENT_TYPE, MASK, SECRET_FIELDS, TOKEN_PATH, OAuthError, OAuthRegistry, fallback_scope, masked, parse_form

ACCEPT_V2 = 'application/vnd.pagerduty+json;version=2'
USERS_COLLECTION = 'users'
MISSING_SCOPES = 'Token missing required scopes'
ADMIN_PREFIX = '/__sim__/'
DEFAULT_RATE_LIMIT = 960  # PagerDuty's documented per-minute limit for an API key
RATE_WINDOW = 60.0
MAX_LATENCY = 10.0  # seconds: the most the admin config accepts for the delay before every API answer
WRITE_METHODS = ('POST', 'PUT', 'PATCH', 'DELETE')
DEFAULT_TOKENS = {
    'sim-write-token': {'access': 'write', 'auth': 'token'},
    'sim-read-token': {'access': 'read', 'auth': 'token'},
    # A user's OAuth token: it acts as the account owner (GET /users/me, the From rule).
    'sim-oauth-token': {'access': 'write', 'auth': 'bearer', 'user': 'PSOWNER'},
}
FAULT_KEYS = ('method', 'path', 'status', 'count', 'headers', 'body', 'latency', 'drop', 'apply', 'bare', 'shape')
# Other shapes of PagerDuty's error body (a fault's ``shape`` rewrites an error answer into one of them).
ERROR_SHAPES = ('string', 'map', 'empty')


class ApiRequest:
    def __init__(self, method, path, query, body, headers):
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.headers = headers
        self.params = ()
        self.token = {}  # the token's {"access", "auth"}


class SimulatorState:
    """Everything the server remembers; one lock guards it all."""

    def __init__(self, validator=None, rate_limit=None, strict=False, latency=0.0):
        self.lock = threading.RLock()
        self.validator = validator
        self.rate_limit = rate_limit
        self.started_strict = strict
        self.started_latency = float(latency or 0)
        self.base_url = ''
        self.routes = ROUTES
        self.resources = {resource.collection: resource for resource in RESOURCES}
        wire_delete_guards()
        self.reset()

    def reset(self):
        with self.lock:
            self.store = Store(RESOURCES)
            self.store.abilities = list(DEFAULT_ABILITIES)
            ctx = self.context()
            for resource in RESOURCES:
                resource.initial_objects(ctx)
            self.log = []
            self.faults = []
            self.tokens = {token: dict(info) for token, info in DEFAULT_TOKENS.items()}
            self.oauth = OAuthRegistry()
            self.window_start = time.monotonic()
            self.window_count = 0
            self.rate_window = RATE_WINDOW
            self.events_limiter = events.EventRateLimiter()
            self.strict = self.started_strict
            self.latency = self.started_latency

    def context(self):
        return Context(self.store, self.base_url, self.resources)

    def take_fault(self, method, path):
        with self.lock:
            for fault in self.faults:
                if fault['method'] and fault['method'] != method:
                    continue
                if fault['path'] and not path.startswith(fault['path']):
                    continue
                fault['count'] -= 1
                if fault['count'] <= 0:
                    self.faults.remove(fault)
                return dict(fault)
        return None

    def count_request(self):
        """Count one API request; return (rate-limit headers, whether the budget is exceeded)."""
        with self.lock:
            now = time.monotonic()
            if now - self.window_start >= self.rate_window:
                self.window_start = now
                self.window_count = 0
            self.window_count += 1
            limit = self.rate_limit or DEFAULT_RATE_LIMIT
            reset = max(1, int(round(self.rate_window - (now - self.window_start))))
            headers = {
                'ratelimit-limit': str(limit),
                'ratelimit-remaining': str(max(0, limit - self.window_count)),
                'ratelimit-reset': str(reset),
            }
            return headers, bool(self.rate_limit) and self.window_count > self.rate_limit

    def rate_headers(self):
        with self.lock:
            limit = self.rate_limit or DEFAULT_RATE_LIMIT
            return {'ratelimit-limit': str(limit), 'ratelimit-remaining': '0', 'ratelimit-reset': '1'}


def _normalise_fault(raw):
    if not isinstance(raw, dict):
        raise ValueError('a fault must be a JSON object')
    unknown = set(raw) - set(FAULT_KEYS)
    if unknown:
        raise ValueError(f"unknown fault keys: {', '.join(sorted(unknown))}")
    status = raw.get('status')
    if status is not None and (not isinstance(status, int) or not 400 <= status <= 599):
        raise ValueError('fault status must be an HTTP error status (4xx/5xx)')
    if raw.get('shape') is not None and raw['shape'] not in ERROR_SHAPES:
        raise ValueError(f"fault shape must be one of {', '.join(ERROR_SHAPES)}")
    if status is None and not raw.get('drop') and not raw.get('latency') and not raw.get('shape'):
        raise ValueError('a fault needs a status, drop, latency or shape')
    return {
        'method': raw['method'].upper() if raw.get('method') else None,
        'path': raw.get('path'),
        'status': status,
        'count': int(raw.get('count', 1)),
        'headers': dict(raw.get('headers') or {}),
        'body': raw.get('body'),
        'latency': float(raw.get('latency') or 0),
        'drop': bool(raw.get('drop')),
        'apply': bool(raw.get('apply')),
        'bare': bool(raw.get('bare')),
        'shape': raw.get('shape'),
    }


def _default_fault_body(status):
    if status == 429:
        return ApiError(429, RATE_LIMIT_EXCEEDED).body()
    if status == 500:
        return ApiError(500, INTERNAL_ERROR).body()
    return {'error': {'message': http.HTTPStatus(status).phrase}}


def reshape_error(body, shape):
    """PagerDuty's usual error body {"error": {"message", "code", "errors": [...]}} in another shape PagerDuty
    also sends: ``string`` {"error": "<message>"}, ``map`` errors as {"<field>": [texts]} (the spec's
    V3ErrorResponse; texts without a field go under "base"), ``empty`` an empty ``errors`` list."""
    error = body.get('error') if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return body
    if shape == 'string':
        return {'error': error.get('message')}
    if shape == 'map':
        return {'error': dict(error, errors={'base': list(error.get('errors') or [])})}
    return {'error': dict(error, errors=[])}


def _decode_json(raw):
    """(JSON value, None) of a request body, (None, its text) when it is not JSON, (None, None) when empty."""
    if not raw:
        return None, None
    try:
        return json.loads(raw.decode('utf-8')), None
    except (UnicodeDecodeError, ValueError):
        return None, raw.decode('utf-8', 'replace')


class ScopeError(ApiError):
    """403 for a Scoped OAuth token without the operation's scope, in the shape PagerDuty answers it: a message, no
    code, and the scope (terraform-provider-pagerduty#1027 and #1078 quote it; token_scopes is unverified)."""

    def __init__(self, required, scopes):
        super().__init__(403, ACCESS_DENIED)
        self.required = required
        self.scopes = list(scopes)

    def body(self):
        return {'error': {'message': MISSING_SCOPES, 'required_scopes': self.required, 'token_scopes': ' '.join(self.scopes)}}


def _check_scope(validator, method, path, scopes):
    """403 unless the Scoped OAuth token holds the scope the operation requires."""
    required = validator.oauth_scope(method, path) if validator is not None else fallback_scope(method, path)
    if required is None:
        raise ApiError(403, ACCESS_DENIED, [f'{method} {path} does not support Scoped OAuth'])
    if required not in scopes:
        raise ScopeError(required, scopes)


def _accepts_v2(value):
    if not value:
        return False
    return any(part.replace(' ', '').lower() == ACCEPT_V2 for part in value.split(','))


# Accept values PagerDuty answers with the token's own version (v2): none, or plain JSON.
TOKEN_VERSION_ACCEPTS = ('application/json', '*/*')


def _accept_finding(value):
    """None for the v2 Accept header, a Deviation where PagerDuty falls back on the token's version, else a violation."""
    if _accepts_v2(value):
        return None
    parts = [part.split(';')[0].strip().lower() for part in (value or '').split(',') if part.strip()]
    if not parts or any(part in TOKEN_VERSION_ACCEPTS for part in parts):
        return Deviation(f'The Accept header is not {ACCEPT_V2} (got {value!r}): PagerDuty answers with the token\'s version, v2',
                         'accept')
    return f'The Accept header must be {ACCEPT_V2} (got {value!r})'


class SimulatorHandler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'PagerDutySimulator/1'
    # Headers and body go out as two writes; with Nagle's algorithm on, every answer after the first on a
    # kept-alive connection would wait for the client's delayed ACK (about 40 ms). TCP_NODELAY sends at once.
    disable_nagle_algorithm = True

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            self.request.do_handshake()
            self.request.settimeout(None)
        super().setup()

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Stay quiet: the request log is available through the admin API."""

    @property
    def state(self):
        return self.server.state

    # --- plumbing --------------------------------------------------------

    def do_GET(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_POST(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_PUT(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_PATCH(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_DELETE(self):  # pylint: disable=invalid-name
        self._dispatch()

    def _read_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    def _send(self, status, payload, headers=None):
        data = b'' if payload is None or status == 204 else json.dumps(payload).encode('utf-8')
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        if status != 204:
            self.send_header('Content-Type', 'application/json; charset=utf-8')
            self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)

    def _dispatch(self):
        parts = urlsplit(self.path)
        path = parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        raw = self._read_body()
        if path.startswith(ADMIN_PREFIX):
            self._admin(self.command, path[len(ADMIN_PREFIX):].strip('/'), _decode_json(raw)[0])
            return
        latency = self.state.latency
        if latency:
            # Every API request waits as if PagerDuty were this far away (outside the lock: requests overlap).
            time.sleep(latency)
        if path == TOKEN_PATH:
            self._token_request(path, query, raw)
            return
        if path == events.EVENTS_PREFIX or path.startswith(events.EVENTS_PREFIX + '/'):
            self._events_request(path, query, raw)
            return
        entry, raw_body = self._entry(path, query, raw)
        self._logged(entry, lambda: self._answer(entry, raw_body))

    def _entry(self, path, query, raw):
        """The request log entry of an API request (REST or Events API) and the text of a body that is not JSON."""
        body, raw_body = _decode_json(raw)
        entry = {
            'method': self.command,
            'path': path,
            'query': query,
            'headers': {name.lower(): value for name, value in self.headers.items()},
            'body': body,
            'status': None,
            'spec_violations': [],
            'spec_deviations': [],
        }
        if raw_body is not None:
            entry['raw_body'] = raw_body
        return entry, raw_body

    def _logged(self, entry, answer):
        """Apply the faults, else answer(); log the entry, then send the answer (if not dropped)."""
        try:
            reply = self._api(entry, answer)
        finally:
            # Log before answering: a client that reads the log right after its answer must see the request.
            with self.state.lock:
                self.state.log.append(entry)
        if reply is not None:
            self._send(*reply)

    # --- the OAuth token endpoint (identity.pagerduty.com/oauth/token) ---------------------------

    def _token_request(self, path, query, raw):
        """Log a token request with every secret masked (form, query and Authorization header)."""
        headers = {name.lower(): value for name, value in self.headers.items()}
        if 'authorization' in headers:
            headers['authorization'] = MASK
        entry = {
            'method': self.command,
            'path': path,
            'query': {name: [MASK] * len(values) if name in SECRET_FIELDS else values for name, values in query.items()},
            'headers': headers,
            'body': None,
            'status': None,
            'spec_violations': [],
            'spec_deviations': [],
        }
        self._logged(entry, lambda: self._token_answer(entry, raw))

    def _token_answer(self, entry, raw):
        """The client credentials grant: (status, body, headers); not rate limited (another host)."""
        try:
            if entry['method'] != 'POST':
                raise OAuthError('invalid_request', 'The token endpoint accepts POST only', status=405)
            content_type = (entry['headers'].get('content-type') or '').split(';')[0].strip().lower()
            if content_type != FORM_CONTENT_TYPE:
                raise OAuthError('invalid_request', f'The Content-Type must be {FORM_CONTENT_TYPE}')
            form = parse_form(raw)
            if form is None:
                raise OAuthError('invalid_request', 'The form is not valid application/x-www-form-urlencoded text')
            entry['body'] = masked(form)
            with self.state.lock:
                status, payload = 200, self.state.oauth.issue(form)
        except OAuthError as error:
            status, payload = error.status, error.body()
        entry['status'] = status
        headers = {'Cache-Control': 'no-store', 'Pragma': 'no-cache'}
        if status == 405:
            headers['Allow'] = 'POST'
        return status, payload, headers

    # --- the Events API v2 (events.pagerduty.com), under /events ---------------------------------

    def _events_request(self, path, query, raw):
        """Logged like a REST request, faults apply; no REST auth, Accept check, spec validation or REST rate limit."""
        entry, dummy = self._entry(path, query, raw)
        self._logged(entry, lambda: self._events_answer(entry, raw))

    def _events_answer(self, entry, raw):
        try:
            with self.state.lock:
                status, payload, violations = events.answer_event(self.state.context(), self.state.events_limiter,
                                                                  entry['method'], entry['path'], raw)
        except Exception as error:  # pylint: disable=broad-exception-caught
            status, payload, violations = 500, {'status': 'error', 'message': f'simulator error: {error!r}'}, []
        entry['status'] = status
        entry['spec_violations'].extend(violations)
        return status, payload, {}

    # --- the PagerDuty API -------------------------------------------------

    def _api(self, entry, answer):
        """The answer (status, body, headers) to a request, or None to drop the connection: a fault's, else
        answer()'s."""
        fault = self.state.take_fault(entry['method'], entry['path'])
        if fault and fault['shape'] and not (fault['status'] or fault['drop']):
            entry['fault'] = True
            status, payload, headers = answer()
            return status, reshape_error(payload, fault['shape']) if status >= 400 else payload, headers
        if fault:
            entry['fault'] = True
            if fault['latency']:
                time.sleep(fault['latency'])
            if fault['apply'] and (fault['drop'] or fault['status']):
                # The request is carried out, then its answer is lost (drop) or replaced (status).
                fault = dict(fault, apply=False)
                entry['applied'] = answer()[0]
            if fault['drop']:
                entry['dropped'] = True
                entry['status'] = None
                self.close_connection = True
                return None
            if fault['status']:
                headers = dict(fault['headers'])
                on_events = entry['path'].startswith(events.EVENTS_PREFIX + '/')
                if fault['status'] == 429 and not headers and not fault['bare'] and not on_events:
                    headers = self.state.rate_headers()
                default_body = events.fault_body if on_events else _default_fault_body
                body = fault['body'] if fault['body'] is not None else default_body(fault['status'])
                if fault['shape']:
                    body = reshape_error(body, fault['shape'])
                entry['status'] = fault['status']
                return fault['status'], body, headers
        return answer()

    def _answer(self, entry, raw_body):
        """Carry out an API request: (status, body, headers)."""
        rate_headers, exceeded = self.state.count_request()
        try:
            if exceeded:
                raise ApiError(429, RATE_LIMIT_EXCEEDED)
            status, payload = self._api_call(entry, raw_body)
        except ApiError as error:
            status, payload = error.status, error.body()
            rate_headers.update(error.headers)
        except Exception as error:  # pylint: disable=broad-exception-caught
            # A simulator bug must still answer (and be visible in the log), not hang the client.
            status, payload = 500, ApiError(500, INTERNAL_ERROR, [f'simulator error: {error!r}']).body()
        entry['status'] = status
        return status, payload, rate_headers

    def _authenticate(self, entry):
        header = entry['headers'].get('authorization', '').strip()
        scheme, dummy, credential = header.partition(' ')
        scheme = scheme.lower()
        if scheme == 'token':
            auth, dummy, token = credential.strip().partition('=')
            token = token.strip() if auth.strip().lower() == 'token' else ''
            kind = 'token'
        elif scheme == 'bearer':
            token, kind = credential.strip(), 'bearer'
        else:
            token, kind = '', None
        expired = False
        with self.state.lock:
            info = self.state.tokens.get(token)
            if info is None and kind == 'bearer':
                info, expired = self.state.oauth.lookup(token)
        if not token or info is None or info['auth'] != kind or expired:
            raise ApiError(401, AUTHENTICATION_FAILED)
        return info

    def _api_call(self, entry, raw_body):
        method, path = entry['method'], entry['path']
        token = self._authenticate(entry)
        accepted = self._judge(entry, [finding for finding in [_accept_finding(entry['headers'].get('accept'))] if finding])
        if method in WRITE_METHODS and token['access'] != 'write':
            raise ApiError(403, ACCESS_DENIED, [f'This API token is read-only: {method} is not allowed'])
        if raw_body is not None:
            entry['spec_violations'].append('the request body is not valid JSON')
            raise ApiError(400, INVALID_INPUT, ['The request body is not valid JSON'])
        validator = self.state.validator
        route, params = find_route(self.state.routes, method, path)
        not_implemented = ApiError(404, NOT_FOUND, [f'The simulator does not implement {method} {path}'])
        if validator is not None and validator.find_operation(method, path) is None:
            entry['spec_violations'].append(f'{method} {path} is not an operation of the OpenAPI spec')
            raise ApiError(404, NOT_FOUND)
        if validator is None and route is None:
            raise not_implemented
        if 'scopes' in token:
            _check_scope(validator, method, path, token['scopes'])
        if validator is not None:
            findings = validator.validate_request(method, path, entry['query'], entry['body'], entry['headers'].get('content-type'))
            accepted += self._judge(entry, findings)
        if route is None:
            raise not_implemented
        query, body = entry['query'], entry['body']
        if accepted:
            # The handler sees the request as PagerDuty reads it; the log keeps what was sent.
            query, body = copy.deepcopy(query), copy.deepcopy(body)
            apply_fixes(body, query, accepted)
        request = ApiRequest(method, path, query, body, entry['headers'])
        request.params = params
        request.token = token
        with self.state.lock:
            ctx = self.state.context()
            ctx.request = request  # renderers may read the query (since/until/time_zone)
            return route.handler(ctx, request)

    def _judge(self, entry, findings):
        """Refuse a request with any violation (or, in strict mode, any deviation); else record its deviations
        in the log entry and answer them (to be applied)."""
        unique = list(dict.fromkeys(findings))
        refused = [finding for finding in unique if self.state.strict or not isinstance(finding, Deviation)]
        if refused:
            entry['spec_violations'].extend(str(finding) for finding in refused)
            raise ApiError(400, INVALID_INPUT, [str(finding) for finding in refused])
        entry['spec_deviations'].extend(str(finding) for finding in unique)
        return unique

    # --- the admin API -----------------------------------------------------

    def _admin(self, method, name, body):
        try:
            status, payload = self._admin_call(method, name, body)
        except (ValueError, TypeError, KeyError) as error:
            status, payload = 400, {'error': {'message': 'Invalid admin request', 'errors': [str(error)]}}
        except ApiError as error:
            status, payload = error.status, error.body()
        self._send(status, payload)

    def _admin_call(self, method, name, body):
        state = self.state
        handlers = {
            ('POST', 'reset'): self._admin_reset,
            ('POST', 'seed'): self._admin_seed,
            ('GET', 'requests'): self._admin_requests,
            ('DELETE', 'requests'): self._admin_clear_requests,
            ('GET', 'faults'): lambda body: (200, {'faults': state.faults}),
            ('POST', 'faults'): self._admin_add_faults,
            ('DELETE', 'faults'): self._admin_clear_faults,
            ('GET', 'tokens'): lambda body: (200, {'tokens': state.tokens}),
            ('POST', 'tokens'): self._admin_set_token,
            ('POST', 'config'): self._admin_config,
            ('GET', 'oauth_clients'): lambda body: (200, {'oauth_clients': state.oauth.public_clients()}),
            ('POST', 'oauth_clients'): lambda body: (200, {'oauth_clients': state.oauth.add_client(body)}),
            ('GET', 'oauth_tokens'): lambda body: (200, {'oauth_tokens': state.oauth.summary()}),
            ('POST', 'oauth_tokens/expire'): lambda body: (200, {'oauth_tokens': state.oauth.expire_all()}),
            ('GET', 'state'): self._admin_state,
        }
        handler = handlers.get((method, name))
        if handler is None:
            return 404, {'error': {'message': f'Unknown admin endpoint {method} /__sim__/{name}'}}
        with state.lock:
            return handler(body)

    def _admin_reset(self, _body):
        self.state.reset()
        return 200, {'reset': True}

    def _admin_seed(self, body):
        body = body or {}
        ctx = self.state.context()
        created = {}
        for key, value in body.items():
            if key.startswith('count_'):
                resource = self.state.resources[key[len('count_'):]]
                start = resource.bulk_start(ctx)
                items = [resource.bulk_item(index) for index in range(start, start + int(value))]
            else:
                resource = self.state.resources[key]
                items = value
            ids = created.setdefault(resource.collection, [])
            for item in items:
                ids.append(resource.seed(ctx, dict(item))['id'])
        return 200, created

    def _admin_requests(self, _body):
        return 200, {'requests': list(self.state.log)}

    def _admin_clear_requests(self, _body):
        self.state.log.clear()
        return 200, {'requests': []}

    def _admin_add_faults(self, body):
        faults = [_normalise_fault(raw) for raw in (body if isinstance(body, list) else [body])]
        self.state.faults.extend(faults)
        return 200, {'faults': self.state.faults}

    def _admin_clear_faults(self, _body):
        self.state.faults.clear()
        return 200, {'faults': []}

    def _admin_set_token(self, body):
        token, access, auth, user = body['token'], body.get('access', 'write'), body.get('auth', 'token'), body.get('user')
        if not isinstance(token, str) or not token:
            raise ValueError('token must be a non-empty string')
        if access not in ('read', 'write') or auth not in ('token', 'bearer'):
            raise ValueError('access must be read or write; auth must be token or bearer')
        if body.get('remove'):
            self.state.tokens.pop(token, None)
        else:
            self.state.tokens[token] = {'access': access, 'auth': auth}
            if user is not None:
                if self.state.store[USERS_COLLECTION].get(user) is None:
                    raise ValueError(f'user {user} does not exist')
                self.state.tokens[token]['user'] = user  # a user-level API key (or a user's OAuth token)
        return 200, {'tokens': self.state.tokens}

    def _admin_config(self, body):
        unknown = set(body) - {'rate_limit', 'rate_window', 'strict', 'abilities', 'latency', 'events_rate_limit'}
        if unknown:
            raise ValueError(f"unknown config keys: {', '.join(sorted(unknown))}")
        if 'abilities' in body:
            if not isinstance(body['abilities'], list) or not all(isinstance(name, str) for name in body['abilities']):
                raise ValueError('abilities must be a list of names')
            self.state.store.abilities = list(body['abilities'])
        if 'strict' in body:
            if not isinstance(body['strict'], bool):
                raise ValueError('strict must be true or false')
            self.state.strict = body['strict']
        if 'rate_window' in body:
            window = body['rate_window']
            if not isinstance(window, (int, float)) or isinstance(window, bool) or not 1 <= window <= 3600:
                raise ValueError('rate_window must be a number of seconds from 1 to 3600')
            self.state.rate_window = float(window)
        if 'latency' in body:
            latency = body['latency']
            if not isinstance(latency, (int, float)) or isinstance(latency, bool) or not 0 <= latency <= MAX_LATENCY:
                raise ValueError(f'latency must be a number of seconds from 0 to {MAX_LATENCY:g}')
            self.state.latency = float(latency)
        if 'events_rate_limit' in body:
            limit = body['events_rate_limit']
            if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
                raise ValueError('events_rate_limit must be a number of events (1 or more) or null for the default')
            self.state.events_limiter = events.EventRateLimiter(limit or events.DEFAULT_RATE_LIMIT)
        if 'rate_limit' in body:
            limit = body['rate_limit']
            self.state.rate_limit = int(limit) if limit else None
            self.state.window_start = time.monotonic()
            self.state.window_count = 0
        return 200, {'rate_limit': self.state.rate_limit, 'rate_window': self.state.rate_window, 'strict': self.state.strict,
                     'abilities': self.state.store.abilities, 'latency': self.state.latency,
                     'events_rate_limit': self.state.events_limiter.limit}

    def _admin_state(self, _body):
        ctx = self.state.context()
        result = {
            collection: [resource.render(ctx, item) for item in ctx.store[collection].values()]
            for collection, resource in self.state.resources.items()
        }
        result['tokens'] = self.state.tokens
        result['oauth_clients'] = self.state.oauth.public_clients()
        result['oauth_tokens'] = self.state.oauth.summary()
        result['faults'] = self.state.faults
        result['rate_limit'] = self.state.rate_limit
        result['events_rate_limit'] = self.state.events_limiter.limit
        result['strict'] = self.state.strict
        result['latency'] = self.state.latency
        result['abilities'] = self.state.store.abilities
        result['spec_validation'] = self.state.validator is not None
        return 200, result


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, state, port=0, ssl_context=None):
        self.state = state
        super().__init__(('127.0.0.1', port), SimulatorHandler)
        if ssl_context is not None:
            self.socket = ssl_context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)
        scheme = 'https' if ssl_context is not None else 'http'
        self.url = f'{scheme}://127.0.0.1:{self.server_address[1]}'
        state.base_url = self.url

    def handle_error(self, request, client_address):
        """Clients that hang up or refuse the certificate are expected; keep stderr quiet for them."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, ssl.SSLError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def make_tls_context(ca_file):
    """Create a test CA with trustme, write its PEM to ca_file and return the server SSL context."""
    import trustme  # pylint: disable=import-outside-toplevel

    authority = trustme.CA()
    certificate = authority.issue_cert('127.0.0.1', 'localhost')
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    certificate.configure_cert(context)
    authority.cert_pem.write_to_path(ca_file)
    return context
