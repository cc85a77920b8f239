# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Global event orchestrations: pd_event_orchestration (name, description, team) and pd_event_orchestration_info.

Private to this collection: not an API for other collections.

An orchestration is found by its name (the API has no search: the list is read whole). PagerDuty gives a new
orchestration an integration whose routing key sends events to it; the keys are secrets, shown in the result only
when the task asks for them (``routing_keys``).
"""

from __future__ import annotations

import copy

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._engine import Field, InfoModule, ResourceModule

MASK = "********"


def argument_spec():
    """The options of pd_event_orchestration (the connection options and state are added by the base)."""
    return dict(
        name=dict(type="str"),
        id=dict(type="str"),
        description=dict(type="str"),
        team=dict(type="str"),
        routing_keys=dict(type="bool", default=False, no_log=False),
    )


def masked(orchestration, show):
    """The orchestration with its integrations' routing keys hidden, unless ``show``."""
    if show or not isinstance(orchestration, dict) or not orchestration.get("integrations"):
        return orchestration
    shown = copy.deepcopy(orchestration)
    for integration in shown["integrations"]:
        parameters = integration.get("parameters") if isinstance(integration, dict) else None
        if isinstance(parameters, dict) and parameters.get("routing_key"):
            parameters["routing_key"] = MASK
    return shown


def whole(client, orchestration):
    """The orchestration with its integrations: a listed one has none, so it is read by id (not one this check-mode
    run plans to create)."""
    if not isinstance(orchestration, dict) or "integrations" in orchestration or not orchestration.get("id") \
            or catalog.is_planned(orchestration["id"]):
        return orchestration
    return catalog.get_by_id(client, catalog.KINDS["event_orchestration"], orchestration["id"]) or orchestration


class EventOrchestrationModule(ResourceModule):
    """pd_event_orchestration: a global event orchestration's name, description and team."""

    kind = "event_orchestration"
    argument_spec = staticmethod(argument_spec)
    fields = (Field("name"), Field("description"), Field("team", kind="team"))

    def outcome(self, key, changed, obj, before, after):
        show = self.params.get("routing_keys")
        return super().outcome(key, changed, masked(whole(self.client, obj) if show else obj, show), before, after)


class EventOrchestrationInfoModule(InfoModule):
    """pd_event_orchestration_info."""

    kind = "event_orchestration"

    def decorate(self, items):
        """With ``routing_keys``, each orchestration read whole (a listed one has no integrations)."""
        show = self.params.get("routing_keys")
        return [masked(whole(self.client, item) if show else item, show) for item in items]
