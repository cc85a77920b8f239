# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Schedule layers: rotation arithmetic (also across DST changes) and every "no false change" case."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.oncall.pagerduty.plugins.module_utils import _layers as schedules
from ansible_collections.oncall.pagerduty.plugins.module_utils._timeutil import parse_instant

NOW = parse_instant("2026-03-30T12:00:00Z")  # the Monday after Europe's switch to summer time


def at(text):
    return parse_instant(text)


def layer(**overrides):
    base = {
        "id": "PLAYER1",
        "name": "Day",
        "start": at("2026-03-01T00:00:00Z"),
        "end": None,
        "rotation_virtual_start": at("2026-03-02T08:00:00Z"),
        "rotation_turn_length_seconds": 86400,
        "users": ["PA", "PB", "PC"],
        "restrictions": [],
    }
    base.update(overrides)
    return base


def declared(**overrides):
    item = {"name": "Day", "rotation_turn_length": "1d", "users": None}
    item.update(overrides)
    return item


# -- parsing what a task declares ---------------------------------------------------------------


def test_desired_layer_normalises_durations_days_and_times():
    result = schedules.desired_layer({
        "name": "Day", "start": "2026-03-02T09:00:00+01:00", "rotation_turn_length": "1w",
        "restrictions": [
            {"type": "weekly", "start_day_of_week": "Tuesday", "start_time_of_day": "9:00", "duration": "8h"},
            {"type": "weekly", "start_day_of_week": 1, "start_time_of_day": "09:00:00", "duration": 28800},
        ]}, 0, ["PA"], NOW)
    assert result["start"] == at("2026-03-02T08:00:00Z")
    assert result["rotation_turn_length_seconds"] == 604800
    assert result["rotation_virtual_start"] is None
    assert result["restrictions"] == [
        {"type": "weekly_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 28800, "start_day_of_week": 1},
        {"type": "weekly_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 28800, "start_day_of_week": 2},
    ]


@pytest.mark.parametrize("item, users, message", [
    ({"rotation_turn_length": "0"}, ["PA"], "layers[0] (Day).rotation_turn_length must be longer than 0 seconds, got '0'"),
    ({"rotation_turn_length": "2y"}, ["PA"], "layers[0] (Day).rotation_turn_length: '2y' is not a duration"),
    ({"rotation_turn_length": "400d"}, ["PA"], "layers[0] (Day).rotation_turn_length: 34560000 seconds is longer than a year"),
    ({}, [], "layers[0] (Day).users: a layer needs at least one user"),
    ({"start": "2026-03-02", "end": "2026-03-01"}, ["PA"], "layers[0] (Day).end must be after its start"),
    ({"restrictions": [{"type": "daily", "start_time_of_day": "09:00", "duration": "25h"}]}, ["PA"],
     "layers[0] (Day).restrictions[0].duration: 90000 seconds is longer than a daily restriction's period (86400 seconds)"),
    ({"restrictions": [{"type": "weekly", "start_time_of_day": "09:00", "duration": "8d", "start_day_of_week": 1}]}, ["PA"],
     "layers[0] (Day).restrictions[0].duration: 691200 seconds is longer than a weekly restriction's period (604800 seconds)"),
    ({"restrictions": [{"type": "weekly", "start_time_of_day": "09:00", "duration": "8h"}]}, ["PA"],
     "layers[0] (Day).restrictions[0].start_day_of_week is required for a weekly restriction"),
    ({"restrictions": [{"type": "weekly", "start_time_of_day": "09:00", "duration": "8h", "start_day_of_week": "funday"}]}, ["PA"],
     "layers[0] (Day).restrictions[0].start_day_of_week: 'funday' is not a day"),
    ({"restrictions": [{"type": "daily", "start_time_of_day": "25:00", "duration": "8h"}]}, ["PA"],
     "layers[0] (Day).restrictions[0].start_time_of_day: '25:00' is not a time of day"),
    ({"restrictions": [{"type": "daily", "start_time_of_day": "09:00", "duration": "8h", "start_day_of_week": 1}]}, ["PA"],
     "layers[0] (Day).restrictions[0].start_day_of_week only applies to weekly restrictions"),
])
def test_bad_layers_are_refused_with_the_field_named(item, users, message):
    with pytest.raises(schedules.LayerError) as err:
        schedules.desired_layer(declared(**item), 0, users, NOW)
    assert str(err.value).startswith(message)


# -- no false changes ---------------------------------------------------------------------------


def desired(**overrides):
    base = dict(layer(), start=None, rotation_virtual_start=None)
    base.pop("id")
    base.update(overrides)
    return base


@pytest.mark.parametrize("case, current, wanted", [
    ("past start rewritten by the API", layer(start=at("2026-03-30T11:59:00Z")), desired(start=at("2026-01-01T00:00:00Z"))),
    ("same instant, other offset", layer(start=at("2026-04-02T10:00:00+02:00")), desired(start=at("2026-04-02T08:00:00Z"))),
    ("1d is 86400", layer(), desired(rotation_turn_length_seconds=86400)),
    ("start not given", layer(), desired()),
    ("virtual start a whole rotation later", layer(), desired(rotation_virtual_start=at("2026-03-05T08:00:00Z"))),
    ("virtual start in another offset", layer(), desired(rotation_virtual_start=at("2026-03-02T09:00:00+01:00"))),
    ("restrictions in another order", layer(restrictions=[{"type": "daily_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 3600},
                                                          {"type": "daily_restriction", "start_time_of_day": "18:00:00", "duration_seconds": 3600}]),
     desired(restrictions=sorted([{"type": "daily_restriction", "start_time_of_day": "18:00:00", "duration_seconds": 3600},
                                  {"type": "daily_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 3600}],
                                 key=schedules.restriction_key))),
])
def test_no_false_change(case, current, wanted):
    assert schedules.layer_changes(current, wanted, NOW, preserve_oncall=False) == {}, case


@pytest.mark.parametrize("case, current, wanted, fields", [
    ("future start moved", layer(start=at("2026-04-02T08:00:00Z")), desired(start=at("2026-04-03T08:00:00Z")), ["start"]),
    ("past start moved to the future", layer(), desired(start=at("2026-04-03T08:00:00Z")), ["start"]),
    ("other turn length", layer(), desired(rotation_turn_length_seconds=43200), ["rotation_turn_length_seconds"]),
    ("other order of users", layer(), desired(users=["PB", "PA", "PC"]), ["users"]),
    ("an end", layer(), desired(end=at("2026-05-01T00:00:00Z")), ["end"]),
    ("virtual start half a turn later", layer(), desired(rotation_virtual_start=at("2026-03-02T20:00:00Z")), ["rotation_virtual_start"]),
    ("a restriction", layer(), desired(restrictions=[{"type": "daily_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 3600}]),
     ["restrictions"]),
])
def test_real_changes(case, current, wanted, fields):
    assert sorted(schedules.layer_changes(current, wanted, NOW, preserve_oncall=False)) == fields, case


def test_preserve_oncall_does_not_compare_the_virtual_start():
    assert schedules.layer_changes(layer(), desired(rotation_virtual_start=at("2026-03-02T20:00:00Z")), NOW, preserve_oncall=True) == {}


def test_active_layers_ignore_ended_layers_and_order():
    ended = layer(name="Old", end=at("2026-03-29T00:00:00Z"))
    running = [layer(name="B"), layer(name="A", end=at("2026-04-30T00:00:00Z"))]
    assert list(schedules.active_layers(running + [ended], NOW)) == ["B", "A"]


def test_api_layer_reads_references_and_offsets():
    read = schedules.api_layer({
        "id": "PL", "name": "Day", "start": "2026-03-30T13:59:00+02:00", "end": None,
        "rotation_virtual_start": "2026-03-02T09:00:00+01:00", "rotation_turn_length_seconds": 86400,
        "users": [{"user": {"id": "PA", "type": "user_reference"}}],
        "restrictions": [{"type": "daily_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 3600, "id": "x"}],
    })
    assert read["start"] == at("2026-03-30T11:59:00Z")
    assert read["rotation_virtual_start"] == at("2026-03-02T08:00:00Z")
    assert read["users"] == ["PA"]
    assert read["restrictions"] == [{"type": "daily_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 3600}]


# -- rotation arithmetic --------------------------------------------------------------------------


@pytest.mark.parametrize("moment, user, start, end", [
    ("2026-03-02T08:00:00Z", "PA", "2026-03-02T08:00:00Z", "2026-03-03T08:00:00Z"),
    ("2026-03-03T07:59:59Z", "PA", "2026-03-02T08:00:00Z", "2026-03-03T08:00:00Z"),
    ("2026-03-03T08:00:00Z", "PB", "2026-03-03T08:00:00Z", "2026-03-04T08:00:00Z"),
    # across the DST change of 2026-03-29 in Europe: turns are 24 real hours, anchored in UTC
    ("2026-03-30T12:00:00Z", "PB", "2026-03-30T08:00:00Z", "2026-03-31T08:00:00Z"),  # turn 28: 28 mod 3 = 1
    ("2026-03-30T10:30:00+02:00", "PB", "2026-03-30T08:00:00Z", "2026-03-31T08:00:00Z"),
    # before the virtual start the rotation runs backwards
    ("2026-03-01T09:00:00Z", "PC", "2026-03-01T08:00:00Z", "2026-03-02T08:00:00Z"),
])
def test_turn_at(moment, user, start, end):
    assert schedules.turn_at(layer(), at(moment)) == (user, at(start), at(end))


def test_turn_at_with_weekly_turns_over_dst():
    weekly = layer(rotation_virtual_start=at("2026-03-23T09:00:00+01:00"), rotation_turn_length_seconds=604800, users=["PA", "PB"])
    user, start, end = schedules.turn_at(weekly, at("2026-03-31T09:00:00+02:00"))
    # one week of real seconds after Monday 09:00 CET is Monday 10:00 CEST
    assert (user, start, end) == ("PB", at("2026-03-30T10:00:00+02:00"), at("2026-04-06T10:00:00+02:00"))


@pytest.mark.parametrize("new_users, stays", [
    (["PD", "PA", "PB", "PC"], True),   # a user added in front
    (["PA", "PB", "PC", "PD"], True),   # a user added at the end
    (["PC", "PB", "PA"], True),         # reversed
    (["PB", "PC"], False),              # the person on call was removed
])
def test_preserved_virtual_start_keeps_the_person_on_call(new_users, stays):
    current = layer()
    on_call, _start, turn_end = schedules.turn_at(current, NOW)
    virtual = schedules.preserved_virtual_start(current, new_users, 86400, NOW)
    after = dict(current, users=new_users, rotation_virtual_start=virtual)
    user, _start, end = schedules.turn_at(after, NOW)
    if stays:
        assert (user, end) == (on_call, turn_end)
        following, _start, _end = schedules.turn_at(after, turn_end)
        assert following == new_users[(new_users.index(on_call) + 1) % len(new_users)]
    else:
        assert (user, end) == (new_users[0], turn_end)


def test_preserved_virtual_start_needs_the_same_turn_length():
    assert schedules.preserved_virtual_start(layer(), ["PA"], 43200, NOW) is None


def test_to_api_shape():
    body = schedules.to_api(dict(desired(start=at("2026-03-30T12:00:00+02:00"), rotation_virtual_start=at("2026-03-30T10:00:00Z"))), "PL")
    assert body == {
        "id": "PL", "name": "Day", "start": "2026-03-30T10:00:00Z", "end": None, "rotation_virtual_start": "2026-03-30T10:00:00Z",
        "rotation_turn_length_seconds": 86400,
        "users": [{"user": {"id": u, "type": "user_reference"}} for u in ("PA", "PB", "PC")],
        "restrictions": [],
    }
    assert schedules.shown({"id": "x", "start": at("2026-03-30T12:00:00+02:00"), "users": ["PA"]}) == {"start": "2026-03-30T10:00:00Z", "users": ["PA"]}


def test_same_rotation_modulo_cycle():
    assert schedules.same_rotation(layer(), desired(rotation_virtual_start=at("2026-03-02T08:00:00Z") - datetime.timedelta(days=6)))
    assert not schedules.same_rotation(layer(), desired(rotation_virtual_start=at("2026-03-03T08:00:00Z")))
