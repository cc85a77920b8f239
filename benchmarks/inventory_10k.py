# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark (not a timed test): list 10,000 services with the inventory plugin.

Seeds 10,000 services into the simulator at $PD_SIMULATOR_URL, runs `ansible-inventory --list`
on a *.pagerduty.yml source with 1 and with 4 page workers, and records the number of API
requests and the seconds taken. Prints one line per run and writes build/bench/inventory_10k.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVICES = 10000


def admin(url, method, name, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + "/__sim__/" + name, data=data, method=method, headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=120) as response:
        return json.loads(response.read().decode() or "null")


def run(url, workdir, workers):
    source = os.path.join(workdir, "bench%d.pagerduty.yml" % workers)
    with open(source, "w") as handle:
        handle.write("plugin: oncall.pagerduty.pagerduty\napi_url: %s\napi_token: sim-read-token\npage_workers: %d\n" % (url, workers))
    admin(url, "DELETE", "requests")
    started = time.monotonic()
    output = subprocess.run(["ansible-inventory", "-i", source, "--list"], check=True, capture_output=True, text=True).stdout
    seconds = time.monotonic() - started
    log = admin(url, "GET", "requests")["requests"]
    hosts = len(json.loads(output)["_meta"]["hostvars"])
    return {"page_workers": workers, "hosts": hosts, "requests": len(log),
            "non_200": sum(1 for entry in log if entry["status"] != 200), "seconds": round(seconds, 2)}


def main():
    url = os.environ.get("PD_SIMULATOR_URL")
    if not url:
        sys.exit("PD_SIMULATOR_URL is not set; run this through `make bench`")
    admin(url, "POST", "reset")
    admin(url, "POST", "seed", {"count_services": SERVICES})
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        for workers in (1, 4):
            result = run(url, workdir, workers)
            results.append(result)
            print("inventory_10k: page_workers=%(page_workers)d hosts=%(hosts)d requests=%(requests)d "
                  "non_200=%(non_200)d seconds=%(seconds).2f" % result, flush=True)
            if result["hosts"] != SERVICES:
                sys.exit("expected %d hosts, got %d" % (SERVICES, result["hosts"]))
    out_dir = os.path.join(ROOT, "build", "bench")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "inventory_10k.json"), "w") as handle:
        json.dump({"services": SERVICES, "runs": results}, handle, indent=2)


if __name__ == "__main__":
    main()
