"""Schedules, their layers and overrides: /schedules, /schedules/{id}/users and /schedules/{id}/overrides.

The layer rules PagerDuty applies on every create and update (``apply_layers``):

* a layer's ``start`` in the past becomes the time of the request (future starts are kept);
* layers are answered in reverse order (the last layer sent, the one with the highest priority, first);
* layers are never deleted once they started: an existing layer left out of a PUT is ended
  (``end`` = now) and kept; one that had not started yet is dropped.

Rendering lives in ``pdsim.render`` (pure functions).  Escalation policies target schedules, so
this module does not import them: a schedule's ``escalation_policies`` come from
``ctx.resource('escalation_policies')``, and the delete guard that refuses deleting a schedule in
use lives in ``pdsim.escalation_policies``.
"""

import datetime
import re

from pdsim.core import NOT_FOUND, ApiError, Resource, Route, invalid_input, is_int, now, wanted_ids
from pdsim.render import format_time, parse_time, render_schedule
from pdsim.teams import TEAMS
from pdsim.users import TIME_ZONES, USERS

DEFAULT_WINDOW = datetime.timedelta(weeks=2)
MAX_TURN_SECONDS = 365 * 86400
RESTRICTION_PERIODS = {'daily_restriction': 86400, 'weekly_restriction': 7 * 86400}
TIME_OF_DAY = re.compile(r'^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$')
DEFAULT_NAME = 'New Schedule'
# Quoted from PagerDuty answers reported by Terraform provider users (code 2001).
SCHEDULE_IN_USE = "Schedule can't be deleted if it's being used by escalation policies"
# From the example response of POST /schedules/{id}/overrides in the OpenAPI document.
OVERRIDE_END_BEFORE_START = 'Override must end after its start'
QUERY_TIME_ZONES = TIME_ZONES | {'UTC'}


def parse_time_input(value, label):
    """A date-time of a request (ISO 8601 with a UTC offset), or 400."""
    try:
        return parse_time(value)
    except (TypeError, ValueError):
        raise invalid_input(f'{label} must be an ISO 8601 date-time with a UTC offset') from None


def query_time_zone(ctx, default):
    """The ``time_zone`` query parameter (or ``default``), which must be a PagerDuty time zone or UTC."""
    zone_name = ctx.query_value('time_zone') or default
    if zone_name not in QUERY_TIME_ZONES:
        raise invalid_input('Time zone is not a valid time zone')
    return zone_name


def _user_id(reference):
    """A layer or override user: {"user": {"id": ...}}, {"id": ...} or a bare id (seeds)."""
    if isinstance(reference, dict) and isinstance(reference.get('user'), dict):
        reference = reference['user']
    if isinstance(reference, dict):
        reference = reference.get('id')
    return reference if isinstance(reference, str) else None


def _team_ids(ctx, teams):
    if not isinstance(teams, list):
        raise invalid_input('Teams must be a list of team references')
    ids = []
    for team in teams:
        team_id = team.get('id') if isinstance(team, dict) else team
        if not isinstance(team_id, str) or ctx.store[TEAMS.collection].get(team_id) is None:
            raise invalid_input(f'Team {team_id} not found')
        if team_id not in ids:
            ids.append(team_id)
    return ids


def window(since_text, until_text, default_now=False):
    """(since, until) from the query: one of them defaults to two weeks from the other; neither: None
    (or now .. now + 2 weeks with ``default_now``)."""
    since = parse_time_input(since_text, 'since') if since_text else None
    until = parse_time_input(until_text, 'until') if until_text else None
    if since is None and until is None:
        if not default_now:
            return None
        since = now()
    if since is None:
        since = until - DEFAULT_WINDOW
    if until is None:
        until = since + DEFAULT_WINDOW
    if until < since:
        raise invalid_input('until cannot be before since')
    return since, until


def parse_override(ctx, raw):
    """Validate one override; answers the stored form or raises ApiError."""
    if not isinstance(raw, dict):
        raise invalid_input('An override must be an object with start, end and user')
    for field in ('start', 'end', 'user'):
        if raw.get(field) is None:
            raise invalid_input(f"{field.capitalize()} can't be blank")
    start, end = parse_time_input(raw['start'], 'start'), parse_time_input(raw['end'], 'end')
    if end <= start:
        raise invalid_input(OVERRIDE_END_BEFORE_START)
    user_id = _user_id(raw['user'])
    if user_id is None or ctx.store[USERS.collection].get(user_id) is None:
        raise invalid_input(f'User {user_id} not found')
    return {'start': start, 'end': end, 'user': user_id}


