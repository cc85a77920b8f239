#!/usr/bin/python
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pd_webhook_subscription_info
short_description: List PagerDuty v3 webhook subscriptions
version_added: 0.1.0
description:
  - Returns PagerDuty v3 webhook subscriptions, all of them, the one with O(id), or those of a filter
    (O(filter_type), O(filter)) and a delivery O(url).
  - Signing secrets are never returned (PagerDuty shows them only when a subscription is created), and custom header
    values are shown as C(-- redacted --).
author:
  - oncall.pagerduty maintainers (@oncall-pagerduty)
extends_documentation_fragment:
  - oncall.pagerduty.connection
  - oncall.pagerduty.attributes.info_module
options:
  id:
    description: Return the subscription with this id (an empty list when there is none).
    type: str
  url:
    description: Return the subscriptions delivering to exactly this URL.
    type: str
  filter_type:
    description:
      - Return the subscriptions of the whole account (V(account)), or of the service or the team named by O(filter).
    type: str
    choices: [account, service, team]
  filter:
    description: The service or team (name or id), with O(filter_type=service) or O(filter_type=team).
    type: str
notes:
  - With O(auth_type=client_credentials) (Scoped OAuth) the app needs the scope C(webhook_subscriptions.read), and
    C(services.read) or C(teams.read) to name a filter by name.
seealso:
  - module: oncall.pagerduty.pd_webhook_subscription
"""

EXAMPLES = r"""
- name: All webhook subscriptions
  oncall.pagerduty.pd_webhook_subscription_info:
    api_token: "{{ vault_pagerduty_token }}"
  register: all_hooks

- name: The subscriptions of the Checkout service
  oncall.pagerduty.pd_webhook_subscription_info:
    filter_type: service
    filter: Checkout
  register: checkout_hooks

- name: Those that deliver to one receiver
  oncall.pagerduty.pd_webhook_subscription_info:
    url: https://hooks.example.com/ops
  register: ops_hooks

- name: Their ids
  ansible.builtin.debug:
    msg: "{{ ops_hooks.webhook_subscriptions | map(attribute='id') | list }}"
"""

RETURN = r"""
webhook_subscriptions:
  description: The matching subscriptions, as PagerDuty returns them (C(delivery_method.secret) is V(null)).
  returned: always
  type: list
  elements: dict
  sample:
    - id: PY1OL64
      type: webhook_subscription
      active: true
      delivery_method:
        id: PF9KMXH
        type: http_delivery_method
        url: https://hooks.example.com/ops
        secret: null
        temporarily_disabled: false
        custom_headers: []
      description: null
      events: [incident.triggered]
      filter:
        type: account_reference
"""

from ansible_collections.oncall.pagerduty.plugins.module_utils._webhook_subscription import FILTER_TYPES, WebhookSubscriptionInfoModule


def main():
    WebhookSubscriptionInfoModule(dict(
        id=dict(type="str"),
        url=dict(type="str"),
        filter_type=dict(type="str", choices=list(FILTER_TYPES)),
        filter=dict(type="str"),
    )).run()


if __name__ == "__main__":
    main()
