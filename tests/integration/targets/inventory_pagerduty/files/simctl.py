#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Helpers for runme.sh: drive the simulator's admin API and normalise ansible-inventory output.

    simctl.py URL reset | seed FILE | clear-log | count-log | disable-service ID
    simctl.py normalise < inventory.json
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request

TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def call(url, method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method, headers=dict(headers or {}, **{"Content-Type": "application/json"}))
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=30) as response:
        text = response.read().decode() or "null"
    return json.loads(text)


def unwrap(value, key=None):
    """Drop ansible-inventory's unsafe markers; stable placeholders for what changes from run to run."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return unwrap(value["__ansible_unsafe"], key)
        return dict((k, unwrap(v, k)) for k, v in sorted(value.items()))
    if isinstance(value, list):
        return [unwrap(v, key) for v in value]
    if isinstance(value, str) and TIME.match(value) and key in ("pd_created_at", "start", "end"):
        return "<time>"
    return value


def main():
    if sys.argv[1] == "normalise":
        json.dump(unwrap(json.load(sys.stdin)), sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
        return
    url, command = sys.argv[1], sys.argv[2]
    if command == "reset":
        call(url, "POST", "/__sim__/reset")
    elif command == "seed":
        with open(sys.argv[3]) as seed:
            call(url, "POST", "/__sim__/seed", json.load(seed))
    elif command == "clear-log":
        call(url, "DELETE", "/__sim__/requests")
    elif command == "count-log":
        print(len(call(url, "GET", "/__sim__/requests")["requests"]))
    elif command == "disable-service":
        call(url, "PUT", "/services/" + sys.argv[3], {"service": {"type": "service", "status": "disabled"}},
             {"Accept": "application/vnd.pagerduty+json;version=2", "Authorization": "Token token=sim-write-token"})
    else:
        raise SystemExit("unknown command %s" % command)


if __name__ == "__main__":
    main()
