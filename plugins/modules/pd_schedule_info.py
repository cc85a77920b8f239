#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_schedule_info
short_description: PagerDuty schedules, who is on call now, and the rendered final schedule
version_added: 0.1.0
description:
  - Returns PagerDuty schedules, all of them or those matching O(id), O(name) or O(query), with their layers.
  - Each schedule carries C(oncall_now), the users on call on its final schedule at this moment.
  - With O(since) and O(until), each schedule also carries C(oncall), the final schedule rendered by PagerDuty
    for that window (who is on call when, overrides included), and C(coverage), the percentage of the window
    that has someone on call.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  id:
    description: Return the schedule with this id (an empty list when there is none).
    type: str
  name:
    description: Return the schedule with exactly this name (an empty list when there is none).
    type: str
  query:
    description: Return the schedules whose name contains this text.
    type: str
  since:
    description: Start of the window to render, ISO 8601 (any offset), V(now), or relative such as V(-1d) or V(now+2h).
    type: str
  until:
    description: End of the window to render, in the same forms as O(since), for example V(+7d).
    type: str
notes:
  - One extra request per schedule finds who is on call now, and one more renders O(since) to O(until).
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(schedules.read).

seealso:
  - module: oncall.pagerduty.pd_schedule
"""

EXAMPLES = r"""
- name: Who is on call on the primary schedule this week, and how well is it covered?
  oncall.pagerduty.pd_schedule_info:
    api_token: "{{ vault_pagerduty_token }}"
    name: SRE primary
    since: now
    until: +7d
  register: primary

- name: Report
  ansible.builtin.debug:
    msg: >-
      Now: {{ primary.schedules[0].oncall_now | map(attribute='user.summary') | join(', ') }};
      coverage {{ primary.schedules[0].coverage }}%
"""

RETURN = r"""
schedules:
  description: The matching schedules as PagerDuty returns them, each with C(oncall_now) and, with O(since), C(oncall) and C(coverage).
  returned: always
  type: list
  elements: dict
  contains:
    oncall_now:
      description: The users on call now, with the start and end of their current entry.
      type: list
      elements: dict
      returned: always
      sample:
        - user: {id: PXPGF42, summary: Alice Example}
          start: "2026-11-26T09:00:00+01:00"
          end: "2026-11-27T09:00:00+01:00"
    oncall:
      description: The final schedule between O(since) and O(until), entry by entry.
      type: list
      elements: dict
      returned: when O(since) and O(until) are given
    coverage:
      description: Percentage of the window between O(since) and O(until) with someone on call.
      type: float
      returned: when O(since) and O(until) are given
      sample: 100.0
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._schedule import ScheduleInfoModule


def main():
    ScheduleInfoModule(
        dict(id=dict(type="str"), name=dict(type="str"), query=dict(type="str"), since=dict(type="str"), until=dict(type="str")),
        required_together=[("since", "until")],
    ).run()


if __name__ == "__main__":
    main()
