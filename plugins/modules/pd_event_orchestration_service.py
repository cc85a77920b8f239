#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_event_orchestration_service
short_description: Manage the event orchestration of a PagerDuty service
version_added: 0.1.0
description:
  - Manages a service's orchestration, the rules for the events that reach the service (suppress, suspend, set the
    severity, priority or escalation policy, annotate, automation actions), in sets, and its catch-all, and
    whether the service uses it (O(active)) rather than its event rules.
  - Escalation policies are given by name or id, priorities by name (V(P1)) or id.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.orchestration_path
  - oncall.pagerduty.orchestration_path.cache_variables
  - oncall.pagerduty.attributes
options:
  service:
    description: The service, by name or id.
    type: str
    required: true
  active:
    description: Whether the service evaluates its events with this orchestration. Not set, left as it is.
    type: bool
seealso:
  - module: oncall.pagerduty.pd_event_orchestration
"""

EXAMPLES = r"""
- name: Checkout pages only for errors, and uses its orchestration
  oncall.pagerduty.pd_event_orchestration_service:
    service: Checkout
    active: true
    rules:
      - label: Informational events do not page
        conditions: ["event.severity matches 'info'"]
        actions:
          suppress: true
      - label: Payment failures are P2 and go to the SRE policy
        conditions: ["event.summary matches part 'payment'"]
        actions:
          priority: P2
          escalation_policy: SRE escalation
    catch_all:
      severity: warning
"""

RETURN = r"""
orchestration_path:
  description:
    - The document as PagerDuty returns it after the change (in check mode the document that would be written), with
      PagerDuty's rule ids.
    - With O(active), C(active) says whether the service uses the orchestration.
  returned: always
  type: dict
  sample:
    type: service
    active: true
    sets:
    - id: start
      rules:
      - id: 8a2c1d3e
        label: Informational events do not page
        conditions:
        - expression: event.severity matches 'info'
        actions:
          suppress: true
    catch_all:
      actions:
        severity: warning
diff:
  description: The rules that change (C(set start, rule 2)), sets added or removed (C(set ID)), C(active) and the C(catch_all), before and after.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._event_orchestration_service import ServiceOrchestrationModule


def main():
    ServiceOrchestrationModule().run()


if __name__ == "__main__":
    main()
