#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_incident_info
short_description: List PagerDuty incidents
version_added: 0.1.0
description:
  - Returns PagerDuty incidents, filtered by O(id), O(incident_key), O(service), O(team), O(user), O(statuses),
    O(urgencies) and a time window.
  - Without O(since), O(until) or O(all_time), PagerDuty returns the incidents of the last month; with O(incident_key)
    alone every incident with that key, whenever it was opened.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  id:
    description: Return the incident with this id (an empty list when there is none).
    type: str
  incident_key:
    description: Only incidents with this key (the dedup key of the alert that opened them).
    type: str
  service:
    description: Only incidents of these services, by name or id.
    type: list
    elements: str
  team:
    description: Only incidents of these teams, by name or id.
    type: list
    elements: str
  user:
    description: Only incidents assigned to these users, by email or id.
    type: list
    elements: str
  statuses:
    description: Only incidents in these states.
    type: list
    elements: str
    choices: [triggered, acknowledged, resolved]
  urgencies:
    description: Only incidents of these urgencies.
    type: list
    elements: str
    choices: [high, low]
  since:
    description: The start of the time window (ISO 8601, V(now) or a relative time such as V(now-7d)); PagerDuty allows six months at most.
    type: str
  until:
    description: The end of the time window (ISO 8601, V(now) or a relative time).
    type: str
  all_time:
    description: Incidents of any date (PagerDuty's C(date_range=all)).
    type: bool
    default: false
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scope C(incidents.read).
seealso:
  - module: oncall.pagerduty.pd_incident
"""

EXAMPLES = r"""
- name: Open high-urgency incidents of a service
  oncall.pagerduty.pd_incident_info:
    service: [Checkout]
    statuses: [triggered, acknowledged]
    urgencies: [high]
  register: open_incidents

- name: Everything of the last week
  oncall.pagerduty.pd_incident_info:
    since: now-7d
    until: now
  register: last_week
"""

RETURN = r"""
incidents:
  description: The incidents as PagerDuty returns them.
  returned: always
  type: list
  elements: dict
  sample: [{"id": "PT4KHLK", "type": "incident", "status": "triggered", "incident_key": "db01/disk", "urgency": "high"}]
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._incident import IncidentInfoModule


def main():
    argument_spec = {
        "id": {"type": "str"},
        "incident_key": {"type": "str", "no_log": False},
        "service": {"type": "list", "elements": "str"},
        "team": {"type": "list", "elements": "str"},
        "user": {"type": "list", "elements": "str"},
        "statuses": {"type": "list", "elements": "str", "choices": ["triggered", "acknowledged", "resolved"]},
        "urgencies": {"type": "list", "elements": "str", "choices": ["high", "low"]},
        "since": {"type": "str"},
        "until": {"type": "str"},
        "all_time": {"type": "bool", "default": False},
    }
    IncidentInfoModule(argument_spec).run()


if __name__ == "__main__":
    main()
