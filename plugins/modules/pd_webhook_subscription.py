#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_webhook_subscription
short_description: Create, update and delete PagerDuty v3 webhook subscriptions
version_added: 0.1.0
description:
  - Makes a PagerDuty v3 webhook subscription match the task, idempotently.
  - A subscription has no name. It is found by O(id), or else by its delivery O(url) (matched exactly) together with its
    filter (O(filter_type) and O(filter); the whole account when not given). At most one subscription may match; when
    several deliver to the same URL with the same filter the task fails naming their ids, and O(id) must be given.
  - Only the options given are compared and changed; options left out are not managed.
  - PagerDuty cannot change a subscription's delivery method (O(url) and O(custom_headers)). When they differ, the task
    fails before any write, unless O(recreate=true) lets it replace the subscription (a new subscription is created, then
    the old one deleted, so the id and the signing secret change).
  - The signing secret of a new subscription is in the result of the task that creates it, and never again.
  - With O(state=absent) the subscription is deleted if it exists.
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes
options:
  id:
    description:
      - PagerDuty id of an existing subscription. Takes precedence over O(url) and the filter for finding it.
      - Found by id, a subscription may be given another filter; another O(url) needs O(recreate=true).
    type: str
  url:
    description:
      - The URL the webhooks are delivered to (C(delivery_method.url)), an C(http://) or C(https://) URL with a host name.
      - With the filter, it finds the subscription when O(id) is not given. Required to create a subscription.
    type: str
  description:
    description:
      - A short description of the subscription. An empty string clears it.
    type: str
  events:
    description:
      - The event types the subscription delivers, at least one; compared as a set (order and repeats do not matter).
      - Required to create a subscription.
    type: list
    elements: str
    choices:
      - incident.acknowledged
      - incident.action_invocation.created
      - incident.action_invocation.terminated
      - incident.action_invocation.updated
      - incident.annotated
      - incident.conference_bridge.updated
      - incident.custom_field_values.updated
      - incident.delegated
      - incident.escalated
      - incident.incident_type.changed
      - incident.priority_updated
      - incident.reassigned
      - incident.reopened
      - incident.resolved
      - incident.responder.added
      - incident.responder.replied
      - incident.role.assigned
      - incident.service_updated
      - incident.status_update_published
      - incident.task.completed
      - incident.task.created
      - incident.task.updated
      - incident.triggered
      - incident.unacknowledged
      - incident.workflow.completed
      - incident.workflow.started
      - service.created
      - service.custom_field_values.updated
      - service.deleted
      - service.updated
  filter_type:
    description:
      - What the subscription delivers events of. V(account) for the whole account, V(service) or V(team) for the one
        named by O(filter).
      - Without O(id), not giving it means V(account). With O(id), not giving it leaves the filter as it is.
    type: str
    choices: [account, service, team]
  filter:
    description:
      - The service or team (name or id) the events are about, with O(filter_type=service) or O(filter_type=team).
    type: str
  custom_headers:
    description:
      - HTTP headers PagerDuty adds to each delivery, for example a token the receiver checks.
      - PagerDuty never shows their values, so an existing subscription's headers are compared by name only
        (case-insensitively), and values are only written when the subscription is created or replaced; see
        O(update_custom_headers). Values are never shown in the result or the diff.
      - Headers are part of the delivery method, which PagerDuty cannot change; other names need O(recreate=true).
      - Not given, the headers are not managed.
    type: list
    elements: dict
    suboptions:
      name:
        description: The header's name. Names are unique (case-insensitively).
        type: str
        required: true
      value:
        description: The header's value, a secret.
        type: str
        required: true
  update_custom_headers:
    description:
      - V(on_create) writes the header values only when the subscription is created (or replaced for another reason);
        a run with the same header names changes nothing, whatever the values.
      - V(always) writes the values given on every run, which replaces the subscription each time (a new id and a
        new signing secret, the task always reports a change). Use it for one run to rotate a header value.
    type: str
    choices: [on_create, always]
    default: on_create
  recreate:
    description:
      - Whether a subscription whose delivery method differs (another O(url) when found by O(id), other header names) may be
        replaced; a new subscription is created with the task's delivery method and the other fields as they are or as
        the task sets them, then the old one is deleted. The result holds the new subscription with its signing secret.
      - Without it such a difference fails the task before any write.
      - A subscription with custom headers can only be replaced by a task that gives O(custom_headers), since PagerDuty
        does not show their values.
    type: bool
    default: false
  active:
    description:
      - Whether the subscription delivers webhooks.
      - V(true) also enables a subscription PagerDuty disabled after repeated failed deliveries
        (C(delivery_method.temporarily_disabled)), with C(POST /webhook_subscriptions/{id}/enable).
    type: bool
  state:
    description:
      - V(present) creates or updates the subscription, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scopes C(webhook_subscriptions.read),
    C(webhook_subscriptions.write), and C(services.read) or C(teams.read) to name a filter by name.
  - Several runs creating the same subscription at once keep one copy of it; only the run whose copy is kept returns the
    signing secret.
seealso:
  - module: oncall.pagerduty.pd_webhook_subscription_info
  - name: PagerDuty v3 webhooks
    description: Event types, filters, custom headers and signatures.
    link: https://developer.pagerduty.com/docs/webhooks/v3-overview/
"""

EXAMPLES = r"""
- name: Send the incidents of the Checkout service to the receiver
  oncall.pagerduty.pd_webhook_subscription:
    api_token: "{{ vault_pagerduty_token }}"
    url: https://hooks.example.com/pagerduty
    filter_type: service
    filter: Checkout
    description: Checkout incidents to the chat bridge
    events: [incident.triggered, incident.acknowledged, incident.resolved]
    custom_headers:
      - name: X-Receiver-Token
        value: "{{ vault_receiver_token | default('example-receiver-token') }}"
  register: checkout_hook

- name: Keep the signing secret, which only the creating run returns
  ansible.builtin.copy:
    content: "{{ checkout_hook.webhook_subscription.delivery_method.secret }}"
    dest: /etc/receiver/pagerduty-checkout.secret
    mode: "0600"
  no_log: true
  when: checkout_hook.webhook_subscription.delivery_method.secret is not none

- name: Service changes of the whole account, paused for now
  oncall.pagerduty.pd_webhook_subscription:
    url: https://hooks.example.com/catalog
    events: [service.created, service.updated, service.deleted]
    active: false

- name: The SRE team's incidents
  oncall.pagerduty.pd_webhook_subscription:
    url: https://hooks.example.com/sre
    filter_type: team
    filter: SRE
    events: [incident.triggered, incident.escalated]

- name: Other events for a subscription found by id
  oncall.pagerduty.pd_webhook_subscription:
    id: PWHSUB1
    events: [incident.triggered, incident.resolved, incident.priority_updated]

- name: Move it to a new receiver (a new subscription replaces it)
  oncall.pagerduty.pd_webhook_subscription:
    id: PWHSUB1
    url: https://hooks-v2.example.com/ops
    recreate: true

- name: Stop sending Checkout incidents to the receiver
  oncall.pagerduty.pd_webhook_subscription:
    url: https://hooks.example.com/pagerduty
    filter_type: service
    filter: Checkout
    state: absent
"""

RETURN = r"""
webhook_subscription:
  description:
    - The subscription as PagerDuty returns it after the change.
    - In check mode, the predicted subscription; one that would be created (or replace another) has C(id) V(null).
    - With O(state=absent), the deleted subscription, or V(null) when there was none.
    - Custom header values are always shown as C(-- redacted --).
  returned: always
  type: dict
  contains:
    delivery_method:
      description: The delivery method.
      type: dict
      returned: when there is a subscription
      contains:
        secret:
          description:
            - The secret PagerDuty signs each delivery with (C(X-PagerDuty-Signature)). A secret to keep safe.
            - Only in the result of the run that created the subscription (or replaced it); V(null) otherwise, since
              PagerDuty never shows it again. Never shown in the diff.
          type: str
          returned: when there is a subscription
        temporarily_disabled:
          description: Whether PagerDuty disabled the subscription after repeated failed deliveries.
          type: bool
          returned: when there is a subscription
  sample:
    id: PY1OL64
    type: webhook_subscription
    active: true
    delivery_method:
      id: PF9KMXH
      type: http_delivery_method
      url: https://hooks.example.com/pagerduty
      secret: null
      temporarily_disabled: false
      custom_headers:
        - name: X-Receiver-Token
          value: "-- redacted --"
    description: Checkout incidents to the chat bridge
    events: [incident.acknowledged, incident.resolved, incident.triggered]
    filter:
      id: P393ZNQ
      type: service_reference
diff:
  description:
    - The managed fields before and after, when run with C(--diff). The filter shows its type and id, custom headers only
      their names; a replacement also shows the old and the new C(id), a re-enabled subscription C(temporarily_disabled).
  returned: when diff mode is on
  type: dict
  sample:
    before:
      events: [incident.triggered]
    after:
      events: [incident.resolved, incident.triggered]
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._webhook_subscription import WebhookSubscriptionModule


def main():
    WebhookSubscriptionModule().run()


if __name__ == "__main__":
    main()
