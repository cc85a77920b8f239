# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: pd_resource
short_description: Find a PagerDuty object by name, email or id
version_added: 0.1.0
description:
  - The first term is the kind of object (V(teams), V(users), V(services), V(escalation_policies), V(schedules),
    V(maintenance_windows), V(business_services), V(tags), V(webhook_subscriptions), V(alert_grouping_settings),
    V(orchestrations); the singular works too), every other term the natural key (a user's email, a maintenance
    window's description, a tag's label, a webhook subscription's delivery URL, the name of anything else) or the id
    of one object.
  - Returns the object as PagerDuty does, or one of its attributes.
  - A name matches exactly (emails case-insensitively); a name shared by several objects is an error naming their ids.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection.plugins
options:
  _terms:
    description: The kind of object, then one or more names, emails or ids.
    type: list
    elements: str
    required: true
  attribute:
    description:
      - Return this attribute of each object instead of the whole object, for example V(id) or V(html_url).
      - An attribute the object does not have is an error.
    type: str
  default:
    description:
      - Returned for an object that does not exist. When not given, a missing object is an error.
    type: raw
"""

EXAMPLES = r"""
- name: The id of a user
  ansible.builtin.debug:
    msg: "{{ lookup('oncall.pagerduty.pd_resource', 'users', 'alice@example.com', attribute='id') }}"

- name: A whole service
  ansible.builtin.set_fact:
    checkout: "{{ lookup('oncall.pagerduty.pd_resource', 'services', 'Checkout') }}"

- name: Ids of several teams, with a fallback for a team that may not exist yet
  ansible.builtin.set_fact:
    team_ids: "{{ query('oncall.pagerduty.pd_resource', 'teams', 'SRE', 'Payments', attribute='id', default='') }}"
"""

RETURN = r"""
_raw:
  description:
    - One entry per name or id, in order, the object as PagerDuty returns it or the value of O(attribute).
    - O(default) for an object that does not exist, when given.
  type: list
  elements: raw
"""

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._connection import client_from_options, plugin_connection_options


def kind_named(text):
    """The catalog kind for a plural or singular name such as users or escalation_policy."""
    for kind in catalog.KINDS.values():
        if text in (kind.name, kind.plural):
            return kind
    kinds = ", ".join(sorted(k.plural for k in catalog.KINDS.values()))
    raise AnsibleError(f"oncall.pagerduty.pd_resource: unknown kind of object {text!r}; use one of: {kinds}")


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        has_default = "default" in kwargs
        self.set_options(var_options=variables, direct=kwargs)
        if len(terms) < 2:
            raise AnsibleError("oncall.pagerduty.pd_resource needs a kind of object and at least one name or id, "
                               "such as lookup('oncall.pagerduty.pd_resource', 'users', 'alice@example.com')")
        kind = kind_named(terms[0])
        attribute = self.get_option("attribute")
        result = []
        try:
            client = client_from_options(plugin_connection_options(self))
            for key in terms[1:]:
                found = catalog.find(client, kind, key)
                if found is None:
                    if has_default:
                        result.append(self.get_option("default"))
                        continue
                    raise AnsibleError(f"oncall.pagerduty.pd_resource: no {kind.label} with id or {kind.natural_key} {key!r} exists")
                if attribute:
                    if attribute not in found:
                        raise AnsibleError(f"oncall.pagerduty.pd_resource: the {kind.label} {key!r} has no attribute {attribute!r}")
                    found = found[attribute]
                result.append(found)
        except PagerDutyError as exc:
            raise AnsibleError(f"oncall.pagerduty.pd_resource: {exc}")
        return result
