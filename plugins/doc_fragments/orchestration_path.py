# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The document options of the event orchestration path modules (router, unrouted, global, service)."""

    DOCUMENTATION = r"""
options:
  rules:
    description:
      - The rules of the C(start) set, in order (the first rule that matches wins). Use O(sets) for more sets.
      - Not set, the sets are left as they are.
    type: list
    elements: dict
    suboptions:
      label:
        description: What the rule is for.
        type: str
      conditions:
        description:
          - PCL expressions such as V(event.summary matches part 'database'); the rule matches when any of them does.
            Each is text, or a dictionary with the key C(expression) as the API writes it. No condition matches every event.
        type: list
        elements: raw
      actions:
        description:
          - What happens to a matching event, with the API's action names (C(route_to), C(severity), C(priority), ...).
            An action the spec does not allow on this path, or a value outside its choices, is refused before any request.
          - A C(route_to) in the router names a service (by name or id); elsewhere it names a set of this document by its O(sets[].id).
            An C(escalation_policy) is given by name or id, a C(priority) by name (V(P1)) or id.
        type: dict
      disabled:
        description: Whether the rule is switched off.
        type: bool
  sets:
    description:
      - Sets of rules; the first is C(start), where every event enters, and rules route to the others with C(route_to).
      - A set is known by its place; the ids of sets other than C(start) are the task's names for them, and PagerDuty's
        ids for them never cause a change.
    type: list
    elements: dict
    suboptions:
      id:
        description: The set's name, C(start) for the first; what a C(route_to) names.
        type: str
        required: true
      rules:
        description: The set's rules, in order, as in O(rules).
        type: list
        elements: dict
        default: []
        suboptions:
          label:
            description: What the rule is for.
            type: str
          conditions:
            description: PCL expressions, as in O(rules[].conditions).
            type: list
            elements: raw
          actions:
            description: What happens to a matching event, as in O(rules[].actions).
            type: dict
          disabled:
            description: Whether the rule is switched off.
            type: bool
  catch_all:
    description:
      - The actions for an event that matches no rule, with the API's action names. Not set, left as it is.
    type: dict
notes:
  - The whole document is written with one request, and only when a rule or the catch-all differs. Rule ids are
    PagerDuty's; they are kept for rules that stay, and they never cause a change.
  - What PagerDuty fills in when it is not given (a false switch, an empty list, an empty label) counts as not given,
    so a rerun is unchanged.
  - With C(--diff) the changes are shown per rule (C(set start, rule 2)), not as the whole document.
"""

    # The cache variables of the global and service paths.
    CACHE_VARIABLES = r"""
options:
  cache_variables:
    description:
      - Cache variables of the orchestration (or the service), which conditions can use as C(cache_var.NAME). Found by
        name; one that differs is updated, a missing one created, before the rules are written.
    type: list
    elements: dict
    suboptions:
      name:
        description: The variable's name.
        type: str
        required: true
      configuration:
        description:
          - How the value is kept, with the API's fields; C(type) is V(recent_value) (with C(source) and C(regex)),
            V(trigger_event_count) (with C(ttl_seconds)) or V(external_data) (with C(data_type) and C(ttl_seconds)).
        type: dict
        required: true
      conditions:
        description: PCL expressions; the variable is updated by the events that match any of them.
        type: list
        elements: raw
      disabled:
        description: Whether the variable is switched off.
        type: bool
  purge_cache_variables:
    description: Delete the cache variables O(cache_variables) does not name.
    type: bool
    default: false
"""