def _entries(ctx, entries, zone_name):
    return [{'start': format_time(start, zone_name), 'end': format_time(end, zone_name), 'user': USERS.reference_by_id(ctx, user)}
            for start, end, user in entries]


def _sub_schedule(ctx, name, zone_name, rendering):
    entries, percentage = rendering if rendering else ([], None)
    return {'name': name, 'rendered_schedule_entries': _entries(ctx, entries, zone_name), 'rendered_coverage_percentage': percentage}


class Schedules(Resource):
    collection = 'schedules'
    wrapper = 'schedule'
    type_name = 'schedule'

    # --- validation ---------------------------------------------------------

    def _check_fields(self, ctx, data, creating):
        if 'type' in data and data['type'] != 'schedule':
            raise invalid_input('Type must be schedule')
        if creating and 'time_zone' not in data:
            raise invalid_input("Time zone can't be blank")
        if 'time_zone' in data and data['time_zone'] not in TIME_ZONES:
            raise invalid_input('Time zone is not a valid time zone')
        if 'name' in data and (not isinstance(data['name'], str) or not data['name'].strip()):
            raise invalid_input("Name can't be blank")
        if data.get('description') is not None and not isinstance(data['description'], str):
            raise invalid_input('Description must be a string')
        if 'teams' in data:
            _team_ids(ctx, data['teams'])
        layers = data.get('schedule_layers')
        if creating or 'schedule_layers' in data:
            if not isinstance(layers, list) or not layers:
                raise invalid_input('A schedule needs at least one schedule layer')
            return [self._parse_layer(ctx, raw, position) for position, raw in enumerate(layers, 1)]
        return None

    def _parse_layer(self, ctx, raw, position):
        label = f'Schedule layer {position}'
        if not isinstance(raw, dict):
            raise invalid_input(f'{label} must be an object')
        for field in ('start', 'rotation_virtual_start', 'rotation_turn_length_seconds', 'users'):
            if raw.get(field) is None:
                raise invalid_input(f"{label}: {field} can't be blank")
        length = raw['rotation_turn_length_seconds']
        if not is_int(length) or not 0 < length <= MAX_TURN_SECONDS:
            raise invalid_input(f'{label}: rotation_turn_length_seconds must be an integer from 1 to {MAX_TURN_SECONDS}')
        users = raw['users']
        if not isinstance(users, list) or not users:
            raise invalid_input(f"{label}: users can't be empty")
        user_ids = [_user_id(user) for user in users]
        if None in user_ids:
            raise invalid_input(f'{label}: every user must be {{"user": {{"id": ..., "type": "user_reference"}}}}')
        missing = [user_id for user_id in dict.fromkeys(user_ids) if ctx.store[USERS.collection].get(user_id) is None]
        if missing:
            raise invalid_input(*[f'{label}: user {user_id} not found' for user_id in missing])
        name = raw.get('name')
        if name is not None and not isinstance(name, str):
            raise invalid_input(f'{label}: name must be a string')
        return {
            'id': raw.get('id') if isinstance(raw.get('id'), str) else None,
            'name': name if name else f'Layer {position}',
            'start': parse_time_input(raw['start'], f'{label}: start'),
            'end': parse_time_input(raw['end'], f'{label}: end') if raw.get('end') is not None else None,
            'rotation_virtual_start': parse_time_input(raw['rotation_virtual_start'], f'{label}: rotation_virtual_start'),
            'rotation_turn_length_seconds': length,
            'users': user_ids,
            'restrictions': [self._parse_restriction(item, label) for item in raw.get('restrictions') or []],
            'position': position,
        }

    @staticmethod
    def _parse_restriction(raw, label):
        if not isinstance(raw, dict) or raw.get('type') not in RESTRICTION_PERIODS:
            raise invalid_input(f'{label}: restriction type must be daily_restriction or weekly_restriction')
        kind = raw['type']
        if not isinstance(raw.get('start_time_of_day'), str) or not TIME_OF_DAY.match(raw['start_time_of_day']):
            raise invalid_input(f'{label}: start_time_of_day must be HH:MM:SS')
        duration = raw.get('duration_seconds')
        period = RESTRICTION_PERIODS[kind]
        if not is_int(duration) or not 0 < duration <= period:
            raise invalid_input(f'{label}: duration_seconds of a {kind} must be from 1 to {period}')
        restriction = {'type': kind, 'start_time_of_day': raw['start_time_of_day'], 'duration_seconds': duration}
        if kind == 'weekly_restriction':
            day = raw.get('start_day_of_week')
            if not is_int(day) or not 1 <= day <= 7:
                raise invalid_input(f'{label}: start_day_of_week of a weekly_restriction must be from 1 (Monday) to 7')
            restriction['start_day_of_week'] = day
        return restriction

    # --- the layer rules ------------------------------------------------------

    def apply_layers(self, ctx, old_layers, parsed, moment, seeding=False, creating=False):
        """The stored layers (priority order, lowest first) after a create or update at ``moment``."""
        old_by_id = {layer['id']: layer for layer in old_layers}
        sent_ids = set()
        result = []
        for layer in parsed:
            existing = old_by_id.get(layer['id']) if layer['id'] else None
            if layer['id'] and existing is None and not (seeding or creating):
                raise invalid_input(f"Schedule layer {layer['position']}: layer {layer['id']} is not a layer of this schedule")
            if existing is not None:
                sent_ids.add(existing['id'])
            start, end = self._layer_times(layer, existing, moment, seeding)
            if end is not None and start >= end:
                if existing is not None and end <= moment:
                    continue  # ended before it started: gone
                raise invalid_input(f"Schedule layer {layer['position']}: end must be after start")
            stored = dict(layer, start=start, end=end)
            del stored['position']
            if existing is not None:
                stored['id'] = existing['id']
            elif seeding and layer['id']:
                ctx.store.claim_id(layer['id'])
            else:
                stored['id'] = ctx.store.new_id()
            result.append(stored)
        kept = []
        for layer in old_layers:
            if layer['id'] in sent_ids or layer['start'] >= moment:
                continue  # sent again, or omitted before it ever started: deleted
            if layer['end'] is None or layer['end'] > moment:
                layer = dict(layer, end=moment)
            kept.append(layer)
        return kept + result

    @staticmethod
    def _layer_times(layer, existing, moment, seeding):
        start, end = layer['start'], layer['end']
        if seeding:
            return start, end
        if end is not None and end <= moment:
            # The client ends the layer: keep when it started.
            return (existing['start'] if existing is not None else start), end
        return max(start, moment), end

    # --- life cycle -----------------------------------------------------------

    def create(self, ctx, data, object_id=None, parent=None, seeding=False):
        parsed = self._check_fields(ctx, data, creating=True)
        overrides = [dict(parse_override(ctx, item), id=item.get('id') if isinstance(item, dict) else None)
                     for item in (data.get('overrides') or [] if seeding else [])]
        stored = {
            'id': self.new_id(ctx, object_id),
            'name': data.get('name') or DEFAULT_NAME,
            'description': data.get('description'),
            'time_zone': data['time_zone'],
            'team_ids': _team_ids(ctx, data['teams']) if 'teams' in data else [],
            'layers': self.apply_layers(ctx, [], parsed, now(), seeding=seeding, creating=True),
            'overrides': [],
        }
        for override in overrides:
            if override['id']:
                ctx.store.claim_id(override['id'])
            else:
                override['id'] = ctx.store.new_id()
            stored['overrides'].append(override)
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        parsed = self._check_fields(ctx, data, creating=False)
        for field in ('name', 'description', 'time_zone'):
            if field in data:
                stored[field] = data[field]
        if 'teams' in data:
            stored['team_ids'] = _team_ids(ctx, data['teams'])
        if parsed is not None:
            stored['layers'] = self.apply_layers(ctx, stored['layers'], parsed, now())
        return stored

    def seed(self, ctx, item):
        """Seeded schedules keep their layer starts as given (no rewrite); layers and overrides may carry ids."""
        return self.create(ctx, item, object_id=item.pop('id', None), seeding=True)

    def bulk_item(self, index):
        start = now().replace(hour=0, minute=0, second=0).isoformat()
        return {'name': f'Schedule {index:05d}', 'time_zone': 'Etc/UTC', 'schedule_layers': [{
            'start': start, 'rotation_virtual_start': start, 'rotation_turn_length_seconds': 86400,
            'users': [{'user': {'id': 'PSOWNER', 'type': 'user_reference'}}]}]}

    # --- lists and rendering ----------------------------------------------

    def filter_items(self, ctx, items, query):
        team_ids = wanted_ids(query, 'team_ids')
        if not team_ids:
            return items
        return [item for item in items if team_ids & set(item['team_ids'])]

    @staticmethod
    def active_user_ids(stored, moment=None):
        """Users of the layers that have not ended, in order of appearance."""
        moment = moment or now()
        ids = {}
        for layer in stored['layers']:
            if layer['end'] is None or layer['end'] > moment:
                ids.update(dict.fromkeys(layer['users']))
        return list(ids)

    def render_override(self, ctx, stored, override):
        zone_name = stored['time_zone']
        return {
            'id': override['id'],
            'start': format_time(override['start'], zone_name),
            'end': format_time(override['end'], zone_name),
            'user': USERS.reference_by_id(ctx, override['user']),
        }

    def render(self, ctx, stored, includes=()):
        request = ctx.request
        listing = request is not None and request.method == 'GET' and request.path.rstrip('/') == '/schedules'
        zone_name = query_time_zone(ctx, stored['time_zone'])
        policies = ctx.resource('escalation_policies')
        teams = [ctx.store[TEAMS.collection].get(team_id) for team_id in stored['team_ids']]
        rendered = {
            **self.header(ctx, stored),
            'name': stored['name'],
            'time_zone': stored['time_zone'],
            'description': stored['description'],
            'escalation_policies': [policies.reference(ctx, policy) for policy in policies.using_schedule(ctx, stored['id'])],
            'users': [USERS.reference_by_id(ctx, user_id) for user_id in self.active_user_ids(stored)],
            'teams': [TEAMS.reference(ctx, team) for team in teams if team is not None],
        }
        if listing and 'schedule_layers' not in includes:
            return rendered
        span = window(ctx.query_value('since'), ctx.query_value('until')) if request is not None else None
        rendering = None
        if span is not None:
            overflow = ctx.query_flag('overflow')
            rendering = render_schedule(stored['layers'], stored['overrides'], stored['time_zone'], span[0], span[1], overflow)
        layers = [self._render_layer(ctx, layer, zone_name, rendering['layers'][position] if rendering else None)
                  for position, layer in enumerate(stored['layers'])]
        rendered['schedule_layers'] = list(reversed(layers))
        if listing:
            return rendered
        rendered['overrides_subschedule'] = _sub_schedule(ctx, 'Overrides', zone_name, rendering['overrides'] if rendering else None)
        rendered['final_schedule'] = _sub_schedule(ctx, 'Final Schedule', zone_name, rendering['final'] if rendering else None)
        return rendered

    @staticmethod
    def _render_layer(ctx, layer, zone_name, rendering):
        entries, percentage = rendering if rendering else ([], None)
        return {
            'id': layer['id'],
            'name': layer['name'],
            'start': format_time(layer['start'], zone_name),
            'end': format_time(layer['end'], zone_name),
            'rotation_virtual_start': format_time(layer['rotation_virtual_start'], zone_name),
            'rotation_turn_length_seconds': layer['rotation_turn_length_seconds'],
            'users': [{'user': USERS.reference_by_id(ctx, user_id)} for user_id in layer['users']],
            'restrictions': [dict(restriction) for restriction in layer['restrictions']],
            'rendered_schedule_entries': _entries(ctx, entries, zone_name),
            'rendered_coverage_percentage': percentage,
        }


