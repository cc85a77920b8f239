# -*- coding: utf-8 -*-
# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A callback for the benchmarks only (not part of the collection): one JSON line per task to $PD_BENCH_TIMES.

Each line: {"name", "seconds" (from the task's start to its last result), "status" (ok, changed, failed, skipped,
unreachable)}. With $PD_BENCH_TASK_REQUESTS=1 it also clears the simulator's request log (at $PD_SIMULATOR_URL)
when a task starts and adds the requests the task sent, "requests": ["GET /teams?query=SRE", ...] (without the
paging parameters), and how many of them were answered other than 2xx ("non_2xx") or broke the OpenAPI document
("spec_violations"). The playbooks it times run one host, one task at a time (the linear strategy), so the task's
start and its last result bound it.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: bench_timer
type: aggregate
short_description: Time every task (and count its API requests) for the benchmarks
description:
  - Writes one JSON line per task to the file named by E(PD_BENCH_TIMES).
requirements:
  - enabled in the benchmarks' runs only
"""

import json
import os
import time
import urllib.request

from ansible.plugins.callback import CallbackBase


def _line(entry):
    """A logged request as ``GET /users?query=a@example.com``: method, path and query without the paging parameters."""
    query = "&".join(f"{name}={value}" for name, values in sorted((entry.get("query") or {}).items())
                     if name not in ("limit", "offset", "total") for value in values)
    return f"{entry['method']} {entry['path']}" + (f"?{query}" if query else "")


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._path = os.environ.get("PD_BENCH_TIMES")
        self._admin = None
        if os.environ.get("PD_BENCH_TASK_REQUESTS") == "1" and os.environ.get("PD_SIMULATOR_URL"):
            self._admin = os.environ["PD_SIMULATOR_URL"].rstrip("/") + "/__sim__/requests"
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self._task = None
        self._started = None
        self._ended = None
        self._status = None

    def _requests(self, method):
        request = urllib.request.Request(self._admin, method=method)
        with self._opener.open(request, timeout=120) as answer:
            return json.loads(answer.read().decode("utf-8"))["requests"]

    def _flush(self):
        if self._task is None or self._started is None or self._status is None:
            self._task = None
            return
        record = {"name": self._task, "seconds": round(self._ended - self._started, 4), "status": self._status}
        if self._admin:
            log = self._requests("GET")
            record["requests"] = [_line(entry) for entry in log]
            record["non_2xx"] = sum(1 for entry in log if not 200 <= (entry["status"] or 0) < 300)
            record["spec_violations"] = sum(1 for entry in log if entry.get("spec_violations"))
        if self._path:
            with open(self._path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(record) + "\n")
        self._task = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._flush()
        if self._admin:
            self._requests("DELETE")
        self._task = task.get_name()
        self._status = None
        self._started = time.monotonic()

    def _result(self, status):
        self._ended = time.monotonic()
        # A loop's items come first, then the task's own result: the worst status wins, the last time counts.
        order = ("skipped", "ok", "changed", "failed", "unreachable")
        if self._status is None or order.index(status) > order.index(self._status):
            self._status = status

    def v2_runner_on_ok(self, result):
        self._result("changed" if result.is_changed() else "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result("failed")

    def v2_runner_on_skipped(self, result):
        self._result("skipped")

    def v2_runner_on_unreachable(self, result):
        self._result("unreachable")

    def v2_playbook_on_stats(self, stats):
        self._flush()
