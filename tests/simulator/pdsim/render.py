"""Schedule rendering for the simulator: rotations, restrictions, layers, overrides, the final schedule.

Pure functions on timezone-aware datetimes (UTC inside), independent of the
collection's own code so that the two check each other.  An entry is a tuple
``(start, end, user_id)`` covering the half-open interval ``[start, end)``.

The rules (see the README for what is verified and what is inferred):

* A layer's rotation: turn ``k`` covers ``rotation_virtual_start + k * length``
  for ``length`` seconds (absolute seconds, no DST adjustment) and belongs to
  ``users[k mod n]``.
* Restrictions only mask the rotation: they say when the layer is active, the
  rotation keeps running in real time underneath.  A restriction starts at
  ``start_time_of_day`` local time (every day, or on ``start_day_of_week``,
  1 = Monday) and lasts ``duration_seconds`` of wall-clock time in the
  schedule's time zone, so "09:00 for 8 h" is 09:00-17:00 local on both sides of
  a DST change.  A turn cut by a restriction resumes with the same user when the
  next window opens, as long as that user's turn is still running.
* Layers are clipped to ``[start, end)``; later layers (higher priority) hide
  earlier ones wherever they have an entry; overrides (the latest created wins)
  hide every layer.  Adjacent entries of the same user are merged.
"""

import datetime
import functools
import re
from zoneinfo import ZoneInfo

UTC = datetime.timezone.utc
DAY = 86400
WEEK = 7 * DAY
UTC_NAMES = ('Etc/UTC', 'UTC')
DATE_ONLY = re.compile(r'^\d{4}-\d{2}-\d{2}$')


@functools.lru_cache(maxsize=None)
def zone(name):
    return ZoneInfo(name)


def parse_time(text):
    """An ISO 8601 date-time with a UTC offset (or Z), as an aware UTC datetime without microseconds.

    PagerDuty's "Types" page: the time element is optional (``2011-05-06`` is that day's midnight, taken
    as UTC here: the page does not name the zone) and an offset may be hours only (``03:30-07``)."""
    if not isinstance(text, str):
        raise ValueError(f'{text!r} is not a date-time string')
    value = datetime.datetime.fromisoformat(text.strip())
    if value.tzinfo is None and DATE_ONLY.match(text.strip()):
        value = value.replace(tzinfo=UTC)
    if value.tzinfo is None:
        raise ValueError(f'{text!r} has no UTC offset')
    return value.astimezone(UTC).replace(microsecond=0)


def format_time(value, zone_name):
    """ISO 8601 in the given zone with its offset ("Z" for Etc/UTC), or None."""
    if value is None:
        return None
    text = value.astimezone(zone(zone_name)).isoformat(timespec='seconds')
    if zone_name in UTC_NAMES and text.endswith('+00:00'):
        text = text[:-6] + 'Z'
    return text


def merge_intervals(intervals):
    """Union of [start, end) intervals, sorted."""
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def merge_entries(entries):
    """Sort entries and join touching entries of the same user."""
    merged = []
    for start, end, user in sorted(entries, key=lambda entry: (entry[0], entry[1])):
        if merged and merged[-1][2] == user and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end, user)
        else:
            merged.append((start, end, user))
    return merged


def _time_of_day(text):
    hours, minutes, seconds = (int(part) for part in text.split(':'))
    return hours, minutes, seconds


def restriction_windows(restrictions, zone_name, start, end):
    """The UTC intervals within [start, end) in which a layer with these restrictions is active."""
    if start >= end:
        return []
    if not restrictions:
        return [(start, end)]
    local_zone = zone(zone_name)
    first = start.astimezone(local_zone).date() - datetime.timedelta(days=8)
    last = end.astimezone(local_zone).date() + datetime.timedelta(days=1)
    windows = []
    for restriction in restrictions:
        hours, minutes, seconds = _time_of_day(restriction['start_time_of_day'])
        weekly = restriction['type'] == 'weekly_restriction'
        day = first
        while day <= last:
            if not weekly or day.isoweekday() == restriction['start_day_of_week']:
                local_start = datetime.datetime(day.year, day.month, day.day, hours, minutes, seconds)
                local_end = local_start + datetime.timedelta(seconds=restriction['duration_seconds'])
                window_start = max(local_start.replace(tzinfo=local_zone).astimezone(UTC), start)
                window_end = min(local_end.replace(tzinfo=local_zone).astimezone(UTC), end)
                if window_start < window_end:
                    windows.append((window_start, window_end))
            day += datetime.timedelta(days=1)
    return merge_intervals(windows)


