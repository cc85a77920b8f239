#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_event
short_description: Trigger, acknowledge or resolve a PagerDuty alert through the Events API v2
version_added: 0.1.0
description:
  - Sends an alert event to PagerDuty's Events API v2 (not the retired v1 API), to the US or EU host as O(region) says.
  - A V(trigger) opens an alert (and an incident) on the service of the routing key, or adds to the open alert with the
    same O(dedup_key). V(acknowledge) and V(resolve) act on the open alert with that key; without one PagerDuty
    drops them.
  - A trigger always carries a dedup key. When O(dedup_key) is not set the module makes one (a UUID) before sending,
    so that sending again after a lost answer updates the same alert rather than opening a second one. The key is
    returned, to acknowledge or resolve the alert later.
  - An event is an action, not a state, so a sent event always reports C(changed). To act on the incident itself
    idempotently (resolve it only if open, reassign, add a note), use M(oncall.pagerduty.pd_incident).
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.events
  - oncall.pagerduty.attributes.events
options:
  event_action:
    description: What the event does to the alert.
    type: str
    choices: [trigger, acknowledge, resolve]
    default: trigger
  dedup_key:
    description:
      - Identifies the alert, up to 255 characters. Required to acknowledge or resolve.
      - Triggers with the same key and routing key go to the same open alert; after it is resolved, the same key opens a new one.
    type: str
  summary:
    description: The alert's one-line summary, up to 1024 characters (C(payload.summary)). Required to trigger.
    type: str
  severity:
    description: How bad it is (C(payload.severity)). Required to trigger.
    type: str
    choices: [critical, error, warning, info]
  component:
    description: The part of the source that is affected, for example V(mysql) (C(payload.component)).
    type: str
  group:
    description: The logical group of components, for example V(app-stack) (C(payload.group)).
    type: str
  event_class:
    description: The class or type of the event, for example V(ping failure) (C(payload.class)).
    type: str
    aliases: [class]
  images:
    description: Images shown with the alert.
    type: list
    elements: dict
    suboptions:
      src:
        description: The image's URL; PagerDuty shows only images served over C(https://).
        type: str
        required: true
      href:
        description: Where a click on the image leads.
        type: str
      alt:
        description: The image's alternative text.
        type: str
  client:
    description: The name of the tool that sends the event.
    type: str
  client_url:
    description: A URL of the tool that sends the event.
    type: str
notes:
  - O(source) is required to trigger. Only a trigger carries O(summary), O(source), O(severity) and the other event
    fields; an acknowledge or resolve with any of them is refused before anything is sent.
seealso:
  - module: oncall.pagerduty.pd_change_event
  - module: oncall.pagerduty.pd_incident
  - name: Send an alert event (PagerDuty developer documentation)
    description: The Events API v2 fields and de-duplication.
    link: https://developer.pagerduty.com/docs/send-alert-event
"""

EXAMPLES = r"""
- name: Open an alert on the service of a routing key
  oncall.pagerduty.pd_event:
    routing_key: "{{ vault_checkout_routing_key }}"
    summary: Disk 95% full on db01
    source: db01.example.com
    severity: critical
    component: postgres
    dedup_key: db01/disk
    custom_details:
      free: 5%
    links:
      - href: https://grafana.example.com/d/db01
        text: Dashboard
  register: alert

- name: Resolve it once the disk is cleaned up, through the service's Events API v2 integration
  oncall.pagerduty.pd_event:
    service: Checkout
    event_action: resolve
    dedup_key: "{{ alert.dedup_key }}"
"""

RETURN = r"""
dedup_key:
  description: The alert's dedup key, as PagerDuty returned it (or the one made for a trigger in check mode).
  returned: always
  type: str
  sample: db01/disk
event:
  description: The event sent (or, in check mode, that would be sent), without its routing key.
  returned: always
  type: dict
  sample: {"event_action": "resolve", "dedup_key": "db01/disk"}
url:
  description: The Events API endpoint.
  returned: always
  type: str
  sample: https://events.pagerduty.com/v2/enqueue
response:
  description: PagerDuty's answer, C(status), C(message) and C(dedup_key).
  returned: when the event was sent
  type: dict
  sample: {"status": "success", "message": "Event processed", "dedup_key": "db01/disk"}
attempts:
  description: How many times the event was sent (more than one after a retry); V(0) in check mode.
  returned: always
  type: int
  sample: 1
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._event import AlertEventModule


def main():
    AlertEventModule().run()


if __name__ == "__main__":
    main()
