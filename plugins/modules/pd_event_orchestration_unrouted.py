#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_event_orchestration_unrouted
short_description: Manage the unrouted rules of a PagerDuty event orchestration
version_added: 0.1.0
description:
  - Manages the unrouted orchestration of a global event orchestration, the rules for events its router sends to
    no service (set their severity, drop or resolve them, extract variables), and its catch-all.
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
- name: Unrouted events from test hosts are only informational
  oncall.pagerduty.pd_event_orchestration_unrouted:
    orchestration: Production events
    rules:
      - label: Test hosts
        conditions: ["event.source matches part 'test'"]
        actions:
          severity: info
    catch_all:
      severity: warning
"""

RETURN = r"""
orchestration_path:
  description:
    - The document as PagerDuty returns it after the change (in check mode the document that would be written), with
      PagerDuty's rule ids.
  returned: always
  type: dict
  sample:
    type: unrouted
    sets:
    - id: start
      rules:
      - id: 2d8f6a1e
        label: Test hosts
        conditions:
        - expression: event.source matches part 'test'
        actions:
          severity: info
    catch_all:
      actions:
        severity: warning
diff:
  description: The rules that change (C(set start, rule 2)), sets added or removed (C(set ID)) and the C(catch_all), before and after.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._event_orchestration_unrouted import OrchestrationUnroutedModule


def main():
    OrchestrationUnroutedModule().run()


if __name__ == "__main__":
    main()
