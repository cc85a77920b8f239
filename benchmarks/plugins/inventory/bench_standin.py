# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The stand-in inventory of benchmarks/inventory_10k.py (not part of the collection): the floor.

It adds hosts, their variables and their groups from a local JSON file, ``[{"host", "vars", "groups"}]``, and does
nothing else, so ``ansible-inventory`` with it costs what any inventory of those hosts costs.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: bench_standin
short_description: Hosts, variables and groups from a local JSON file (the benchmarks' floor)
description:
  - The configuration file must be named C(*.standin.yml).
options:
  plugin:
    description: Marks the file as a configuration of this plugin.
    type: str
    required: true
    choices: [bench_standin]
  data:
    description: A JSON file holding a list of C({"host", "vars", "groups"}).
    type: path
    required: true
"""

import json

from ansible.plugins.inventory import BaseInventoryPlugin


class InventoryModule(BaseInventoryPlugin):
    NAME = "bench_standin"

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(".standin.yml")

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        with open(self.get_option("data"), encoding="utf-8") as handle:
            records = json.load(handle)
        for record in records:
            host = record["host"]
            self.inventory.add_host(host)
            for name, value in record["vars"].items():
                self.inventory.set_variable(host, name, value)
            for group in record["groups"]:
                self.inventory.add_child(self.inventory.add_group(group), host)
