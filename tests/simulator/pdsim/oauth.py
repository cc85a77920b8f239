"""Scoped OAuth: app clients, the client credentials token endpoint (``POST /oauth/token``) and the
scope each API operation requires.

PagerDuty's documentation ("Obtaining an App OAuth Token", developer docs) gives the request (a form
with ``grant_type=client_credentials``, ``client_id``, ``client_secret`` and ``scope``, which must hold
``as_account-{region}.{subdomain}``), the answer (``access_token``, ``scope``, ``token_type``,
``expires_in``) and the API's 401 for an expired token and 403 for a missing scope.  The error bodies
of the token endpoint are not documented: they follow RFC 6749 section 5.2.  The scope an operation
requires is quoted in its description in the OpenAPI document ("Scoped OAuth requires: `teams.read`").
"""

import secrets
import string
import time
import uuid
from urllib.parse import parse_qs

TOKEN_PATH = '/oauth/token'
FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded'
GRANT_TYPE = 'client_credentials'
MASK = '********'
SECRET_FIELDS = ('client_secret',)
REGIONS = ('us', 'eu')
DEFAULT_EXPIRES_IN = 86400  # "access token expiry of 1 day" (developer docs, Private Apps), its example's expires_in
ACCOUNT_SCOPE_PREFIX = 'as_account-'
# Without the OpenAPI document: the first path segment names the scope, except for these.
FALLBACK_SCOPE_NAMES = {'maintenance_windows': 'services'}


class OAuthError(Exception):
    """A token endpoint error in RFC 6749 section 5.2's shape (PagerDuty does not document its own)."""

    def __init__(self, error, description, status=None):
        self.status = status or (401 if error == 'invalid_client' else 400)
        self.error = error
        self.description = description
        super().__init__(f'{self.status} {error}: {description}')

    def body(self):
        return {'error': self.error, 'error_description': self.description}


# --- the scope an operation requires (with the OpenAPI document: SpecValidator.oauth_scope) ------

def fallback_scope(method, path):
    """The scope guessed when the OpenAPI document is not loaded: ``<first path segment>.read|write``."""
    segment = path.strip('/').split('/', 1)[0]
    name = FALLBACK_SCOPE_NAMES.get(segment, segment)
    return f"{name}.{'read' if method == 'GET' else 'write'}"


# --- the token endpoint's form ---------------------------------------------------------------------

def parse_form(raw):
    """{name: [values]} of an application/x-www-form-urlencoded body (bytes), or None if undecodable."""
    try:
        text = raw.decode('ascii')
    except UnicodeDecodeError:
        return None
    return parse_qs(text, keep_blank_values=True)


def masked(form):
    """The form as it may be logged: {name: value} (or [values] when repeated), secrets replaced."""
    shown = {}
    for name, values in form.items():
        if name in SECRET_FIELDS:
            values = [MASK for dummy in values]
        shown[name] = values[0] if len(values) == 1 else values
    return shown


def _check_client(body):
    client_id, secret, scopes = body['client_id'], body['client_secret'], body.get('scopes', [])
    region, subdomain = body.get('region', 'us'), body.get('subdomain', 'simulator')
    expires_in = body.get('expires_in', DEFAULT_EXPIRES_IN)
    for name, value in (('client_id', client_id), ('client_secret', secret), ('subdomain', subdomain)):
        if not isinstance(value, str) or not value or any(char in value for char in string.whitespace):
            raise ValueError(f'{name} must be a non-empty string without spaces')
    if region not in REGIONS:
        raise ValueError(f"region must be one of {', '.join(REGIONS)}")
    if not isinstance(scopes, list) or not all(isinstance(scope, str) and scope and scope.split() == [scope] for scope in scopes):
        raise ValueError('scopes must be a list of scope names')
    if any(scope.startswith(ACCOUNT_SCOPE_PREFIX) for scope in scopes):
        raise ValueError(f'scopes must not hold the {ACCOUNT_SCOPE_PREFIX} scope: it comes from region and subdomain')
    if not isinstance(expires_in, int) or isinstance(expires_in, bool) or expires_in < 1:
        raise ValueError('expires_in must be a positive integer (seconds)')
    return {'client_id': client_id, 'client_secret': secret, 'scopes': list(scopes), 'region': region,
            'subdomain': subdomain, 'expires_in': expires_in}


