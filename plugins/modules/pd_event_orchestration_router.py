#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_event_orchestration_router
short_description: Manage the router of a PagerDuty event orchestration
version_added: 0.1.0
description:
  - Manages the router of a global event orchestration, which sends each event to a service; its rules, in
    order (the first that matches routes the event), and its catch-all (V(unrouted) by default, the unrouted
    orchestration).
  - The services a rule routes to are given by name or id.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.orchestration_path
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
- name: Route database events to Checkout, the rest to the unrouted orchestration
  oncall.pagerduty.pd_event_orchestration_router:
    orchestration: Production events
    rules:
      - label: Checkout events
        conditions:
          - event.summary matches part 'checkout'
          - event.source matches regex 'chk[0-9]+'
        actions:
          route_to: Checkout
      - label: Payments
        conditions: ["event.custom_details.team matches 'payments'"]
        actions:
          route_to: Payments
    catch_all:
      route_to: unrouted
"""

RETURN = r"""
orchestration_path:
  description:
    - The document as PagerDuty returns it after the change (in check mode the document that would be written), with
      PagerDuty's rule ids.
  returned: always
  type: dict
  sample:
    type: router
    sets:
    - id: start
      rules:
      - id: 1c26698b
        label: Checkout events
        conditions:
        - expression: event.summary matches part 'checkout'
        actions:
          route_to: PEXCHK1
    catch_all:
      actions:
        route_to: unrouted
diff:
  description: The rules that change (C(set start, rule 2)), sets added or removed (C(set ID)) and the C(catch_all), before and after.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._event_orchestration_router import OrchestrationRouterModule


def main():
    OrchestrationRouterModule().run()


if __name__ == "__main__":
    main()