def rotation_turns(virtual_start, turn_length, user_count, start, end):
    """(start, end, user index) of every turn overlapping [start, end), clipped to it."""
    turns = []
    index = int((start - virtual_start).total_seconds()) // turn_length
    while True:
        turn_start = virtual_start + datetime.timedelta(seconds=index * turn_length)
        if turn_start >= end:
            return turns
        turn_end = turn_start + datetime.timedelta(seconds=turn_length)
        if turn_end > start:
            turns.append((max(turn_start, start), min(turn_end, end), index % user_count))
        index += 1


def layer_entries(layer, zone_name, since, until):
    """The entries of one layer within [since, until), clipped to it.

    ``layer`` holds ``start``, ``end`` (None: open), ``rotation_virtual_start``,
    ``rotation_turn_length_seconds``, ``users`` (ids in rotation order) and
    ``restrictions``.
    """
    low = max(layer['start'], since)
    high = until if layer.get('end') is None else min(layer['end'], until)
    if low >= high or not layer['users']:
        return []
    entries = []
    for window_start, window_end in restriction_windows(layer.get('restrictions') or [], zone_name, low, high):
        for start, end, index in rotation_turns(layer['rotation_virtual_start'], layer['rotation_turn_length_seconds'],
                                                len(layer['users']), window_start, window_end):
            entries.append((start, end, layer['users'][index]))
    return merge_entries(entries)


def _owner(entries, moment):
    for start, end, user in entries:
        if start <= moment < end:
            return user
    return None


def flatten(levels):
    """Stack entry lists (lowest priority first): at every moment the highest level with an entry wins."""
    points = sorted({moment for level in levels for start, end, dummy in level for moment in (start, end)})
    result = []
    for start, end in zip(points, points[1:]):
        for level in reversed(levels):
            user = _owner(level, start)
            if user is not None:
                result.append((start, end, user))
                break
    return merge_entries(result)


def override_entries(overrides, since, until):
    """Overrides (dicts with start, end, user; in creation order, the latest wins) as entries in [since, until)."""
    levels = [[(max(override['start'], since), min(override['end'], until), override['user'])]
              for override in overrides if override['start'] < until and override['end'] > since]
    return flatten(levels)


def select(entries, since, until, overflow=False):
    """The entries overlapping [since, until); clipped to it unless overflow."""
    chosen = [entry for entry in entries if entry[0] < until and entry[1] > since]
    if overflow:
        return chosen
    return [(max(start, since), min(end, until), user) for start, end, user in chosen]


def coverage(entries, since, until):
    """Percentage of [since, until) that the entries cover (rounded to 2 decimals)."""
    window = (until - since).total_seconds()
    if window <= 0:
        return 0
    covered = sum((min(end, until) - max(start, since)).total_seconds() for start, end, dummy in entries
                  if start < until and end > since)
    return round(100.0 * covered / window, 2)


def render_schedule(layers, overrides, zone_name, since, until, overflow=False):
    """Render a schedule for [since, until).

    ``layers`` in priority order (the first is the lowest), ``overrides`` in
    creation order.  Answers ``{"layers": [(entries, coverage), ...],
    "overrides": (entries, coverage), "final": (entries, coverage)}``.  With
    ``overflow`` the entries are rendered over a window padded by the longest
    turn (at least a week) and the ones crossing since/until are returned whole.
    """
    pad = 0
    if overflow:
        lengths = [layer['rotation_turn_length_seconds'] for layer in layers]
        lengths += [int((override['end'] - override['start']).total_seconds()) for override in overrides]
        pad = max(lengths + [WEEK])
    low = since - datetime.timedelta(seconds=pad)
    high = until + datetime.timedelta(seconds=pad)
    layer_lists = [layer_entries(layer, zone_name, low, high) for layer in layers]
    override_list = override_entries(overrides, low, high)
    final = flatten(layer_lists + [override_list])

    def result(entries):
        return select(entries, since, until, overflow), coverage(entries, since, until)

    return {
        'layers': [result(entries) for entries in layer_lists],
        'overrides': result(override_list),
        'final': result(final),
    }


def on_call_at(layers, overrides, zone_name, moment):
    """The user id on call at ``moment`` (None when nobody is)."""
    final = render_schedule(layers, overrides, zone_name, moment, moment + datetime.timedelta(seconds=1))['final'][0]
    return final[0][2] if final else None
