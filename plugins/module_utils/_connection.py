# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The connection options, in one place: what modules, the inventory plugin and the lookups import.

Private to this collection: not an API for other collections.

``OPTIONS`` is the one source. The modules' argument spec is built from it, the
client's defaults are the same constants (``_client.DEFAULTS``), and a unit test
checks both variants of ``plugins/doc_fragments/connection.py`` against it.
"""

from __future__ import annotations

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION
from ansible.module_utils.basic import env_fallback

from ansible_collections.oncall.pagerduty.plugins.module_utils._client import AUTH_TYPES, API_URLS, DEFAULTS, PagerDutyClient

# name -> (type, environment variable or None, choices or None, no_log)
OPTIONS = {
    "api_token": ("str", "PAGERDUTY_API_TOKEN", None, True),
    "auth_type": ("str", "PAGERDUTY_AUTH_TYPE", list(AUTH_TYPES), False),
    "region": ("str", "PAGERDUTY_REGION", sorted(API_URLS), False),
    "api_url": ("str", "PAGERDUTY_API_URL", None, False),
    "from_email": ("str", "PAGERDUTY_FROM_EMAIL", None, False),
    "validate_certs": ("bool", "PAGERDUTY_VALIDATE_CERTS", None, False),
    "ca_path": ("path", "PAGERDUTY_CA_PATH", None, False),
    "timeout": ("float", None, None, False),
    "max_retries": ("int", None, None, False),
    "oauth_client_id": ("str", "PAGERDUTY_OAUTH_CLIENT_ID", None, False),
    "oauth_client_secret": ("str", "PAGERDUTY_OAUTH_CLIENT_SECRET", None, True),
    "oauth_scopes": ("list", "PAGERDUTY_OAUTH_SCOPES", None, False),
    "oauth_subdomain": ("str", "PAGERDUTY_OAUTH_SUBDOMAIN", None, False),
    "oauth_token_url": ("str", "PAGERDUTY_OAUTH_TOKEN_URL", None, False),
}
CONNECTION_OPTIONS = tuple(OPTIONS)


def connection_argument_spec() -> dict:
    """The connection options every module takes (documented in the connection doc fragment)."""
    spec = {}
    for name, (kind, env, choices, no_log) in OPTIONS.items():
        option = {"type": kind}
        if name in DEFAULTS:
            option["default"] = DEFAULTS[name]
        if kind == "list":
            option["elements"] = "str"
        if choices:
            option["choices"] = list(choices)
        if env:
            option["fallback"] = (env_fallback, [env])
        option["no_log"] = no_log  # explicit either way: names such as oauth_token_url look like secrets but are not
        spec[name] = option
    return spec


def client_from_options(options: dict, token_source=None, rate_budget=None) -> PagerDutyClient:
    """A client from a dict holding the connection options (module params or plugin options).

    ``token_source``: the scoped OAuth token of another client of the same run, to share it.
    """
    given = {name: options.get(name) for name in CONNECTION_OPTIONS if options.get(name) is not None}
    return PagerDutyClient(user_agent_extra=f"ansible-core/{ANSIBLE_VERSION}", token_source=token_source, rate_budget=rate_budget, **given)


def plugin_connection_options(plugin, templar=None) -> dict:
    """The connection options of a configured inventory or lookup plugin (secrets templated when they are templates)."""
    options = {name: plugin.get_option(name) for name in CONNECTION_OPTIONS}
    for secret in ("api_token", "oauth_client_secret"):
        value = options.get(secret)
        if templar is not None and isinstance(value, str) and templar.is_template(value):
            options[secret] = templar.template(value)
    return options


def client_factory(options: dict, like: PagerDutyClient | None = None):
    """A function making a new client from the options, for one client per thread (sharing ``like``'s OAuth token
    and rate budget, so that parallel work stays within the token's budget)."""
    def make_client():
        if like is None:
            return client_from_options(options)
        return client_from_options(options, token_source=like.token_source, rate_budget=like.rate_budget)
    return make_client