SCHEDULES = Schedules()


# --- routes beyond the generic ones -----------------------------------------------------

def _schedule(ctx, request):
    return SCHEDULES.lookup(ctx, request.params[0])


def list_schedule_users(ctx, request):
    """GET /schedules/{id}/users: the users on the final schedule in since..until (default: now .. +2 weeks)."""
    stored = _schedule(ctx, request)
    since, until = window(ctx.query_value('since'), ctx.query_value('until'), default_now=True)
    final = render_schedule(stored['layers'], stored['overrides'], stored['time_zone'], since, until)['final'][0]
    users = ctx.store[USERS.collection]
    ids = [user_id for user_id in dict.fromkeys(entry[2] for entry in final) if users.get(user_id) is not None]
    return 200, {'users': [USERS.render(ctx, users.get(user_id)) for user_id in ids]}


def list_overrides(ctx, request):
    """GET /schedules/{id}/overrides: since and until are required; overrides overlapping them, by start."""
    stored = _schedule(ctx, request)
    since_text, until_text = ctx.query_value('since'), ctx.query_value('until')
    missing = [name for name, value in (('since', since_text), ('until', until_text)) if not value]
    if missing:
        raise invalid_input(*[f"{name.capitalize()} can't be blank" for name in missing])
    since, until = window(since_text, until_text)
    overflow = ctx.query_flag('overflow')
    chosen = sorted((override for override in stored['overrides'] if override['start'] < until and override['end'] > since),
                    key=lambda override: (override['start'], override['end']))
    if 'editable' in request.query:
        moment = now()
        return 200, {'overrides': [{'id': override['id']} for override in chosen if override['start'] > moment]}
    if not overflow:
        chosen = [dict(override, start=max(override['start'], since), end=min(override['end'], until)) for override in chosen]
    return 200, {'overrides': [SCHEDULES.render_override(ctx, stored, override) for override in chosen]}


