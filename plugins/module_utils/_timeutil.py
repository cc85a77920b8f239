# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Instants and durations as users write them: ISO 8601 with any offset, now, +2h, 1d, 86400.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

import datetime
import re

UTC = datetime.timezone.utc
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_RELATIVE = re.compile(r"^\s*now\s*([+-])\s*(.+)$|^\s*([+-])\s*(\d+\s*[smhdw])\s*$")
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$", re.I)


MAX_DURATION = 100 * 365 * 86400
EARLIEST = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
LATEST = datetime.datetime(9000, 1, 1, tzinfo=datetime.timezone.utc)


def parse_duration(value, option="duration"):
    """Seconds from an int (seconds) or a text like 90s, 30m, 12h, 1d, 2w."""
    if isinstance(value, bool):
        raise ValueError(f"{option}: {value!r} is not a duration")
    if isinstance(value, int):
        seconds = value
    else:
        text = f"{value}"
        if text.strip().isdigit():
            seconds = int(text)
        else:
            match = _DURATION.match(text.lower())
            if not match:
                raise ValueError(f"{option}: {value!r} is not a duration; give seconds or a number with s, m, h, d or w (such as 12h, 1d, 1w)")
            seconds = int(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise ValueError(f"{option} must be longer than 0 seconds, got {value!r}")
    if seconds > MAX_DURATION:
        raise ValueError(f"{option}: {value!r} is longer than 100 years")
    return seconds


def now_utc():
    return datetime.datetime.now(UTC).replace(microsecond=0)


def parse_instant(value, option="time", now=None):
    """An aware datetime from ISO 8601 (any offset; a missing offset means UTC), now, now+2h or +7d."""
    now = now or now_utc()
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = f"{value}".strip()
    if text.lower() == "now":
        return now
    relative = _RELATIVE.match(text.lower())
    if relative:
        sign = relative.group(1) or relative.group(3)
        amount = parse_duration(relative.group(2) or relative.group(4), option)
        return in_range(now + datetime.timedelta(seconds=amount if sign == "+" else -amount), option, value)
    match = _ISO.match(text)
    if not match:
        raise ValueError(f"{option}: {value!r} is not a time; use ISO 8601 such as 2026-12-01T09:00:00+01:00, or now, now+2h, +7d")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        moment = datetime.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                                   int((fraction or "0").ljust(6, "0")), tzinfo=_offset(offset))
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{option}: {value!r} is not a valid time ({exc})")
    return in_range(moment, option, value)


def in_range(moment, option, value):
    """Times far from now (before 1970, after 9000) are refused: PagerDuty has no use for them, and
    arithmetic on them would overflow."""
    if not EARLIEST <= moment <= LATEST:
        raise ValueError(f"{option}: {value!r} is out of range (from 1970 to 9000)")
    return moment


def _offset(text):
    if not text or text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))


def iso(moment):
    """UTC ISO 8601 text with a Z, as sent to the API."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Window:
    """A time window as a task gives it: start (default now) and end or duration.

    Windows have no name, so a task finds "its" window by time. With explicit times
    the same start and end (within ``slack``) is the same window; with a start of
    "now", which moves on every run, an ongoing window of the same length (or with
    the same explicit end) is.
    """

    def __init__(self, start=None, end=None, duration=None, now=None, slack=60, names=("start_time", "end_time")):
        self.now = now or now_utc()
        self.names = names  # the module's option names for start and end, used in messages
        self.slack = datetime.timedelta(seconds=slack)
        self.starts_now = f"{start or 'now'}".strip().lower() == "now"
        self.explicit_end = end is not None
        self.start = parse_instant(start or "now", names[0], self.now)
        if end is not None:
            self.end = parse_instant(end, names[1], self.now)
        elif duration is not None:
            self.end = self.start + datetime.timedelta(seconds=parse_duration(duration, "duration"))
        else:
            self.end = None

    def check(self):
        """Errors of a window to be created: an end is needed, after the start, in the future."""
        if self.end is None:
            raise ValueError(f"one of {self.names[1]} or duration is required")
        if self.end <= self.start:
            raise ValueError(f"{self.names[1]} must be after {self.names[0]} ({iso(self.end)} is not after {iso(self.start)})")
        if self.end <= self.now:
            raise ValueError(f"the window would end in the past ({iso(self.end)})")

    def matches(self, start, end):
        """Whether an existing window from start to end (aware datetimes) is this one."""
        if self.end is None:
            return True
        if self.starts_now and not self.explicit_end:
            return start <= self.now + self.slack and abs((end - start) - (self.end - self.start)) <= self.slack
        if self.starts_now:
            return start <= self.now + self.slack and abs(end - self.end) <= self.slack
        return abs(start - self.start) <= self.slack and abs(end - self.end) <= self.slack
