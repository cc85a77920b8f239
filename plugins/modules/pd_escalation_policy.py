#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_escalation_policy
short_description: Manage PagerDuty escalation policies
version_added: 0.1.0
description:
  - Makes a PagerDuty escalation policy match the task, idempotently. The policy is found by O(id) or by its O(name).
  - Users are given by email or id and schedules by name or id; they are resolved to ids, and a target that does
    not exist is an error naming it.
  - Rule order matters, it is the order of escalation. The order of targets within a rule does not.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  name:
    description:
      - Name of the escalation policy, its natural key. Required to create one.
    type: str
  id:
    description: PagerDuty id of an existing escalation policy. Takes precedence over O(name) for finding it.
    type: str
  description:
    description: Description of the escalation policy.
    type: str
  num_loops:
    description: How many times the policy repeats once the last rule escalates. V(0) means no repeat.
    type: int
  on_call_handoff_notifications:
    description: When on-call handoff notifications are sent for this policy.
    type: str
    choices: [if_has_services, always]
  teams:
    description: Teams (names or ids) the escalation policy belongs to. Compared as a set.
    type: list
    elements: str
  rules:
    description:
      - The escalation rules, in escalation order. Required to create a policy.
      - At most 5 targets per rule; more are refused before any request is sent.
    type: list
    elements: dict
    suboptions:
      escalation_delay_in_minutes:
        description: Minutes before an unacknowledged incident escalates from this rule to the next.
        type: int
        required: true
      targets:
        description: Who is notified. Each target gives exactly one of O(rules[].targets[].user) or O(rules[].targets[].schedule).
        type: list
        elements: dict
        required: true
        suboptions:
          user:
            description: Email or id of a user.
            type: str
          schedule:
            description: Name or id of a schedule.
            type: str
      assignment_strategy:
        description:
          - How incidents are assigned to the targets of this rule. When not set, it is not managed.
        type: str
        choices: [assign_to_everyone, round_robin]
  state:
    description:
      - V(present) creates or updates the policy, V(absent) deletes it.
      - PagerDuty refuses to delete a policy that services still use; the error names them.
    type: str
    choices: [present, absent]
    default: present
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(escalation_policies.read),
    C(escalation_policies.write), C(users.read), C(schedules.read) and C(teams.read).
seealso:
  - module: oncall.pagerduty.pd_escalation_policy_info
  - module: oncall.pagerduty.pd_service
"""

EXAMPLES = r"""
- name: Primary on call, then the team lead, then everyone in the SRE team
  oncall.pagerduty.pd_escalation_policy:
    api_token: "{{ vault_pagerduty_token }}"
    name: SRE escalation
    description: Pages the SRE rotation
    num_loops: 2
    teams: [SRE]
    rules:
      - escalation_delay_in_minutes: 15
        targets:
          - schedule: SRE primary
      - escalation_delay_in_minutes: 15
        targets:
          - user: lead@example.com
      - escalation_delay_in_minutes: 30
        assignment_strategy: assign_to_everyone
        targets:
          - user: alice@example.com
          - user: bob@example.com

- name: Remove a policy no service uses any more
  oncall.pagerduty.pd_escalation_policy:
    name: Legacy escalation
    state: absent
"""

RETURN = r"""
escalation_policy:
  description:
    - The escalation policy as PagerDuty returns it after the change.
    - In check mode, the predicted policy; a policy that would be created has C(id) V(null).
    - With O(state=absent), the deleted policy, or V(null) when there was none.
  returned: always
  type: dict
  sample:
    id: PANZZEQ
    type: escalation_policy
    name: SRE escalation
    num_loops: 2
    on_call_handoff_notifications: if_has_services
    escalation_rules:
      - id: PANZZEQ
        escalation_delay_in_minutes: 15
        targets:
          - id: PI7DH85
            type: schedule_reference
    services: []
    teams:
      - id: PQ9K7I8
        type: team_reference
diff:
  description: The managed fields before and after, when run with C(--diff). Targets show as C([kind, id]) pairs.
  returned: when diff mode is on
  type: dict
  sample:
    before:
      num_loops: 0
    after:
      num_loops: 2
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._escalation_policy import EscalationPolicyModule


def main():
    EscalationPolicyModule().run()


if __name__ == "__main__":
    main()