def _add_override(ctx, stored, raw):
    override = parse_override(ctx, raw)
    override['id'] = ctx.store.new_id()
    stored['overrides'].append(override)
    return SCHEDULES.render_override(ctx, stored, override)


def create_overrides(ctx, request):
    """POST /schedules/{id}/overrides: {"overrides": [...]} answers 201 with [{"status", "override"[, "errors"]}];
    the deprecated single form {"override": {...}} answers 201 {"override": {...}} (or a plain 400)."""
    stored = _schedule(ctx, request)
    body = request.body if isinstance(request.body, dict) else {}
    if isinstance(body.get('override'), dict) and 'overrides' not in body:
        return 201, {'override': _add_override(ctx, stored, body['override'])}
    items = body.get('overrides')
    if not isinstance(items, list) or not items:
        raise invalid_input('The request body must be {"overrides": [{"start", "end", "user"}, ...]}')
    results = []
    for raw in items:
        try:
            results.append({'status': 201, 'override': _add_override(ctx, stored, raw)})
        except ApiError as error:
            results.append({'status': 400, 'errors': error.errors, 'override': dict(raw) if isinstance(raw, dict) else {}})
    return 201, results


def delete_override(ctx, request):
    """DELETE /schedules/{id}/overrides/{override_id}: future -> 204 deleted, ongoing -> 200 truncated to now, past -> 400."""
    stored = _schedule(ctx, request)
    override = next((item for item in stored['overrides'] if item['id'] == request.params[1]), None)
    if override is None:
        raise ApiError(404, NOT_FOUND)
    moment = now()
    if override['end'] <= moment:
        raise invalid_input('Cannot delete an override that has already ended')
    if override['start'] > moment:
        stored['overrides'].remove(override)
        return 204, None
    override['end'] = moment
    return 200, None


