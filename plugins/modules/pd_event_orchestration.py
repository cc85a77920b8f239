#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_event_orchestration
short_description: Create, update and delete PagerDuty global event orchestrations
version_added: 0.1.0
description:
  - Manages a global event orchestration (its name, description and owning team), found by its name or O(id).
    Its rules are managed by M(oncall.pagerduty.pd_event_orchestration_router),
    M(oncall.pagerduty.pd_event_orchestration_global) and M(oncall.pagerduty.pd_event_orchestration_unrouted).
  - PagerDuty gives a new orchestration an integration whose routing key sends events to it. The result lists the
    orchestration's integrations; their routing keys are secrets, shown only with O(routing_keys=true).
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  name:
    description: The orchestration's name, unique in the account; how it is found when O(id) is not given.
    type: str
  id:
    description: The orchestration's id; with it O(name) can be changed.
    type: str
  description:
    description: What the orchestration is for.
    type: str
  team:
    description: The team that owns the orchestration (by name or id); without one only admins can change it.
    type: str
  routing_keys:
    description: Show the routing keys of the orchestration's integrations in the result (else they are hidden).
    type: bool
    default: false
  state:
    description: Whether the orchestration exists. Deleting it deletes its rules and integrations.
    type: str
    choices: [present, absent]
    default: present
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs C(event_orchestrations.write) (and C(.read)).
seealso:
  - module: oncall.pagerduty.pd_event_orchestration_info
  - module: oncall.pagerduty.pd_event_orchestration_router
"""

EXAMPLES = r"""
- name: An orchestration for production events, owned by SRE, with its routing key
  oncall.pagerduty.pd_event_orchestration:
    name: Production events
    description: Everything the monitoring of production sends
    team: SRE
    routing_keys: true
  register: orchestration

- name: Where to send the events
  ansible.builtin.debug:
    msg: "{{ orchestration.event_orchestration.integrations[0].parameters.routing_key }}"
"""

RETURN = r"""
event_orchestration:
  description:
    - The orchestration as PagerDuty returns it (in check mode the predicted one), with its integrations; their routing
      keys are C(********) unless O(routing_keys=true).
    - With O(state=absent), the orchestration that was deleted, or V(null) when there was none.
  returned: always
  type: dict
  sample: {"id": "b02e973d-9620-4e0a-9edc-00fedf7d4694", "name": "Production events", "team": {"id": "PQ9K7I8"},
           "integrations": [{"id": "9c5ff030-12da-4204-a067-25ee61a8df6c", "label": "Default", "parameters": {"routing_key": "********", "type": "global"}}]}
diff:
  description: The fields that change, before and after.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._event_orchestration import EventOrchestrationModule


def main():
    EventOrchestrationModule().run()


if __name__ == "__main__":
    main()
