# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Who is on call (private: not an API for other collections): the one implementation behind the pd_oncall lookup, the pd_oncall_info
module and the inventory plugin's include_oncall.

Everything comes from ``GET /oncalls``, which answers for escalation policies: a schedule
that no escalation policy uses has no on-call entries there.
"""

from __future__ import annotations

from ansible_collections.oncall.pagerduty.plugins.module_utils import _catalog as catalog
from ansible_collections.oncall.pagerduty.plugins.module_utils._base import PagerDutyModule
from ansible_collections.oncall.pagerduty.plugins.module_utils._client import PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._timeutil import iso, parse_instant

TARGET_KINDS = ("auto", "schedule", "escalation_policy")
# escalation_policy_ids[] values per GET /oncalls request when asking for many policies.
POLICY_CHUNK = 50


def time_params(at):
    """since/until for one instant; nothing for "now", which is the API's own default."""
    if at is None or (f"{at}").strip().lower() in ("", "now"):
        return {}
    moment = iso(parse_instant(at, "at"))
    return {"since": moment, "until": moment}


def find_target(client, term, kind="auto"):
    """(kind name, object) for a schedule or escalation policy given by name or id.

    With ``kind: auto`` a schedule is looked for first, then an escalation policy.
    """
    if kind not in TARGET_KINDS:
        raise PagerDutyError(f"kind must be one of: {', '.join(TARGET_KINDS)}; got {kind!r}")
    candidates = ("schedule", "escalation_policy") if kind == "auto" else (kind,)
    for name in candidates:
        found = catalog.find(client, catalog.KINDS[name], term)
        if found is not None:
            return name, found
    wanted = " or ".join(catalog.KINDS[name].label for name in candidates)
    raise PagerDutyError(f"no {wanted} with id or name {term!r} exists")


def summarize(entry):
    """One on-call entry of the API as the collection returns it."""
    user = entry.get("user") or {}
    return {
        "id": user.get("id"),
        "name": user.get("name") or user.get("summary"),
        "email": user.get("email"),
        "start": entry.get("start"),
        "end": entry.get("end"),
        "escalation_level": entry.get("escalation_level"),
        "escalation_policy": catalog.named_reference(entry.get("escalation_policy")),
        "schedule": catalog.named_reference(entry.get("schedule")),
    }


def _unique_users(entries):
    """The same user on the same shift once, even when several policies use the schedule."""
    seen = set()
    unique = []
    for entry in entries:
        key = (entry["id"], entry["start"], entry["end"])
        if key not in seen:
            seen.add(key)
            unique.append(entry)
    return unique


def oncall_users(client, term, at=None, escalation_level=1, kind="auto"):
    """The users on call for one schedule or escalation policy (name or id) at ``at`` (default now).

    For an escalation policy only the given escalation level counts. A schedule's on-call
    users are the same at whatever level a policy uses it, so the level does not apply to it.
    """
    params = time_params(at)
    found_kind, found = find_target(client, term, kind)
    params["include[]"] = ["users"]
    params[f"{found_kind}_ids[]"] = [found["id"]]
    entries = [summarize(entry) for entry in client.iter_pages(catalog.path("oncalls"), "oncalls", params)]
    if found_kind == "escalation_policy" and escalation_level is not None:
        entries = [entry for entry in entries if entry["escalation_level"] == int(escalation_level)]
    entries.sort(key=lambda entry: (entry["escalation_level"] or 0, entry["start"] or "", entry["name"] or "", entry["id"] or ""))
    return _unique_users(entries)


def oncalls_by_policy(client, policy_ids, at=None):
    """{policy id: [{"level": n, "users": [...]}, ...]} for many escalation policies at once."""
    policy_ids = sorted(set(policy_ids))
    params = time_params(at)
    params["include[]"] = ["users"]
    levels = {}
    for start in range(0, len(policy_ids), POLICY_CHUNK):
        params["escalation_policy_ids[]"] = policy_ids[start:start + POLICY_CHUNK]
        for entry in client.iter_pages(catalog.path("oncalls"), "oncalls", params):
            user = summarize(entry)
            policy = user.pop("escalation_policy") or {}
            level = user.pop("escalation_level")
            levels.setdefault(policy.get("id"), {}).setdefault(level, []).append(user)
    return {
        policy_id: [{"level": level, "users": _unique_users(users)} for level, users in sorted(by_level.items())]
        for policy_id, by_level in levels.items()
    }


class OncallInfoModule(PagerDutyModule):
    """pd_oncall_info: the users on call for schedules or escalation policies."""

    @classmethod
    def declared_options(cls):
        return [("option", name) for name in ("names", "at", "escalation_level", "kind")]

    def execute(self):
        oncalls = []
        for name in self.params["names"]:
            try:
                oncalls += oncall_users(self.client, name, at=self.params["at"], escalation_level=self.params["escalation_level"],
                                        kind=self.params["kind"])
            except ValueError as exc:
                self.fail_input(f"{exc}")
        return {"changed": False, "oncalls": oncalls}