class OAuthRegistry:
    """The registered app clients and the tokens issued to them (reset forgets both)."""

    def __init__(self):
        self.clients = {}
        self.tokens = {}

    def add_client(self, body):
        client = _check_client(body)
        self.clients[client['client_id']] = client
        return self.public_clients()

    def public_clients(self):
        """The clients without their secrets."""
        return [{name: value for name, value in client.items() if name != 'client_secret'} for client in self.clients.values()]

    def issue(self, form):
        """Answer a client credentials request (form: {name: [values]}) or raise OAuthError."""
        repeated = sorted(name for name, values in form.items() if len(values) > 1)
        if repeated:
            raise OAuthError('invalid_request', f"Parameters must not be repeated: {', '.join(repeated)}")
        given = {name: values[0] for name, values in form.items()}
        grant_type = given.get('grant_type')
        if not grant_type:
            raise OAuthError('invalid_request', 'The grant_type parameter is required')
        if grant_type != GRANT_TYPE:
            raise OAuthError('unsupported_grant_type', f'The grant type {grant_type!r} is not supported; use {GRANT_TYPE}')
        client = self.clients.get(given.get('client_id', ''))
        if client is None or not secrets.compare_digest(given.get('client_secret', '').encode('utf-8'), client['client_secret'].encode('utf-8')):
            raise OAuthError('invalid_client', 'Client authentication failed')
        account = f"{ACCOUNT_SCOPE_PREFIX}{client['region']}.{client['subdomain']}"
        if not given.get('scope', '').strip():
            # PagerDuty's answer to a token request without scope (terraform-provider-pagerduty#936).
            raise OAuthError('invalid_request', 'Invalid scope')
        requested = given.get('scope', '').split()
        accounts = [scope for scope in requested if scope.startswith(ACCOUNT_SCOPE_PREFIX)]
        if accounts != [account]:
            raise OAuthError('invalid_scope', f'The scope must contain exactly one account scope, {account}')
        missing = [scope for scope in requested if scope != account and scope not in client['scopes']]
        if missing:
            raise OAuthError('invalid_scope', f"Scopes not granted to this client: {', '.join(missing)}")
        scopes = list(dict.fromkeys(scope for scope in requested if scope != account))
        value = f"pd{client['region']}+_{''.join(secrets.choice(string.ascii_uppercase + string.digits) for dummy in range(7))}_{uuid.uuid4()}"
        self.tokens[value] = {'client_id': client['client_id'], 'scopes': scopes,
                              'expires_at': time.monotonic() + client['expires_in']}
        return {'access_token': value, 'scope': ' '.join([account] + scopes), 'token_type': 'bearer',
                'expires_in': client['expires_in']}

    def lookup(self, value):
        """(token info for the API, expired) of an issued token, or (None, False)."""
        issued = self.tokens.get(value)
        if issued is None:
            return None, False
        info = {'access': 'write', 'auth': 'bearer', 'client_id': issued['client_id'], 'scopes': list(issued['scopes'])}
        return info, time.monotonic() >= issued['expires_at']

    def expire_all(self):
        moment = time.monotonic()
        for issued in self.tokens.values():
            issued['expires_at'] = min(issued['expires_at'], moment)
        return self.summary()

    def summary(self):
        """The issued tokens without their values: how many, and each one's client, scopes and state."""
        moment = time.monotonic()
        issued = [{'client_id': token['client_id'], 'scopes': list(token['scopes']), 'expired': moment >= token['expires_at']}
                  for token in self.tokens.values()]
        return {'count': len(issued), 'tokens': issued}
