# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Declarations agree with argument specs: every module's fields and sub-lists, and the connection doc fragment."""

from __future__ import annotations

import importlib
import os

import pytest
import yaml

from ansible_collections.oncall.pagerduty.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.oncall.pagerduty.plugins.module_utils import _base, _connection
from ansible_collections.oncall.pagerduty.plugins.module_utils._base import DeclarationError
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import DEFAULTS
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import Field
from ansible_collections.oncall.pagerduty.plugins.module_utils._team import TeamModule

MODULES_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins", "modules")
MODULE_NAMES = sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.startswith("pd_") and name.endswith(".py"))


class Built(Exception):
    """Raised instead of building the AnsibleModule: the declaration check has already run by then."""

    def __init__(self, spec):
        super().__init__("built")
        self.spec = spec


@pytest.fixture
def capture_spec(monkeypatch):
    """Stop every module at AnsibleModule(): what it was given is in the raised Built."""
    def fake_ansible_module(argument_spec, **kwargs):
        raise Built(argument_spec)
    monkeypatch.setattr(_base, "AnsibleModule", fake_ansible_module)


def test_the_modules_are_all_found():
    assert len(MODULE_NAMES) >= 14
    assert "pd_team" in MODULE_NAMES and "pd_schedule_override" in MODULE_NAMES


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_every_declared_option_is_in_the_argument_spec(name, capture_spec):
    module = importlib.import_module(f"ansible_collections.oncall.pagerduty.plugins.modules.{name}")
    with pytest.raises(Built) as built:
        module.main()  # a DeclarationError here names the class and the missing option
    assert set(_connection.CONNECTION_OPTIONS) <= set(built.value.spec)


def test_a_misspelt_field_fails_at_construction(capture_spec):
    class Misspelt(TeamModule):
        fields = TeamModule.fields + (Field("descriptin"),)

    with pytest.raises(DeclarationError, match="Misspelt declares field 'descriptin', which its argument spec does not have"):
        Misspelt({"name": {"type": "str"}, "id": {"type": "str"}, "state": {"type": "str"}, "description": {"type": "str"},
                  "parent": {"type": "str"}, "default_role": {"type": "str"}, "members": {"type": "list"}, "purge_members": {"type": "bool"}})


def test_a_missing_sublist_purge_option_fails_at_construction(capture_spec):
    spec = {"name": {"type": "str"}, "id": {"type": "str"}, "state": {"type": "str"}, "description": {"type": "str"},
            "parent": {"type": "str"}, "default_role": {"type": "str"}, "members": {"type": "list"}}
    with pytest.raises(DeclarationError, match="sub-list purge option 'purge_members'"):
        TeamModule(spec)
    with pytest.raises(Built):
        TeamModule(dict(spec, purge_members={"type": "bool"}))


# -- the connection doc fragment ---------------------------------------------------------------


def fragment(variant):
    return yaml.safe_load(getattr(ModuleDocFragment, variant))["options"]


def comparable_spec():
    """name -> (type, default, choices, env) as the argument spec has them."""
    result = {}
    for name, option in _connection.connection_argument_spec().items():
        fallback = option.get("fallback")
        env = fallback[1][0] if fallback else None
        result[name] = (option["type"], option.get("default"), sorted(option.get("choices") or []), env)
    return result


def test_the_argument_spec_takes_the_client_defaults():
    spec = _connection.connection_argument_spec()
    assert {name: spec[name]["default"] for name in DEFAULTS} == DEFAULTS
    assert spec["api_token"]["no_log"] is True
    assert [name for name, option in spec.items() if option.get("no_log")] == ["api_token", "oauth_client_secret"]


def test_module_fragment_matches_the_argument_spec():
    options = fragment("DOCUMENTATION")
    documented = {}
    for name, option in options.items():
        mentioned = [word for line in option["description"] for word in line.split() if word.startswith("E(")]
        env = mentioned[0][2:].rstrip(").,") if mentioned else None
        documented[name] = (option["type"], option.get("default"), sorted(option.get("choices") or []), env)
    assert documented == comparable_spec()


def test_plugins_fragment_matches_the_argument_spec():
    options = fragment("PLUGINS")
    documented = {}
    for name, option in options.items():
        envs = [entry["name"] for entry in option.get("env") or []]
        assert len(envs) <= 1, name
        documented[name] = (option["type"], option.get("default"), sorted(option.get("choices") or []), envs[0] if envs else None)
    assert documented == comparable_spec()


def test_a_disagreeing_fragment_is_caught(monkeypatch):
    """The comparison above is not vacuous: a changed default in the spec shows as a difference."""
    changed = dict(DEFAULTS, timeout=45.0)
    monkeypatch.setattr(_connection, "DEFAULTS", changed)
    with pytest.raises(AssertionError):
        test_plugins_fragment_matches_the_argument_spec()
