# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: pd_oncall
short_description: Who is on call for a PagerDuty schedule or escalation policy
version_added: 0.1.0
description:
  - Returns the users on call for each schedule or escalation policy named in the terms, now or at another time,
    from PagerDuty's C(GET /oncalls).
  - With C(lookup()) a single user comes back as one dictionary; use C(query()) (or C(wantlist=true)) to always get a list.
  - The module M(oncall.pagerduty.pd_oncall_info) gives the same answer in a task.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection.plugins
options:
  _terms:
    description:
      - Names or ids of schedules or escalation policies.
    type: list
    elements: str
    required: true
  at:
    description:
      - The moment to ask about. ISO 8601 (a missing offset means UTC) or relative to now, such as V(now+8h) or V(+1d).
      - The default is now.
    type: str
    default: now
  escalation_level:
    description:
      - For an escalation policy, the level whose on-call users are returned.
      - A schedule's on-call users are the same at any level a policy uses it, so this does not apply to schedules.
    type: int
    default: 1
  kind:
    description:
      - What the terms name. V(auto) looks for a schedule first, then for an escalation policy.
    type: str
    choices: [auto, schedule, escalation_policy]
    default: auto
notes:
  - PagerDuty answers on-call questions through escalation policies, so a schedule that no escalation policy uses
    has nobody on call in this answer.
seealso:
  - module: oncall.pagerduty.pd_oncall_info
"""

EXAMPLES = r"""
- name: Who is the primary on call right now
  ansible.builtin.debug:
    msg: "{{ lookup('oncall.pagerduty.pd_oncall', 'Primary') }}"

- name: Email the level 2 responders of an escalation policy tomorrow morning
  ansible.builtin.debug:
    msg: "{{ query('oncall.pagerduty.pd_oncall', 'Checkout', kind='escalation_policy', escalation_level=2,
             at='2026-12-01T09:00:00+01:00') | map(attribute='email') | join(', ') }}"

- name: On call in eight hours, with the token from a vault variable
  ansible.builtin.set_fact:
    next_shift: "{{ query('oncall.pagerduty.pd_oncall', 'PSCHED1', at='now+8h', api_token=vault_pagerduty_token) }}"
"""

RETURN = r"""
_raw:
  description: The users on call, one entry per user and shift, for all terms in order.
  type: list
  elements: dict
  contains:
    id:
      description: The user's id.
      type: str
      sample: PUSER01
    name:
      description: The user's name.
      type: str
      sample: Ann Example
    email:
      description: The user's email address.
      type: str
      sample: ann@example.com
    start:
      description: When the shift starts (ISO 8601); null for a user who is a direct target of the policy.
      type: str
      sample: "2026-12-01T09:00:00Z"
    end:
      description: When the shift ends (ISO 8601); null for a user who is a direct target of the policy.
      type: str
      sample: "2026-12-01T17:00:00Z"
    escalation_level:
      description: The escalation level of the entry.
      type: int
      sample: 1
    escalation_policy:
      description: The escalation policy (id and name) of the entry; for a schedule one of those that use it.
      type: dict
      sample: {id: PEP0001, name: Primary}
    schedule:
      description: The schedule (id and name) the user is on call through, or null for a direct target.
      type: dict
      sample: {id: PSCHED1, name: Primary}
"""

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase

from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._oncall import oncall_users
from ansible_collections.oncall.pagerduty.plugins.module_utils._connection import client_from_options, plugin_connection_options


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        result = []
        try:
            client = client_from_options(plugin_connection_options(self))
            for term in terms:
                result += oncall_users(client, term, at=self.get_option("at"), escalation_level=self.get_option("escalation_level"),
                                       kind=self.get_option("kind"))
        except (PagerDutyError, ValueError) as exc:
            raise AnsibleError(f"oncall.pagerduty.pd_oncall: {exc}")
        return result
