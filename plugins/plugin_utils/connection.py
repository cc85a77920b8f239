# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The connection options of the inventory plugin and the lookups, turned into the shared client."""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils.resource import CONNECTION_OPTIONS, client_from_options


def connection_options(plugin, templar=None):
    """The connection options of a configured plugin as a dict (the token templated when it is a template)."""
    options = dict((name, plugin.get_option(name)) for name in CONNECTION_OPTIONS)
    token = options.get("api_token")
    if templar is not None and isinstance(token, str) and templar.is_template(token):
        options["api_token"] = templar.template(token)
    return options


def client_factory(options):
    """A function making a new client from the options, for one client per thread."""
    def make_client():
        return client_from_options(options)
    return make_client
