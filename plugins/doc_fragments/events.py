# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The options of the Events API v2 modules (pd_event, pd_change_event): where an event goes and how it is sent."""

    DOCUMENTATION = r"""
options:
  routing_key:
    description:
      - The integration key (32 letters and digits) of an Events API v2 integration, the event's destination.
      - A secret, it never appears in the result, a diff or an error.
      - If not set, the environment variable E(PAGERDUTY_ROUTING_KEY) is used.
      - Exactly one of O(routing_key) and O(service) is required.
    type: str
  service:
    description:
      - Take the routing key from an integration of this service, by name or id, read through the REST API (so
        with O(api_token) or another REST credential).
      - The service's only Events API v2 integration, or the one named by O(integration).
    type: str
  integration:
    description: With O(service), the name of the integration whose key to use (any integration that has a key).
    type: str
  events_url:
    description:
      - The Events API's base URL, for a test endpoint such as the collection's simulator (C(http://127.0.0.1:PORT/events));
        plain C(http://) only for loopback hosts.
      - By default O(region) chooses it, C(https://events.pagerduty.com) (V(us)) or C(https://events.eu.pagerduty.com) (V(eu)).
      - If not set, the environment variable E(PAGERDUTY_EVENTS_URL) is used.
    type: str
  event_retries:
    description:
      - How many times to send the event again after HTTP 429 (too many events), a 5xx answer or a network error,
        as PagerDuty advises for this API. A 400 answer is never retried.
    type: int
    default: 3
  event_retry_delay:
    description:
      - Seconds between two attempts (PagerDuty suggests about 30); a C(Retry-After) header in the answer wins.
    type: float
    default: 30
  source:
    description: Where the event comes from, a host name or a pipeline (C(payload.source)).
    type: str
  timestamp:
    description:
      - When the event happened (C(payload.timestamp)); ISO 8601, V(now) or a relative time such as V(now-5m).
        Sent in UTC. PagerDuty uses the time it receives the event when this is not set.
    type: str
  custom_details:
    description: Free-form details shown with the event (C(payload.custom_details)).
    type: dict
  links:
    description: Links shown with the event.
    type: list
    elements: dict
    suboptions:
      href:
        description: The link's URL.
        type: str
        required: true
      text:
        description: The link's text.
        type: str
notes:
  - The Events API takes about 120 events a minute per integration key; above that it answers 429 and the event is
    sent again after O(event_retry_delay), up to O(event_retries) times.
  - O(api_token) (or another REST credential) is needed only with O(service).
"""
