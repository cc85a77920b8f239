# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Write a playbook that runs the EXAMPLES of every module of the installed collection, as ansible-doc shows them.

One play per module, each on a freshly seeded simulator (seed.yml). The collection's tasks run as written, against
the simulator; other tasks (debug, copy) run in check mode, a copy's destination moved into the work folder. The
connection comes from module_defaults and PAGERDUTY_API_URL, so that an example setting its own module_defaults
(a token and a region) still reaches the simulator.

    python examples.py SEED_FILE WORK_DIR > examples.yml
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import yaml

COLLECTION = "oncall.pagerduty."


def examples():
    """{module: its EXAMPLES as a list of tasks}, from ansible-doc."""
    listed = json.loads(subprocess.check_output(["ansible-doc", "-t", "module", "-l", "oncall.pagerduty", "--json"]))
    docs = json.loads(subprocess.check_output(["ansible-doc", "-t", "module", "--json"] + sorted(listed)))
    return {name: yaml.safe_load(doc["examples"]) for name, doc in sorted(docs.items())}


def action(task):
    return next(key for key in task if key.startswith(("oncall.", "ansible.")))


def prepared(task, work):
    """The task as the test runs it."""
    task = copy.deepcopy(task)
    name = action(task)
    if not name.startswith(COLLECTION):
        task["check_mode"] = True
        if name == "ansible.builtin.copy":
            task[name]["dest"] = os.path.join(work, os.path.basename(task[name]["dest"]))
    return task


def main():
    seed, work = sys.argv[1], sys.argv[2]
    plays = []
    for module, tasks in examples().items():
        if not tasks:
            sys.exit(f"{module} has no EXAMPLES")
        plays.append({
            "name": f"The examples of {module}",
            "hosts": "testhost",
            "gather_facts": False,
            "environment": {"PAGERDUTY_API_URL": "{{ pd_api_url }}", "PAGERDUTY_EVENTS_URL": "{{ pd_events_url }}"},
            "module_defaults": {"group/oncall.pagerduty.pagerduty": {
                "api_url": "{{ pd_api_url }}", "api_token": "{{ pd_api_token }}", "from_email": "admin@example.com"}},
            "vars": {"vault_pagerduty_token": "{{ pd_api_token }}", "vault_checkout_routing_key": "5eed0c4ec0ffee5eed0c4ec0ffee0001",
                     "account_teams": [{"name": "SRE"}], "account_services": [{"name": "Checkout"}]},
            "pre_tasks": [{"name": "Seed the account the examples expect", "ansible.builtin.import_tasks": seed}],
            "tasks": [prepared(task, work) for task in tasks],
        })
    yaml.safe_dump(plays, sys.stdout, sort_keys=False, width=160)


if __name__ == "__main__":
    main()
