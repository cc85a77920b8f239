# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark: list 10,000 services with the inventory plugin, cold and cached, beside a stand-in (the floor).

Seeds 10,000 services into the simulator at $PD_SIMULATOR_URL (through tests/simulator/control.py) and times
``ansible-inventory --list`` on:

- ``cold_workers_1``: a *.pagerduty.yml source with ``page_workers: 1`` (the pages one after the other);
- ``cold``: the same with the default page workers (10), no cache (every run lists the services);
- ``cold_workers_4``: the same with ``page_workers: 4`` (the default is 10, the most the option allows);
- ``cold_cache_write``: with ``cache: true`` (``ansible.builtin.jsonfile``) and an empty cache: lists and writes it;
- ``cached``: the same source again: reads the cache, no request;
- ``standin``: benchmarks/plugins/inventory/bench_standin.py, which adds the same hosts, variables and groups
  (taken from the ``cold`` run's output) from a local JSON file and does nothing else: the floor.

``cold_workers_1`` runs once; the others run in $PD_BENCH_INVENTORY_REPEAT rounds (default 5) of cold, cold with
4 workers, cold with a cache written, cached and stand-in, interleaved so that other load on the machine slows each alike; the median of
each counts. Records the requests (from the simulator's log) and seconds of each, prints one line per kind and
writes $PD_BUILD_DIR/bench/inventory_10k.json (default build/bench/inventory_10k.json).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import _bench  # noqa: E402  pylint: disable=wrong-import-position

SERVICES = 10000
REPEAT = int(os.environ.get("PD_BENCH_INVENTORY_REPEAT", "5"))


def pagerduty_source(sim, workdir, name, workers=None, cache_dir=None):
    """A source file; ``workers`` None leaves page_workers at the plugin's default."""
    source = os.path.join(workdir, f"{name}.pagerduty.yml")
    lines = ["plugin: oncall.pagerduty.pagerduty", f"api_url: {sim.url}", f"api_token: {sim.read_token}"]
    if workers is not None:
        lines.append(f"page_workers: {workers}")
    if cache_dir:
        lines += ["cache: true", "cache_plugin: ansible.builtin.jsonfile", f"cache_connection: {cache_dir}", "cache_timeout: 3600"]
    with open(source, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return source


def plain(value):
    """A value of `ansible-inventory --list` without its markers: {"__ansible_unsafe": "x"} is "x" again."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return plain(value["__ansible_unsafe"])
        return {name: plain(item) for name, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def standin_source(workdir, listing):
    """The stand-in's data file, from an `ansible-inventory --list` answer, and its source file."""
    groups = {}
    for group, content in listing.items():
        if group in ("_meta", "all", "ungrouped"):
            continue
        for host in content.get("hosts", []):
            groups.setdefault(host, []).append(group)
    records = [{"host": host, "vars": plain(hostvars), "groups": groups.get(host, [])}
               for host, hostvars in listing["_meta"]["hostvars"].items()]
    data = _bench.write_json(os.path.join(workdir, "standin.json"), records)
    source = os.path.join(workdir, "floor.standin.yml")
    with open(source, "w", encoding="utf-8") as handle:
        handle.write(f"plugin: bench_standin\ndata: {data}\n")
    return source


def run(sim, source):
    sim.clear_requests()
    env = _bench.ansible_env(ANSIBLE_INVENTORY_PLUGINS=_bench.INVENTORY_PLUGINS)
    started = time.monotonic()
    done = subprocess.run(["ansible-inventory", "-i", source, "--list"], env=env, check=False, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"inventory_10k: ansible-inventory -i {source} failed: {done.stderr[-3000:]}")
    log = sim.requests()
    listing = json.loads(done.stdout)
    hosts = len(listing["_meta"]["hostvars"])
    if hosts != SERVICES:
        sys.exit(f"inventory_10k: {source}: expected {SERVICES} hosts, got {hosts}")
    return listing, {"hosts": hosts, "requests": len(log), "non_200": sum(1 for entry in log if entry["status"] != 200),
                     "seconds": round(seconds, 3)}


def summary(name, runs):
    """The median run of a kind, with every run's seconds."""
    result = dict(sorted(runs, key=lambda found: found["seconds"])[len(runs) // 2], runs=[found["seconds"] for found in runs])
    print(f"inventory_10k: {name} hosts={result['hosts']} requests={result['requests']} non_200={result['non_200']} "
          f"seconds={result['seconds']:.2f} (runs {', '.join(f'{seconds:.2f}' for seconds in result['runs'])})", flush=True)
    return result


def main():
    sim = _bench.attach()
    sim.reset()
    sim.seed({"count_services": SERVICES})
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-inventory-") as workdir:
        results["cold_workers_1"] = summary("cold_workers_1", [run(sim, pagerduty_source(sim, workdir, "workers1", workers=1))[1]])
        cold = pagerduty_source(sim, workdir, "cold")
        workers4 = pagerduty_source(sim, workdir, "workers4", workers=4)
        standin = standin_source(workdir, run(sim, cold)[0])  # this first run also warms the file system cache
        run(sim, standin)
        runs = {"cold": [], "cold_workers_4": [], "cold_cache_write": [], "cached": [], "standin": []}
        for number in range(REPEAT):
            cache_dir = os.path.join(workdir, f"cache{number}")  # empty: a fresh one each round
            cached = pagerduty_source(sim, workdir, f"cache{number}", cache_dir=cache_dir)
            runs["cold"].append(run(sim, cold)[1])
            runs["cold_workers_4"].append(run(sim, workers4)[1])
            runs["cold_cache_write"].append(run(sim, cached)[1])
            runs["cached"].append(run(sim, cached)[1])
            runs["standin"].append(run(sim, standin)[1])
        for name, found in runs.items():
            results[name] = summary(name, found)
    ratios = {name: round(results[name]["seconds"] / results["standin"]["seconds"], 3) for name in ("cold", "cold_workers_4", "cold_cache_write", "cached")}
    print(f"inventory_10k: cold/standin {ratios['cold']:.2f}x, cached/standin {ratios['cached']:.2f}x", flush=True)
    _bench.write_result("inventory_10k", {"latency": _bench.latency(sim), "services": SERVICES, "repeat": REPEAT, "runs": results,
                                          "ratio_to_standin": ratios})


if __name__ == "__main__":
    main()
