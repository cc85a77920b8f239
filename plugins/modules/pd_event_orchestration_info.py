#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_event_orchestration_info
short_description: List PagerDuty global event orchestrations
version_added: 0.1.0
description:
  - Returns global event orchestrations, by O(id), exact O(name) or a part of the name (O(query)).
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  id:
    description: Return the orchestration with this id (an empty list when there is none).
    type: str
  name:
    description: Return the orchestration with exactly this name.
    type: str
  query:
    description: Return the orchestrations whose name contains this text (any letter case).
    type: str
  routing_keys:
    description: Show the routing keys of the orchestrations' integrations (else they are hidden).
    type: bool
    default: false
seealso:
  - module: oncall.pagerduty.pd_event_orchestration
"""

EXAMPLES = r"""
- name: Every orchestration
  oncall.pagerduty.pd_event_orchestration_info:
  register: all_orchestrations

- name: One, with its routing keys
  oncall.pagerduty.pd_event_orchestration_info:
    name: Production events
    routing_keys: true
  register: production
"""

RETURN = r"""
orchestrations:
  description: The orchestrations as PagerDuty returns them; routing keys are C(********) unless O(routing_keys=true).
  returned: always
  type: list
  elements: dict
  sample: [{"id": "b02e973d-9620-4e0a-9edc-00fedf7d4694", "name": "Production events", "routes": 2}]
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._event_orchestration import EventOrchestrationInfoModule


def main():
    argument_spec = dict(
        id=dict(type="str"),
        name=dict(type="str"),
        query=dict(type="str"),
        routing_keys=dict(type="bool", default=False, no_log=False),
    )
    EventOrchestrationInfoModule(argument_spec).run()


if __name__ == "__main__":
    main()
