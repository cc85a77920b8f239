#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_offboard_user
short_description: Take a person out of schedules, escalation policies and teams, then delete or downgrade them
version_added: 0.1.0
description:
  - Offboards one PagerDuty user safely, in this order, each step through the module of its kind so that it is
    compared, reported and checked the same way.
  - Schedules. The person leaves every live layer they are in. Whoever is on call on the layer now stays on call
    until their turn ends (as M(oncall.pagerduty.pd_schedule) with O(oncall.pagerduty.pd_schedule#module:preserve_oncall=true)
    does); when the person is on call now, the next in the new order takes the current turn.
  - Escalation policies. The person is removed from every rule target.
  - A layer or a rule that would be left with no one is never emptied. Without O(replacement) the task fails before
    any write and names each of them; with it, the replacement takes the person's place there.
  - Teams. The person leaves every team.
  - Then, by O(action), the user is deleted, downgraded to O(downgrade_role), or kept.
  - Every change is planned before the first write. In check mode every step is shown (with C(--diff), each
    object's diff) and nothing is written. A user who does not exist any more is not a change.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  user:
    description: Email (any letter case) or id of the user to offboard.
    type: str
    required: true
  replacement:
    description:
      - Email or id of the user who takes the person's place in a schedule layer or an escalation rule that would
        otherwise be left with no one. Not used elsewhere.
    type: str
  action:
    description:
      - V(delete) deletes the user, V(downgrade) sets their role to O(downgrade_role), V(keep) leaves the user as they
        are (out of schedules, policies and teams).
    type: str
    choices: [delete, downgrade, keep]
    default: delete
  downgrade_role:
    description: The base role given with O(action=downgrade), in the API's or the web UI's names.
    type: str
    default: observer
    choices: [admin, global_admin, limited_stakeholder, limited_user, manager, observer, read_only_limited_user,
              read_only_user, responder, restricted_access, stakeholder, user]
seealso:
  - module: oncall.pagerduty.pd_user
  - module: oncall.pagerduty.pd_schedule
  - module: oncall.pagerduty.pd_escalation_policy
"""

EXAMPLES = r"""
- name: Review the offboarding of Dana first
  oncall.pagerduty.pd_offboard_user:
    user: dana@example.com
    replacement: erin@example.com
  check_mode: true
  diff: true

- name: Offboard Dana, keeping the account for the audit trail
  oncall.pagerduty.pd_offboard_user:
    user: dana@example.com
    replacement: erin@example.com
    action: downgrade
    downgrade_role: observer
  register: offboarded

- name: What changed
  ansible.builtin.debug:
    msg: "{{ offboarded.objects | selectattr('changed') | map(attribute='key') | list }}"
"""

RETURN = r"""
user:
  description: The user offboarded (C(id), C(email)), or V(null) when there was none.
  returned: always
  type: dict
  sample: {id: PXPGF42, email: dana@example.com}
objects:
  description:
    - One entry per step, in order (schedules, escalation policies, the user's teams, the user), each as in
      M(oncall.pagerduty.pd_account)'s result (C(kind), C(key), C(id), C(action), C(changed), C(diff) with C(--diff)).
  returned: always
  type: list
  elements: dict
  sample:
    - {kind: schedule, key: SRE primary, id: PI7DH85, action: updated, changed: true}
    - {kind: escalation_policy, key: SRE escalation, id: PANZZEQ, action: updated, changed: true}
    - {kind: user, key: dana@example.com, id: PXPGF42, action: updated, changed: true}
    - {kind: user, key: dana@example.com, id: PXPGF42, action: deleted, changed: true}
summary:
  description: For each kind, how many objects were V(created), V(updated), V(deleted) and V(unchanged).
  returned: always
  type: dict
diff:
  description: With C(--diff), one entry per changed object, headed with its kind and key.
  returned: when diff mode is on
  type: list
  elements: dict
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._offboard_user import OffboardUserModule


def main():
    OffboardUserModule().run()


if __name__ == "__main__":
    main()