def users_on_schedules(ctx, user):
    """Delete guard for users: schedules whose current or future layers or overrides name the user."""
    moment = now()
    texts = []
    for schedule in ctx.store[SCHEDULES.collection].values():
        in_layer = user['id'] in SCHEDULES.active_user_ids(schedule, moment)
        in_override = any(override['user'] == user['id'] and override['end'] > moment for override in schedule['overrides'])
        if in_layer or in_override:
            texts.append(f"User is on schedule {schedule['name']} ({schedule['id']})")
    return texts


ROUTES = [
    Route('GET', '/schedules/{id}/users', list_schedule_users),
    Route('GET', '/schedules/{id}/overrides', list_overrides),
    Route('POST', '/schedules/{id}/overrides', create_overrides),
    Route('DELETE', '/schedules/{id}/overrides/{override_id}', delete_override),
]


def schedules_of_team(ctx, team):
    """Delete guard for teams: the schedules the team owns.

    Source: the spec's DELETE /teams/{id} description, a team delete "succeeds only if the team has no
    associated Escalation Policies, Services, Schedules and Subteams". The text follows the simulator's
    wording for policies and services (PagerDuty's own wording for schedules is unverified).
    """
    return [f"Team is associated with schedule {schedule['id']} ({schedule['name']})"
            for schedule in ctx.store[SCHEDULES.collection].values() if team['id'] in schedule['team_ids']]
