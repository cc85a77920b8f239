#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_incident
short_description: Acknowledge, resolve, reassign or annotate a PagerDuty incident, idempotently
version_added: 0.1.0
description:
  - Finds one incident by O(id) or by O(incident_key) (the dedup key of the alert that opened it) and brings it to
    what the task says. Only what differs is sent, in one request; resolving a resolved incident changes nothing.
  - PagerDuty opens a new incident when a key is triggered again after its incident was resolved, so a key may name
    several incidents. The open one is chosen, else the newest; two open ones are an error (give O(id) or O(service)).
  - With an account API token PagerDuty needs to know who acts, so set O(from_email) (or E(PAGERDUTY_FROM_EMAIL)) to
    a user's email address; a user's own token or OAuth token acts as that user.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  id:
    description: The incident's id.
    type: str
  incident_key:
    description: The incident's key, the dedup key of the alert event that opened it (M(oncall.pagerduty.pd_event) returns it).
    type: str
  service:
    description: With O(incident_key), look only at this service's incidents (by name or id).
    type: str
  state:
    description: The incident's status. A resolved incident set to V(triggered) or V(acknowledged) is reopened.
    type: str
    choices: [triggered, acknowledged, resolved]
  resolution:
    description: With O(state=resolved), a note PagerDuty adds to the incident's resolve log entry.
    type: str
  assignees:
    description: Reassign the incident to these users (by email or id). Compared as a set.
    type: list
    elements: str
  escalation_policy:
    description: Reassign the incident to this escalation policy (by name or id).
    type: str
  urgency:
    description: The incident's urgency.
    type: str
    choices: [high, low]
  priority:
    description: The incident's priority, by name (V(P1)) or id, among the account's priorities.
    type: str
  title:
    description: The incident's title.
    type: str
  note:
    description: Add this note, unless the incident already has a note with exactly this text.
    type: str
notes:
  - O(resolution) is added only when the incident is resolved by this task.
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs C(incidents.write) (and C(incidents.read)).
seealso:
  - module: oncall.pagerduty.pd_incident_info
  - module: oncall.pagerduty.pd_event
"""

EXAMPLES = r"""
- name: Acknowledge the incident an alert opened, and say who is on it
  oncall.pagerduty.pd_incident:
    incident_key: db01/disk
    service: Checkout
    state: acknowledged
    note: Looking into it (cleanup job started)
    from_email: alice@example.com

- name: Hand it to another person, at low urgency
  oncall.pagerduty.pd_incident:
    incident_key: db01/disk
    assignees: [bob@example.com]
    urgency: low
    from_email: alice@example.com

- name: Resolve it with a resolution note (no change when it is already resolved)
  oncall.pagerduty.pd_incident:
    incident_key: db01/disk
    state: resolved
    resolution: Old WAL files removed
    from_email: alice@example.com
"""

RETURN = r"""
incident:
  description: The incident as PagerDuty returns it after the change; in check mode the incident with the predicted status and fields.
  returned: always
  type: dict
  sample: {"id": "PT4KHLK", "type": "incident", "status": "resolved", "incident_key": "db01/disk", "urgency": "high"}
diff:
  description: The fields that change, before and after (C(status), C(urgency), C(title), C(priority), C(assignees), C(escalation_policy), C(notes)).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._incident import IncidentModule


def main():
    IncidentModule().run()


if __name__ == "__main__":
    main()
