#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_schedule_override
short_description: Put someone on call on a PagerDuty schedule for a while, once
version_added: 0.1.0
description:
  - Creates an override on a schedule, so that O(user) is on call from O(start) to O(end) (or for O(duration)),
    whatever the layers say.
  - Idempotent, an override is identified by its schedule, user and window. With explicit times the same start
    and end are the same override; with O(start=now) (the default) an ongoing override of the same user with the
    same length (or the same O(end)) is.
  - With O(state=absent) a future override is deleted and an ongoing one is ended, as the API does.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  schedule:
    description: The schedule, by name or id.
    type: str
    required: true
  user:
    description: The user on call during the override, by email or id. Required with O(state=present).
    type: str
  start:
    description: Start, ISO 8601 (any offset), V(now), or relative such as V(+1h).
    type: str
    default: now
  end:
    description: End, in the same forms as O(start).
    type: str
  duration:
    description: Length instead of O(end), in seconds or as V(30m), V(4h), V(1d).
    type: str
  state:
    description: V(present) creates the override when it does not exist; V(absent) deletes or ends it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(schedules.read), C(schedules.write) and C(users.read).
seealso:
  - module: oncall.pagerduty.pd_schedule
"""

EXAMPLES = r"""
- name: Bob covers the primary schedule tonight
  oncall.pagerduty.pd_schedule_override:
    api_token: "{{ vault_pagerduty_token }}"
    schedule: SRE primary
    user: bob@example.com
    start: "2030-12-24T18:00:00+01:00"
    end: "2030-12-25T08:00:00+01:00"

- name: Take the pager for four hours from now (rerunning creates nothing)
  oncall.pagerduty.pd_schedule_override:
    schedule: SRE primary
    user: alice@example.com
    duration: 4h

- name: Hand it back
  oncall.pagerduty.pd_schedule_override:
    schedule: SRE primary
    user: alice@example.com
    duration: 4h
    state: absent
"""

RETURN = r"""
override:
  description:
    - The override as PagerDuty returns it; in check mode the predicted one (C(id) V(null) when new).
    - With O(state=absent), the override that was deleted or ended, or V(null) when there was none.
  returned: always
  type: dict
  sample:
    id: PEYSGVF
    start: "2030-12-24T18:00:00+01:00"
    end: "2030-12-25T08:00:00+01:00"
    user: {id: PAM4FGS, type: user_reference, summary: Bob Example}
diff:
  description: The override before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._schedule_override import OverrideModule


def main():
    OverrideModule().run()


if __name__ == "__main__":
    main()
