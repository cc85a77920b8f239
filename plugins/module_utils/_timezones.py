# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The time zone names PagerDuty accepts, and a check that suggests close matches.

PagerDuty takes IANA identifiers, but not all of them: only the fixed set behind the
zones its web UI offers (for example ``Etc/UTC`` is accepted, plain ``UTC`` is not).
Checking before any request turns a vague 400 into a message with suggestions.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

import difflib

ACCEPTED_TIME_ZONES = frozenset([
    "Africa/Algiers", "Africa/Cairo", "Africa/Casablanca", "Africa/Harare", "Africa/Johannesburg",
    "Africa/Monrovia", "Africa/Nairobi", "America/Argentina/Buenos_Aires", "America/Bogota",
    "America/Caracas", "America/Chicago", "America/Chihuahua", "America/Denver", "America/Godthab",
    "America/Guatemala", "America/Guyana", "America/Halifax", "America/Indiana/Indianapolis",
    "America/Juneau", "America/La_Paz", "America/Lima", "America/Los_Angeles", "America/Mazatlan",
    "America/Mexico_City", "America/Monterrey", "America/Montevideo", "America/New_York", "America/Phoenix",
    "America/Puerto_Rico", "America/Regina", "America/Santiago", "America/Sao_Paulo", "America/St_Johns",
    "America/Tijuana", "Asia/Almaty", "Asia/Baghdad", "Asia/Baku", "Asia/Bangkok", "Asia/Chongqing",
    "Asia/Colombo", "Asia/Dhaka", "Asia/Hong_Kong", "Asia/Irkutsk", "Asia/Jakarta", "Asia/Jerusalem",
    "Asia/Kabul", "Asia/Kamchatka", "Asia/Karachi", "Asia/Kathmandu", "Asia/Kolkata", "Asia/Krasnoyarsk",
    "Asia/Kuala_Lumpur", "Asia/Kuwait", "Asia/Magadan", "Asia/Muscat", "Asia/Novosibirsk", "Asia/Rangoon",
    "Asia/Riyadh", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore", "Asia/Srednekolymsk", "Asia/Taipei",
    "Asia/Tashkent", "Asia/Tbilisi", "Asia/Tehran", "Asia/Tokyo", "Asia/Ulaanbaatar", "Asia/Urumqi",
    "Asia/Vladivostok", "Asia/Yakutsk", "Asia/Yekaterinburg", "Asia/Yerevan", "Atlantic/Azores",
    "Atlantic/Cape_Verde", "Atlantic/South_Georgia", "Australia/Adelaide", "Australia/Brisbane",
    "Australia/Darwin", "Australia/Hobart", "Australia/Melbourne", "Australia/Perth", "Australia/Sydney",
    "Etc/GMT+12", "Etc/UTC", "Europe/Amsterdam", "Europe/Athens", "Europe/Belgrade", "Europe/Berlin",
    "Europe/Bratislava", "Europe/Brussels", "Europe/Bucharest", "Europe/Budapest", "Europe/Copenhagen",
    "Europe/Dublin", "Europe/Helsinki", "Europe/Istanbul", "Europe/Kaliningrad", "Europe/Kiev",
    "Europe/Lisbon", "Europe/Ljubljana", "Europe/London", "Europe/Madrid", "Europe/Minsk", "Europe/Moscow",
    "Europe/Paris", "Europe/Prague", "Europe/Riga", "Europe/Rome", "Europe/Samara", "Europe/Sarajevo",
    "Europe/Skopje", "Europe/Sofia", "Europe/Stockholm", "Europe/Tallinn", "Europe/Vienna", "Europe/Vilnius",
    "Europe/Volgograd", "Europe/Warsaw", "Europe/Zagreb", "Europe/Zurich", "Pacific/Apia", "Pacific/Auckland",
    "Pacific/Chatham", "Pacific/Fakaofo", "Pacific/Fiji", "Pacific/Guadalcanal", "Pacific/Guam",
    "Pacific/Honolulu", "Pacific/Majuro", "Pacific/Midway", "Pacific/Noumea", "Pacific/Pago_Pago",
    "Pacific/Port_Moresby", "Pacific/Tongatapu",
])

# Common spellings that are not accepted, and what to use instead.
_ALIASES = {
    "utc": "Etc/UTC",
    "gmt": "Etc/UTC",
    "z": "Etc/UTC",
    "zulu": "Etc/UTC",
    "etc/gmt": "Etc/UTC",
    "universal": "Etc/UTC",
    "asia/calcutta": "Asia/Kolkata",
    "europe/kyiv": "Europe/Kiev",
    "america/nuuk": "America/Godthab",
    "asia/yangon": "Asia/Rangoon",
    "us/eastern": "America/New_York",
    "us/central": "America/Chicago",
    "us/mountain": "America/Denver",
    "us/pacific": "America/Los_Angeles",
}


def close_time_zones(value, limit=3):
    """Accepted names close to value: known aliases, same city, then spelling."""
    text = (value or "").strip()
    lowered = text.lower()
    found = []
    if lowered in _ALIASES:
        found.append(_ALIASES[lowered])
    by_lower = {name.lower(): name for name in ACCEPTED_TIME_ZONES}
    if lowered in by_lower:
        found.append(by_lower[lowered])
    city = lowered.rsplit("/", 1)[-1].replace(" ", "_")
    found.extend(sorted(name for name in ACCEPTED_TIME_ZONES if name.lower().rsplit("/", 1)[-1] == city))
    found.extend(by_lower[m] for m in difflib.get_close_matches(lowered, sorted(by_lower), n=limit, cutoff=0.6))
    unique = []
    for name in found:
        if name not in unique:
            unique.append(name)
    return unique[:limit]


def time_zone_error(option, value):
    """None when value is accepted, else a message naming the option and close matches."""
    if value in ACCEPTED_TIME_ZONES:
        return None
    message = f"{option}: {value!r} is not a time zone PagerDuty accepts"
    suggestions = close_time_zones(value)
    if suggestions:
        message += f"; did you mean {', '.join(suggestions)}?"
    else:
        message += " (use an IANA name such as Etc/UTC, Europe/Berlin or America/New_York)"
    return message
