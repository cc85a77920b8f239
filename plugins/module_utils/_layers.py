# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Schedule layers: normalising, comparing without false changes, and rotation arithmetic.

The pure functions here know PagerDuty's ways with layers:
- a layer ``start`` in the past is rewritten by the API to the time of the last update,
  so two starts that are both in the past are the same;
- layers come back in reverse order, so they are matched by name, never by position;
- instants are compared as instants, whatever UTC offset they were written with;
- a rotation is ``users[k mod n]`` for turn ``k`` that starts at
  ``rotation_virtual_start + k * rotation_turn_length_seconds`` (absolute seconds, so a
  daily turn is 24 real hours also across a DST change); restrictions only mask it.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

import datetime
import re

from ansible_collections.oncall.pagerduty.plugins.module_utils._timeutil import iso, parse_duration, parse_instant

MAX_TURN = 365 * 86400
PERIODS = {"daily": 86400, "weekly": 7 * 86400}
WEEKDAYS = {
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
    "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7,
}
_TIME_OF_DAY = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


class LayerError(ValueError):
    """A layer that cannot be sent; the message names the layer and the field."""


def time_of_day(value, where):
    match = _TIME_OF_DAY.match(f"{value}".strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59 or int(match.group(3) or 0) > 59:
        raise LayerError(f"{where}.start_time_of_day: {value!r} is not a time of day; use HH:MM or HH:MM:SS")
    return f"{int(match.group(1)):02}:{int(match.group(2)):02}:{int(match.group(3) or 0):02}"


def weekday(value, where):
    if isinstance(value, int) or (f"{value}").isdigit():
        day = int(value)
    else:
        day = WEEKDAYS.get(f"{value}".strip().lower(), 0)
    if not 1 <= day <= 7:
        raise LayerError(f"{where}.start_day_of_week: {value!r} is not a day; use 1 (Monday) to 7 (Sunday) or a weekday name")
    return day


def restriction(item, where):
    """A restriction as the API stores it, checked against its period."""
    kind = item["type"]
    try:
        duration = parse_duration(item["duration"], f"{where}.duration")
    except ValueError as exc:
        raise LayerError(f"{exc}")
    if duration > PERIODS[kind]:
        raise LayerError(f"{where}.duration: {int(duration)} seconds is longer than a {kind} restriction's period ({int(PERIODS[kind])} seconds)")
    result = {
        "type": f"{kind}_restriction",
        "start_time_of_day": time_of_day(item["start_time_of_day"], where),
        "duration_seconds": duration,
    }
    if kind == "weekly":
        if item.get("start_day_of_week") is None:
            raise LayerError(f"{where}.start_day_of_week is required for a weekly restriction")
        result["start_day_of_week"] = weekday(item["start_day_of_week"], where)
    elif item.get("start_day_of_week") is not None:
        raise LayerError(f"{where}.start_day_of_week only applies to weekly restrictions")
    return result


def restriction_key(item):
    return (item.get("type"), item.get("start_day_of_week") or 0, item.get("start_time_of_day"), item.get("duration_seconds"))


def desired_layer(item, index, user_ids, now):
    """The layer a task declares, normalised (users already resolved to ids)."""
    where = f"layers[{int(index)}] ({item['name']})"
    if not user_ids:
        raise LayerError(f"{where}.users: a layer needs at least one user")
    try:
        turn = parse_duration(item["rotation_turn_length"], f"{where}.rotation_turn_length")
        start = parse_instant(item["start"], f"{where}.start", now) if item.get("start") else None
        end = parse_instant(item["end"], f"{where}.end", now) if item.get("end") else None
        virtual = parse_instant(item["rotation_virtual_start"], f"{where}.rotation_virtual_start", now) \
            if item.get("rotation_virtual_start") else None
    except ValueError as exc:
        raise LayerError(f"{exc}")
    if turn > MAX_TURN:
        raise LayerError(f"{where}.rotation_turn_length: {int(turn)} seconds is longer than a year")
    if start and end and end <= start:
        raise LayerError(f"{where}.end must be after its start")
    restrictions = [restriction(r, f"{where}.restrictions[{int(i)}]") for i, r in enumerate(item.get("restrictions") or [])]
    return {
        "name": item["name"],
        "start": start,
        "end": end,
        "rotation_virtual_start": virtual,
        "rotation_turn_length_seconds": turn,
        "users": list(user_ids),
        "restrictions": sorted(restrictions, key=restriction_key),
    }


def api_layer(layer):
    """A layer read from the API, in the same normalised shape (plus its id)."""
    return {
        "id": layer.get("id"),
        "name": layer.get("name"),
        "start": parse_instant(layer["start"]) if layer.get("start") else None,
        "end": parse_instant(layer["end"]) if layer.get("end") else None,
        "rotation_virtual_start": parse_instant(layer["rotation_virtual_start"]) if layer.get("rotation_virtual_start") else None,
        "rotation_turn_length_seconds": layer.get("rotation_turn_length_seconds"),
        "users": [(entry.get("user") or {}).get("id") for entry in layer.get("users") or []],
        "restrictions": sorted([{k: v for k, v in r.items() if k in ("type", "start_time_of_day", "duration_seconds", "start_day_of_week")}
                                for r in layer.get("restrictions") or []], key=restriction_key),
    }


def active_layers(layers, now):
    """Layers that have not ended, by name (ended layers are history, not compared)."""
    return {layer["name"]: layer for layer in layers if layer["end"] is None or layer["end"] > now}


def same_rotation(current, desired):
    """Whether two rotation starts give the same turns: they differ by whole rotation cycles."""
    cycle = current["rotation_turn_length_seconds"] * max(len(current["users"]), 1)
    shift = (desired["rotation_virtual_start"] - current["rotation_virtual_start"]).total_seconds()
    return shift % cycle == 0


def layer_changes(current, desired, now, preserve_oncall):
    """The fields of an existing layer that really differ, as {field: (current, desired)}."""
    changes = {}
    start, want = current["start"], desired["start"]
    # The API rewrites a start in the past to the time of the last update: two past starts are the same.
    if want is not None and not (want <= now and (start is None or start <= now)) and want != start:
        changes["start"] = (start, want)
    if desired["end"] != current["end"] and not (desired["end"] is None and current["end"] is None):
        changes["end"] = (current["end"], desired["end"])
    for field in ("rotation_turn_length_seconds", "users", "restrictions"):
        if current[field] != desired[field]:
            changes[field] = (current[field], desired[field])
    if desired["rotation_virtual_start"] is not None and not preserve_oncall and "users" not in changes \
            and "rotation_turn_length_seconds" not in changes and not same_rotation(current, desired):
        changes["rotation_virtual_start"] = (current["rotation_virtual_start"], desired["rotation_virtual_start"])
    return changes


def turn_at(layer, moment):
    """(user id, turn start, turn end) of the rotation at a moment; restrictions are not applied."""
    length = layer["rotation_turn_length_seconds"]
    elapsed = (moment - layer["rotation_virtual_start"]).total_seconds()
    index = int(elapsed // length)
    start = layer["rotation_virtual_start"] + datetime.timedelta(seconds=index * length)
    return layer["users"][index % len(layer["users"])], start, start + datetime.timedelta(seconds=length)


def preserved_virtual_start(current, new_users, turn_length, now):
    """A rotation start that keeps whoever is on call now on call until their turn ends.

    The person on call now keeps the rest of their turn, then the new order follows.
    When they are no longer in the list, the new order starts with the current turn.
    """
    user, turn_start, turn_end = turn_at(current, now)
    if turn_length != current["rotation_turn_length_seconds"]:
        return None
    if user in new_users:
        position = new_users.index(user)
        return turn_end - datetime.timedelta(seconds=(position + 1) * turn_length)
    return turn_start


def shown(layer):
    """A layer for diffs and results: instants as UTC text."""
    result = {}
    for key, value in layer.items():
        if key == "id":
            continue
        result[key] = iso(value) if isinstance(value, datetime.datetime) else value
    return result


def to_api(layer, layer_id=None):
    """The layer as the API takes it."""
    body = {
        "name": layer["name"],
        "start": iso(layer["start"]),
        "end": iso(layer["end"]) if layer["end"] else None,
        "rotation_virtual_start": iso(layer["rotation_virtual_start"]),
        "rotation_turn_length_seconds": layer["rotation_turn_length_seconds"],
        "users": [{"user": {"id": user, "type": "user_reference"}} for user in layer["users"]],
        "restrictions": layer["restrictions"],
    }
    if layer_id:
        body["id"] = layer_id
    return body
