# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""pd_event_orchestration_global: the global orchestration (rules for every event of the orchestration), on the path base of ``_orchestration_path``.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._orchestration_path import OrchestrationPathModule, cache_variable_options, document_options


def argument_spec():
    return dict(document_options(), **cache_variable_options(), orchestration=dict(type="str", required=True))


class OrchestrationGlobalModule(OrchestrationPathModule):
    """pd_event_orchestration_global."""

    path_kind = "global"
    cache_variables_path = "orchestration_cache_variables"
    account_kind = catalog.Kind("event_orchestration_global", None, None, natural_key="orchestration", label="global event orchestration rules")
    argument_spec = staticmethod(argument_spec)
