# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Split the YAML examples of the collection's docs into files that runme.sh runs.

Reads README.md, docs/*.md (but docs/testing.md, whose flow the package test runs) and roles/*/README.md of the
installed collection. Every ```yaml block must parse. A block that is a playbook is written as one, a list of tasks
is wrapped in a play on localhost, an inventory source (``plugin:``) is written as a *.pagerduty.yml file; other
blocks are fragments (variables, module_defaults, configuration of other tools) and only parsed. Prints one line
per file to run: ``playbook PATH`` or ``inventory PATH``, each after a comment line naming the block.

    python blocks.py WORK_DIR
"""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys

import yaml

BLOCK = re.compile(r"```ya?ml\n(.*?)```", re.S)


def collection_root():
    doc = json.loads(subprocess.check_output(["ansible-doc", "-t", "module", "--json", "oncall.pagerduty.pd_team"]))
    return os.path.dirname(os.path.dirname(os.path.dirname(doc["oncall.pagerduty.pd_team"]["doc"]["filename"])))


def sources(root):
    names = ["README.md"] + sorted(glob.glob("docs/*.md", root_dir=root)) + sorted(glob.glob("roles/*/README.md", root_dir=root))
    return [name for name in names if name != "docs/testing.md"]


def is_task(item):
    return isinstance(item, dict) and any(key.startswith(("oncall.", "ansible.")) for key in item)


def main():
    work = sys.argv[1]
    root = collection_root()
    count = 0
    for name in sources(root):
        with open(os.path.join(root, name), encoding="utf-8") as handle:
            text = handle.read()
        for number, match in enumerate(BLOCK.finditer(text), 1):
            where = f"{name} block {number}"
            try:
                data = yaml.safe_load(match.group(1))
            except yaml.YAMLError as exc:
                sys.exit(f"{where} is not valid YAML: {exc}")
            count += 1
            stem = os.path.join(work, f"{re.sub(r'[^A-Za-z0-9]+', '_', name)}_{number}")
            if isinstance(data, list) and data and isinstance(data[0], dict) and "hosts" in data[0]:
                kind, path, content = "playbook", f"{stem}.yml", data
            elif isinstance(data, list) and data and all(is_task(item) for item in data):
                kind, path = "playbook", f"{stem}.yml"
                content = [{"name": where, "hosts": "localhost", "gather_facts": False, "tasks": data}]
            elif isinstance(data, dict) and f"{data.get('plugin')}".startswith("oncall.pagerduty."):
                kind, path, content = "inventory", f"{stem}.pagerduty.yml", data
            else:
                continue
            with open(path, "w", encoding="utf-8") as handle:
                yaml.safe_dump(content, handle, sort_keys=False)
            print(f"# {where}")
            print(f"{kind} {path}")
    print(f"# {count} YAML blocks parsed", file=sys.stderr)


if __name__ == "__main__":
    main()
