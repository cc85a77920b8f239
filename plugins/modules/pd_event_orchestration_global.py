#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_event_orchestration_global
short_description: Manage the global rules of a PagerDuty event orchestration
version_added: 0.1.0
description:
  - Manages the global orchestration of a global event orchestration, rules that every event of the orchestration
    goes through before the router (suppress, drop, set a priority or severity, annotate, extract), in sets, and the
    catch-all.
  - Escalation policies are given by name or id, priorities by name (V(P1)) or id.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.orchestration_path
  - oncall.pagerduty.orchestration_path.cache_variables
  - oncall.pagerduty.attributes
options:
  orchestration:
    description: The orchestration, by name or id.
    type: str
    required: true
seealso:
  - module: oncall.pagerduty.pd_event_orchestration
"""

EXAMPLES = r"""
- name: Drop heartbeats, raise database alerts to P1 through a second set
  oncall.pagerduty.pd_event_orchestration_global:
    orchestration: Production events
    sets:
      - id: start
        rules:
          - label: Heartbeats
            conditions: ["event.summary matches part 'heartbeat'"]
            actions:
              drop_event: true
          - label: Databases
            conditions: ["event.component matches 'postgres'"]
            actions:
              route_to: databases
      - id: databases
        rules:
          - label: Primary down
            conditions: ["event.summary matches part 'primary'"]
            actions:
              priority: P1
              annotate: Primary database down, see the runbook
"""

RETURN = r"""
orchestration_path:
  description:
    - The document as PagerDuty returns it after the change (in check mode the document that would be written), with
      PagerDuty's rule ids.
  returned: always
  type: dict
  sample:
    type: global
    sets:
    - id: start
      rules:
      - id: 6f0ec6a1
        label: Heartbeats
        conditions:
        - expression: event.summary matches part 'heartbeat'
        actions:
          drop_event: true
    catch_all:
      actions: {}
diff:
  description: The rules that change (C(set start, rule 2)), sets added or removed (C(set ID)) and the C(catch_all), before and after.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._event_orchestration_global import OrchestrationGlobalModule


def main():
    OrchestrationGlobalModule().run()


if __name__ == "__main__":
    main()
