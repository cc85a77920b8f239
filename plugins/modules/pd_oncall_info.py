#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_oncall_info
short_description: Who is on call for PagerDuty schedules or escalation policies
version_added: 0.1.0
description:
  - Returns the users on call for each schedule or escalation policy in O(names), now or at another time,
    from PagerDuty's C(GET /oncalls).
  - The same answer as the P(oncall.pagerduty.pd_oncall#lookup) lookup, for tasks and ad hoc commands.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  names:
    description: Names or ids of schedules or escalation policies.
    type: list
    elements: str
    required: true
    aliases: [name]
  at:
    description:
      - The moment to ask about. ISO 8601 (a missing offset means UTC) or relative to now, such as V(now+8h) or V(+1d).
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
      - What O(names) names. V(auto) looks for a schedule first, then for an escalation policy.
    type: str
    choices: [auto, schedule, escalation_policy]
    default: auto
notes:
  - PagerDuty answers on-call questions through escalation policies, so a schedule that no escalation policy uses
    has nobody on call in this answer.
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(oncalls.read), C(schedules.read) and C(escalation_policies.read).

seealso:
  - plugin: oncall.pagerduty.pd_oncall
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Who is on call for the Primary schedule now
  oncall.pagerduty.pd_oncall_info:
    names: Primary
  register: primary

- name: Show their emails
  ansible.builtin.debug:
    msg: "{{ primary.oncalls | map(attribute='email') | list }}"

- name: Level 2 of an escalation policy next Monday morning
  oncall.pagerduty.pd_oncall_info:
    names: [Checkout]
    kind: escalation_policy
    escalation_level: 2
    at: "2026-12-07T09:00:00+01:00"
"""

RETURN = r"""
oncalls:
  description: The users on call, one entry per user and shift, for all O(names) in order.
  returned: always
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

from ansible_collections.oncall.pagerduty.plugins.module_utils._oncall import TARGET_KINDS, OncallInfoModule


def main():
    OncallInfoModule(dict(
        names=dict(type="list", elements="str", required=True, aliases=["name"]),
        at=dict(type="str", default="now"),
        escalation_level=dict(type="int", default=1),
        kind=dict(type="str", default="auto", choices=list(TARGET_KINDS)),
    )).run()


if __name__ == "__main__":
    main()
