#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_escalation_policy_info
short_description: List PagerDuty escalation policies
version_added: 0.1.0
description:
  - Returns PagerDuty escalation policies, all of them or those matching O(id), O(name), O(query),
    O(team) or O(user).
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  id:
    description: Return the escalation policy with this id (an empty list when there is none).
    type: str
  name:
    description: Return the escalation policy with exactly this name (an empty list when there is none).
    type: str
  query:
    description: Return the escalation policies whose name contains this text.
    type: str
  team:
    description: Only policies of this team, by name or id.
    type: str
  user:
    description: Only policies that target this user, by email or id.
    type: str
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(escalation_policies.read) (C(teams.read) and
    C(users.read) for those filters).
seealso:
  - module: oncall.pagerduty.pd_escalation_policy
"""

EXAMPLES = r"""
- name: Which policies still page Alice?
  oncall.pagerduty.pd_escalation_policy_info:
    api_token: "{{ vault_pagerduty_token }}"
    user: alice@example.com
  register: alice_policies

- name: One policy by name
  oncall.pagerduty.pd_escalation_policy_info:
    name: SRE escalation
  register: sre_policy
"""

RETURN = r"""
escalation_policies:
  description: The matching escalation policies, as PagerDuty returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: PANZZEQ
      type: escalation_policy
      name: SRE escalation
      num_loops: 2
      escalation_rules:
        - escalation_delay_in_minutes: 15
          targets:
            - id: PI7DH85
              type: schedule_reference
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._escalation_policy import EscalationPolicyInfoModule


def main():
    EscalationPolicyInfoModule(
        dict(id=dict(type="str"), name=dict(type="str"), query=dict(type="str"), team=dict(type="str"), user=dict(type="str")),
    ).run()


if __name__ == "__main__":
    main()
