# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark (not a timed test): list 10,000 services with the inventory plugin.

Seeds 10,000 services into the simulator at $PD_SIMULATOR_URL (through tests/simulator/control.py),
runs `ansible-inventory --list` on a *.pagerduty.yml source with 1 and with 4 page workers, and
records the number of API requests and the seconds taken. Prints one line per run and writes
$PD_BUILD_DIR/bench/inventory_10k.json (default build/bench/inventory_10k.json).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))
from control import Simulator  # noqa: E402  pylint: disable=wrong-import-position,import-error

SERVICES = 10000


def run(sim, workdir, workers):
    source = os.path.join(workdir, f"bench{workers}.pagerduty.yml")
    with open(source, "w", encoding="utf-8") as handle:
        handle.write(f"plugin: oncall.pagerduty.pagerduty\napi_url: {sim.url}\napi_token: {sim.read_token}\npage_workers: {workers}\n")
    sim.clear_requests()
    started = time.monotonic()
    output = subprocess.run(["ansible-inventory", "-i", source, "--list"], check=True, capture_output=True, text=True).stdout
    seconds = time.monotonic() - started
    log = sim.requests()
    hosts = len(json.loads(output)["_meta"]["hostvars"])
    return {"page_workers": workers, "hosts": hosts, "requests": len(log),
            "non_200": sum(1 for entry in log if entry["status"] != 200), "seconds": round(seconds, 2)}


def main():
    url = os.environ.get("PD_SIMULATOR_URL")
    if not url:
        sys.exit("PD_SIMULATOR_URL is not set; run this through `make bench`")
    sim = Simulator.attach(url, admin_timeout=120)
    sim.reset()
    sim.seed({"count_services": SERVICES})
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        for workers in (1, 4):
            result = run(sim, workdir, workers)
            results.append(result)
            print(f"inventory_10k: page_workers={result['page_workers']} hosts={result['hosts']} requests={result['requests']} "
                  f"non_200={result['non_200']} seconds={result['seconds']:.2f}", flush=True)
            if result["hosts"] != SERVICES:
                sys.exit(f"expected {SERVICES} hosts, got {result['hosts']}")
    out_dir = os.path.join(os.environ.get("PD_BUILD_DIR") or os.path.join(ROOT, "build"), "bench")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "inventory_10k.json"), "w", encoding="utf-8") as handle:
        json.dump({"services": SERVICES, "runs": results}, handle, indent=2)


if __name__ == "__main__":
    main()
