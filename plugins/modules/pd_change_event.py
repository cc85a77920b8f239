#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_change_event
short_description: Send a PagerDuty change event (a deploy marker) through the Events API v2
version_added: 0.1.0
description:
  - Sends a change event to PagerDuty's Events API v2, to the US or EU host as O(region) says. Change events show
    responders what changed (a deploy, a configuration change) beside the service's incidents; they never notify anyone.
  - A change event is an action, not a state, so a sent event always reports C(changed).
  - After HTTP 429, a 5xx answer or a network error the event is sent again (O(event_retries)); PagerDuty gives change
    events no key to recognise a repeat, so a lost answer followed by a retry may record the change twice.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.events
  - oncall.pagerduty.attributes.events
options:
  summary:
    description: What changed, in one line of up to 1024 characters (C(payload.summary)).
    type: str
    required: true
seealso:
  - module: oncall.pagerduty.pd_event
  - name: Send a change event (PagerDuty developer documentation)
    description: The change event's fields.
    link: https://developer.pagerduty.com/docs/send-change-event
"""

EXAMPLES = r"""
- name: Mark the deploy on the Checkout service
  oncall.pagerduty.pd_change_event:
    service: Checkout
    summary: "Deployed checkout {{ app_version | default('2.4.1') }}"
    source: ansible
    timestamp: now
    custom_details:
      version: "{{ app_version | default('2.4.1') }}"
      deployed_by: "{{ lookup('ansible.builtin.env', 'USER') | default('ansible', true) }}"
    links:
      - href: https://git.example.com/checkout/releases
        text: Release notes
"""

RETURN = r"""
event:
  description: The change event sent (or, in check mode, that would be sent), without its routing key.
  returned: always
  type: dict
  sample: {"payload": {"summary": "Deployed checkout 2.4.1", "source": "ansible"}}
url:
  description: The Events API endpoint.
  returned: always
  type: str
  sample: https://events.pagerduty.com/v2/change/enqueue
response:
  description: PagerDuty's answer, C(status) and C(message).
  returned: when the event was sent
  type: dict
  sample: {"status": "success", "message": "Change event processed"}
attempts:
  description: How many times the event was sent (more than one after a retry); V(0) in check mode.
  returned: always
  type: int
  sample: 1
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._change_event import ChangeEventModule


def main():
    ChangeEventModule().run()


if __name__ == "__main__":
    main()
