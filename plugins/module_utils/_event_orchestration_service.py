# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""pd_event_orchestration_service: a service's orchestration (its rules and catch-all) and whether the service uses
it (``active``, ``/event_orchestrations/services/{id}/active``), on the path base of ``_orchestration_path``.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._orchestration_path import OrchestrationPathModule, cache_variable_options, document_options


def argument_spec():
    return dict(document_options(), **cache_variable_options(), service=dict(type="str", required=True), active=dict(type="bool"))


class ServiceOrchestrationModule(OrchestrationPathModule):
    """pd_event_orchestration_service."""

    path_kind = "service"
    owner_option = "service"
    cache_variables_path = "service_orchestration_cache_variables"
    account_kind = catalog.Kind("service_orchestration", None, None, natural_key="service", label="service orchestration")
    argument_spec = staticmethod(argument_spec)

    @classmethod
    def declared_options(cls):
        return super().declared_options() + [("the switch", "active")]

    def owner_id(self):
        return catalog.resolve_reference(self.client, catalog.KINDS["service"], self.params["service"], "service")

    def document_path(self, owner_id):
        return catalog.path("service_orchestration", owner_id)

    def finish(self, owner_id, applied, changed, document, before, after):
        wanted = self.params.get("active")
        if wanted is None:
            return changed, document, before, after
        path = catalog.path("service_orchestration_active", owner_id)
        current = False if catalog.is_planned(owner_id) else bool((self.client.get(path) or {}).get("active"))
        if current != wanted:
            before["active"], after["active"] = current, wanted
            changed = True
            if not self.check_mode:
                self.write(owner_id, applied, "PUT", path, {"active": wanted})
        return changed, dict(document, active=wanted), before, after
