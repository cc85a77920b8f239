# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Connection options shared by every module of the collection."""

    DOCUMENTATION = r"""
options:
  api_token:
    description:
      - PagerDuty REST API key (account or user API key) or OAuth access token.
      - If not set, the value of the E(PAGERDUTY_API_TOKEN) environment variable is used.
      - Required unless O(auth_type=client_credentials). It is never shown in output, diffs or error messages.
    type: str
  auth_type:
    description:
      - How O(api_token) is sent.
      - "V(token) sends C(Authorization: Token token=...), for REST API keys."
      - "V(bearer) sends C(Authorization: Bearer ...), for OAuth access tokens."
      - V(client_credentials) uses PagerDuty's Scoped OAuth for apps instead of O(api_token) - O(oauth_client_id),
        O(oauth_client_secret), O(oauth_subdomain) and O(oauth_scopes) are exchanged for an access token once per task
        (again when it expires). The scopes each module needs are in its notes.
      - If not set, the value of the E(PAGERDUTY_AUTH_TYPE) environment variable is used.
    type: str
    choices: [token, bearer, client_credentials]
    default: token
  region:
    description:
      - The service region of the PagerDuty account.
      - V(us) uses C(https://api.pagerduty.com), V(eu) uses C(https://api.eu.pagerduty.com).
      - Ignored when O(api_url) is set.
      - If not set, the value of the E(PAGERDUTY_REGION) environment variable is used.
    type: str
    choices: [us, eu]
    default: us
  api_url:
    description:
      - Base URL of the API, overriding O(region); for example a proxy or a test endpoint.
      - Plain C(http://) is refused unless the host is a loopback address.
      - If not set, the value of the E(PAGERDUTY_API_URL) environment variable is used.
    type: str
  from_email:
    description:
      - Email address of a PagerDuty user, sent as the C(From) header on write requests.
      - PagerDuty requires it for some writes made with an account-level API key, such as creating users.
      - If not set, the value of the E(PAGERDUTY_FROM_EMAIL) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the API. Only turn this off for a test endpoint.
      - If not set, the value of the E(PAGERDUTY_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of CA certificates to trust instead of the system store, for example for a TLS-inspecting proxy.
      - If not set, the value of the E(PAGERDUTY_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP request.
    type: float
    default: 30
  max_retries:
    description:
      - How many times a request is retried after a rate limit (HTTP 429), a server error (500, 502, 503, 504) or a
        connection error, with exponential backoff.
      - On HTTP 429 the wait honours the C(ratelimit-reset) or C(Retry-After) header (at most 60 seconds per wait).
      - A create (POST) is only resent when the server certainly did not act on it.
    type: int
    default: 5
  oauth_client_id:
    description:
      - Client id of a PagerDuty app with Scoped OAuth, for O(auth_type=client_credentials).
      - If not set, the value of the E(PAGERDUTY_OAUTH_CLIENT_ID) environment variable is used.
    type: str
  oauth_client_secret:
    description:
      - Client secret of that app. It is never shown in output, diffs or error messages.
      - If not set, the value of the E(PAGERDUTY_OAUTH_CLIENT_SECRET) environment variable is used.
    type: str
  oauth_scopes:
    description:
      - The scopes to ask for, such as V(teams.read) and V(teams.write); the app must have been granted them.
      - The account scope C(as_account-<region>.<oauth_subdomain>) is added from O(region) and O(oauth_subdomain).
      - If not set, the value of the E(PAGERDUTY_OAUTH_SCOPES) environment variable is used (scopes separated by spaces or commas).
    type: list
    elements: str
  oauth_subdomain:
    description:
      - The subdomain of the PagerDuty account, V(example) for C(example.pagerduty.com).
      - If not set, the value of the E(PAGERDUTY_OAUTH_SUBDOMAIN) environment variable is used.
    type: str
  oauth_token_url:
    description:
      - Where the access token is asked for. The default is PagerDuty's identity service, C(https://identity.pagerduty.com/oauth/token),
        for US and EU accounts alike.
      - If not set, the value of the E(PAGERDUTY_OAUTH_TOKEN_URL) environment variable is used.
    type: str
requirements:
  - requests >= 2.25.0
notes:
  - TLS 1.2 or newer is required for every connection.
  - All modules of the collection belong to the action group C(oncall.pagerduty.pagerduty), so the connection
    options can be set once with C(module_defaults).
"""

    # The inventory plugin and the lookups: the same options, read from the environment by Ansible's config system.
    PLUGINS = r"""
options:
  api_token:
    description:
      - PagerDuty REST API key (account or user API key) or OAuth access token.
      - Required unless O(auth_type=client_credentials). It is never shown in output or error messages.
    type: str
    env:
      - name: PAGERDUTY_API_TOKEN
  auth_type:
    description:
      - How O(api_token) is sent.
      - "V(token) sends C(Authorization: Token token=...), for REST API keys."
      - "V(bearer) sends C(Authorization: Bearer ...), for OAuth access tokens."
      - V(client_credentials) uses PagerDuty's Scoped OAuth for apps instead of O(api_token) - O(oauth_client_id),
        O(oauth_client_secret), O(oauth_subdomain) and O(oauth_scopes) are exchanged for an access token once per run
        (again when it expires). Reading needs the C(.read) scopes of the objects read, such as C(services.read).
    type: str
    choices: [token, bearer, client_credentials]
    default: token
    env:
      - name: PAGERDUTY_AUTH_TYPE
  region:
    description:
      - The service region of the PagerDuty account.
      - V(us) uses C(https://api.pagerduty.com), V(eu) uses C(https://api.eu.pagerduty.com).
      - Ignored when O(api_url) is set.
    type: str
    choices: [us, eu]
    default: us
    env:
      - name: PAGERDUTY_REGION
  api_url:
    description:
      - Base URL of the API, overriding O(region); for example a proxy or a test endpoint.
      - Plain C(http://) is refused unless the host is a loopback address.
    type: str
    env:
      - name: PAGERDUTY_API_URL
  from_email:
    description:
      - Email address of a PagerDuty user, sent as the C(From) header on write requests (this plugin only reads).
    type: str
    env:
      - name: PAGERDUTY_FROM_EMAIL
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the API. Only turn this off for a test endpoint.
    type: bool
    default: true
    env:
      - name: PAGERDUTY_VALIDATE_CERTS
  ca_path:
    description:
      - PEM file of CA certificates to trust instead of the system store, for example for a TLS-inspecting proxy.
    type: path
    env:
      - name: PAGERDUTY_CA_PATH
  timeout:
    description:
      - Seconds to wait for each HTTP request.
    type: float
    default: 30
  max_retries:
    description:
      - How many times a request is retried after a rate limit (HTTP 429), a server error (500, 502, 503, 504) or a
        connection error, with exponential backoff.
      - On HTTP 429 the wait honours the C(ratelimit-reset) or C(Retry-After) header (at most 60 seconds per wait).
    type: int
    default: 5
  oauth_client_id:
    description:
      - Client id of a PagerDuty app with Scoped OAuth, for O(auth_type=client_credentials).
    type: str
    env:
      - name: PAGERDUTY_OAUTH_CLIENT_ID
  oauth_client_secret:
    description:
      - Client secret of that app. It is never shown in output or error messages.
    type: str
    env:
      - name: PAGERDUTY_OAUTH_CLIENT_SECRET
  oauth_scopes:
    description:
      - The scopes to ask for, such as V(services.read); the app must have been granted them.
      - The account scope C(as_account-<region>.<oauth_subdomain>) is added from O(region) and O(oauth_subdomain).
    type: list
    elements: str
    env:
      - name: PAGERDUTY_OAUTH_SCOPES
  oauth_subdomain:
    description:
      - The subdomain of the PagerDuty account, V(example) for C(example.pagerduty.com).
    type: str
    env:
      - name: PAGERDUTY_OAUTH_SUBDOMAIN
  oauth_token_url:
    description:
      - Where the access token is asked for; default C(https://identity.pagerduty.com/oauth/token).
    type: str
    env:
      - name: PAGERDUTY_OAUTH_TOKEN_URL
requirements:
  - requests >= 2.25.0
notes:
  - TLS 1.2 or newer is required for every connection.
"""
