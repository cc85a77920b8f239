"""Schedules, their layers and overrides, and on-calls for the simulator.

The layer rules PagerDuty applies on every create and update (``apply_layers``):

* a layer's ``start`` in the past becomes the time of the request (future starts are kept);
* layers are answered in reverse order (the last layer sent, the one with the highest priority, first);
* layers are never deleted once they started: an existing layer left out of a PUT is ended
  (``end`` = now) and kept; one that had not started yet is dropped.

Rendering lives in ``pdsim_render`` (pure functions).  Escalation policies are
looked up in the store's ``escalation_policies`` collection when that kind is
registered (no import of its module).
"""

import datetime
import re

from pdsim_render import UTC, format_time, parse_time, render_schedule
from pdsim_resources import HTML_BASE, NOT_FOUND, TEAMS, ApiError, Resource, Route, invalid_input, paginate, wanted_includes
from pdsim_users import TIME_ZONES, USERS

DEFAULT_WINDOW = datetime.timedelta(weeks=2)
MAX_TURN_SECONDS = 365 * 86400
RESTRICTION_PERIODS = {'daily_restriction': 86400, 'weekly_restriction': 7 * 86400}
TIME_OF_DAY = re.compile(r'^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$')
ESCALATION_POLICIES = 'escalation_policies'
DEFAULT_NAME = 'New Schedule'
# Quoted from PagerDuty answers reported by Terraform provider users (code 2001).
SCHEDULE_IN_USE = "Schedule can't be deleted if it's being used by escalation policies"
# From the example response of POST /schedules/{id}/overrides in the OpenAPI document.
OVERRIDE_END_BEFORE_START = 'Override must end after its start'
QUERY_TIME_ZONES = TIME_ZONES | {'UTC'}


def now_utc():
    return datetime.datetime.now(UTC).replace(microsecond=0)


def _query_value(ctx, name):
    request = getattr(ctx, 'request', None)
    values = request.query.get(name) if request is not None else None
    return values[0] if values else None


def _parse(value, label):
    try:
        return parse_time(value)
    except (TypeError, ValueError):
        raise invalid_input('%s must be an ISO 8601 date-time with a UTC offset' % label) from None


def _integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _user_id(reference):
    """A layer or override user: {"user": {"id": ...}}, {"id": ...} or a bare id (seeds)."""
    if isinstance(reference, dict) and isinstance(reference.get('user'), dict):
        reference = reference['user']
    if isinstance(reference, dict):
        reference = reference.get('id')
    return reference if isinstance(reference, str) else None


def window(since_text, until_text, default_now=False):
    """(since, until) from the query: one of them defaults to two weeks from the other; neither: None
    (or now .. now + 2 weeks with ``default_now``)."""
    since = _parse(since_text, 'since') if since_text else None
    until = _parse(until_text, 'until') if until_text else None
    if since is None and until is None:
        if not default_now:
            return None
        since = now_utc()
    if since is None:
        since = until - DEFAULT_WINDOW
    if until is None:
        until = since + DEFAULT_WINDOW
    if until < since:
        raise invalid_input('until cannot be before since')
    return since, until


def escalation_policies_using(ctx, schedule_id):
    """Escalation policies in the store whose rules target the schedule (none when that kind is not registered)."""
    collection = ctx.store.collections.get(ESCALATION_POLICIES)
    if collection is None:
        return []
    found = []
    for policy in collection.values():
        for rule in policy.get('escalation_rules') or policy.get('rules') or []:
            targets = rule.get('targets') or [] if isinstance(rule, dict) else []
            if any(_targets_schedule(target, schedule_id) for target in targets):
                found.append(policy)
                break
    return found


def _targets_schedule(target, schedule_id):
    if not isinstance(target, dict):
        return False
    kind = target.get('type', target.get('target_type'))
    identifier = target.get('id', target.get('target_id'))
    return identifier == schedule_id and kind in ('schedule_reference', 'schedule')


def escalation_policy_reference(ctx, policy):
    return {
        'id': policy['id'],
        'type': 'escalation_policy_reference',
        'summary': policy.get('name'),
        'self': '%s/escalation_policies/%s' % (ctx.base_url, policy['id']),
        'html_url': '%s/escalation_policies/%s' % (HTML_BASE, policy['id']),
    }


def user_reference(ctx, user_id):
    user = ctx.store[USERS.collection].get(user_id)
    if user is not None:
        return USERS.reference(ctx, user)
    return {'id': user_id, 'type': 'user_reference', 'summary': None, 'self': None, 'html_url': None}


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
            self._team_ids(ctx, data['teams'])
        layers = data.get('schedule_layers')
        if creating or 'schedule_layers' in data:
            if not isinstance(layers, list) or not layers:
                raise invalid_input('A schedule needs at least one schedule layer')
            return [self._parse_layer(ctx, raw, position) for position, raw in enumerate(layers, 1)]
        return None

    @staticmethod
    def _team_ids(ctx, teams):
        if not isinstance(teams, list):
            raise invalid_input('Teams must be a list of team references')
        ids = []
        for team in teams:
            team_id = team.get('id') if isinstance(team, dict) else team
            if not isinstance(team_id, str) or ctx.store[TEAMS.collection].get(team_id) is None:
                raise invalid_input('Team %s not found' % (team_id,))
            if team_id not in ids:
                ids.append(team_id)
        return ids

    def _parse_layer(self, ctx, raw, position):
        label = 'Schedule layer %d' % position
        if not isinstance(raw, dict):
            raise invalid_input('%s must be an object' % label)
        for field in ('start', 'rotation_virtual_start', 'rotation_turn_length_seconds', 'users'):
            if raw.get(field) is None:
                raise invalid_input("%s: %s can't be blank" % (label, field))
        length = raw['rotation_turn_length_seconds']
        if not _integer(length) or not 0 < length <= MAX_TURN_SECONDS:
            raise invalid_input('%s: rotation_turn_length_seconds must be an integer from 1 to %d' % (label, MAX_TURN_SECONDS))
        users = raw['users']
        if not isinstance(users, list) or not users:
            raise invalid_input("%s: users can't be empty" % label)
        user_ids = [_user_id(user) for user in users]
        if None in user_ids:
            raise invalid_input('%s: every user must be {"user": {"id": ..., "type": "user_reference"}}' % label)
        missing = [user_id for user_id in dict.fromkeys(user_ids) if ctx.store[USERS.collection].get(user_id) is None]
        if missing:
            raise invalid_input(*['%s: user %s not found' % (label, user_id) for user_id in missing])
        name = raw.get('name')
        if name is not None and not isinstance(name, str):
            raise invalid_input('%s: name must be a string' % label)
        return {
            'id': raw.get('id') if isinstance(raw.get('id'), str) else None,
            'name': name if name else 'Layer %d' % position,
            'start': _parse(raw['start'], '%s: start' % label),
            'end': _parse(raw['end'], '%s: end' % label) if raw.get('end') is not None else None,
            'rotation_virtual_start': _parse(raw['rotation_virtual_start'], '%s: rotation_virtual_start' % label),
            'rotation_turn_length_seconds': length,
            'users': user_ids,
            'restrictions': [self._parse_restriction(item, label) for item in raw.get('restrictions') or []],
            'position': position,
        }

    @staticmethod
    def _parse_restriction(raw, label):
        if not isinstance(raw, dict) or raw.get('type') not in RESTRICTION_PERIODS:
            raise invalid_input('%s: restriction type must be daily_restriction or weekly_restriction' % label)
        kind = raw['type']
        if not isinstance(raw.get('start_time_of_day'), str) or not TIME_OF_DAY.match(raw['start_time_of_day']):
            raise invalid_input('%s: start_time_of_day must be HH:MM:SS' % label)
        duration = raw.get('duration_seconds')
        period = RESTRICTION_PERIODS[kind]
        if not _integer(duration) or not 0 < duration <= period:
            raise invalid_input('%s: duration_seconds of a %s must be from 1 to %d' % (label, kind, period))
        restriction = {'type': kind, 'start_time_of_day': raw['start_time_of_day'], 'duration_seconds': duration}
        if kind == 'weekly_restriction':
            day = raw.get('start_day_of_week')
            if not _integer(day) or not 1 <= day <= 7:
                raise invalid_input('%s: start_day_of_week of a weekly_restriction must be from 1 (Monday) to 7' % label)
            restriction['start_day_of_week'] = day
        return restriction

    # --- the layer rules ------------------------------------------------------

    def apply_layers(self, ctx, old_layers, parsed, now, seeding=False, creating=False):
        """The stored layers (priority order, lowest first) after a create or update at ``now``."""
        old_by_id = {layer['id']: layer for layer in old_layers}
        sent_ids = set()
        result = []
        for layer in parsed:
            existing = old_by_id.get(layer['id']) if layer['id'] else None
            if layer['id'] and existing is None and not (seeding or creating):
                raise invalid_input('Schedule layer %d: layer %s is not a layer of this schedule' % (layer['position'], layer['id']))
            if existing is not None:
                sent_ids.add(existing['id'])
            start, end = self._layer_times(layer, existing, now, seeding)
            if end is not None and start >= end:
                if existing is not None and end <= now:
                    continue  # ended before it started: gone
                raise invalid_input('Schedule layer %d: end must be after start' % layer['position'])
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
            if layer['id'] in sent_ids or layer['start'] >= now:
                continue  # sent again, or omitted before it ever started: deleted
            if layer['end'] is None or layer['end'] > now:
                layer = dict(layer, end=now)
            kept.append(layer)
        return kept + result

    @staticmethod
    def _layer_times(layer, existing, now, seeding):
        start, end = layer['start'], layer['end']
        if seeding:
            return start, end
        if end is not None and end <= now:
            # The client ends the layer: keep when it started.
            return (existing['start'] if existing is not None else start), end
        return max(start, now), end

    # --- life cycle -----------------------------------------------------------

    def create(self, ctx, data, object_id=None, parent=None, seeding=False):
        parsed = self._check_fields(ctx, data, creating=True)
        overrides = []
        for item in data.get('overrides') or [] if seeding else []:
            overrides.append(dict(self._parse_override(ctx, item), id=item.get('id') if isinstance(item, dict) else None))
        schedule_id = self.new_id(ctx, object_id)
        now = now_utc()
        stored = {
            'id': schedule_id,
            'name': data.get('name') or DEFAULT_NAME,
            'description': data.get('description'),
            'time_zone': data['time_zone'],
            'team_ids': self._team_ids(ctx, data['teams']) if 'teams' in data else [],
            'layers': self.apply_layers(ctx, [], parsed, now, seeding=seeding, creating=True),
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
            stored['team_ids'] = self._team_ids(ctx, data['teams'])
        if parsed is not None:
            stored['layers'] = self.apply_layers(ctx, stored['layers'], parsed, now_utc())
        return stored

    def seed(self, ctx, item):
        """Seeded schedules keep their layer starts as given (no rewrite); layers and overrides may carry ids."""
        return self.create(ctx, item, object_id=item.pop('id', None), seeding=True)

    def check_delete(self, ctx, stored):
        policies = escalation_policies_using(ctx, stored['id'])
        if policies:
            raise invalid_input(SCHEDULE_IN_USE, *['Escalation policy %s (%s) uses this schedule' % (policy.get('name'), policy['id'])
                                                   for policy in policies])
        super().check_delete(ctx, stored)

    def bulk_item(self, index):
        start = now_utc().replace(hour=0, minute=0, second=0).isoformat()
        return {'name': 'Schedule %05d' % index, 'time_zone': 'Etc/UTC', 'schedule_layers': [{
            'start': start, 'rotation_virtual_start': start, 'rotation_turn_length_seconds': 86400,
            'users': [{'user': {'id': 'PSOWNER', 'type': 'user_reference'}}]}]}

    # --- overrides ------------------------------------------------------------

    @staticmethod
    def _parse_override(ctx, raw):
        """Validate one override; answers the stored form or raises ApiError."""
        if not isinstance(raw, dict):
            raise invalid_input('An override must be an object with start, end and user')
        for field in ('start', 'end', 'user'):
            if raw.get(field) is None:
                raise invalid_input("%s can't be blank" % field.capitalize())
        start, end = _parse(raw['start'], 'start'), _parse(raw['end'], 'end')
        if end <= start:
            raise invalid_input(OVERRIDE_END_BEFORE_START)
        user_id = _user_id(raw['user'])
        if user_id is None or ctx.store[USERS.collection].get(user_id) is None:
            raise invalid_input('User %s not found' % (user_id,))
        return {'start': start, 'end': end, 'user': user_id}

    def render_override(self, ctx, stored, override, zone_name=None):
        zone_name = zone_name or stored['time_zone']
        return {
            'id': override['id'],
            'start': format_time(override['start'], zone_name),
            'end': format_time(override['end'], zone_name),
            'user': user_reference(ctx, override['user']),
        }

    # --- lists and rendering ----------------------------------------------

    def filter_items(self, ctx, items, query):
        team_ids = set(query.get('team_ids[]', []) + query.get('team_ids', []))
        if not team_ids:
            return items
        return [item for item in items if team_ids & set(item['team_ids'])]

    @staticmethod
    def active_user_ids(stored, now=None):
        """Users of the layers that have not ended, in order of appearance."""
        now = now or now_utc()
        ids = {}
        for layer in stored['layers']:
            if layer['end'] is None or layer['end'] > now:
                ids.update(dict.fromkeys(layer['users']))
        return list(ids)

    def reference(self, ctx, stored):
        reference = super().reference(ctx, stored)
        reference['html_url'] = self.html_url(stored['id'])
        return reference

    def render(self, ctx, stored, includes=()):
        request = getattr(ctx, 'request', None)
        listing = request is not None and request.method == 'GET' and request.path.rstrip('/') == '/schedules'
        zone_name = _query_value(ctx, 'time_zone') or stored['time_zone']
        if zone_name not in QUERY_TIME_ZONES:
            raise invalid_input('Time zone is not a valid time zone')
        rendered = {
            'id': stored['id'],
            'type': self.type_name,
            'summary': stored['name'],
            'self': self.self_url(ctx, stored['id']),
            'html_url': self.html_url(stored['id']),
            'name': stored['name'],
            'time_zone': stored['time_zone'],
            'description': stored['description'],
            'escalation_policies': [escalation_policy_reference(ctx, policy) for policy in escalation_policies_using(ctx, stored['id'])],
            'users': [user_reference(ctx, user_id) for user_id in self.active_user_ids(stored)],
            'teams': [TEAMS.reference(ctx, ctx.store[TEAMS.collection].get(team_id)) for team_id in stored['team_ids']
                      if ctx.store[TEAMS.collection].get(team_id) is not None],
        }
        if listing and 'schedule_layers' not in includes:
            return rendered
        span = window(_query_value(ctx, 'since'), _query_value(ctx, 'until')) if request is not None else None
        overflow = _query_value(ctx, 'overflow') == 'true'
        rendering = None
        if span is not None:
            rendering = render_schedule(stored['layers'], stored['overrides'], stored['time_zone'], span[0], span[1], overflow)
        layers = []
        for position, layer in enumerate(stored['layers']):
            layers.append(self._render_layer(ctx, layer, zone_name, rendering['layers'][position] if rendering else None))
        rendered['schedule_layers'] = list(reversed(layers))
        if listing:
            return rendered
        rendered['overrides_subschedule'] = self._sub_schedule(ctx, 'Overrides', zone_name, rendering['overrides'] if rendering else None)
        rendered['final_schedule'] = self._sub_schedule(ctx, 'Final Schedule', zone_name, rendering['final'] if rendering else None)
        return rendered

    @staticmethod
    def _entries(ctx, entries, zone_name):
        return [{'start': format_time(start, zone_name), 'end': format_time(end, zone_name), 'user': user_reference(ctx, user)}
                for start, end, user in entries]

    def _render_layer(self, ctx, layer, zone_name, rendering):
        entries, percentage = rendering if rendering else ([], None)
        return {
            'id': layer['id'],
            'name': layer['name'],
            'start': format_time(layer['start'], zone_name),
            'end': format_time(layer['end'], zone_name),
            'rotation_virtual_start': format_time(layer['rotation_virtual_start'], zone_name),
            'rotation_turn_length_seconds': layer['rotation_turn_length_seconds'],
            'users': [{'user': user_reference(ctx, user_id)} for user_id in layer['users']],
            'restrictions': [dict(restriction) for restriction in layer['restrictions']],
            'rendered_schedule_entries': self._entries(ctx, entries, zone_name),
            'rendered_coverage_percentage': percentage,
        }

    def _sub_schedule(self, ctx, name, zone_name, rendering):
        entries, percentage = rendering if rendering else ([], None)
        return {'name': name, 'rendered_schedule_entries': self._entries(ctx, entries, zone_name),
                'rendered_coverage_percentage': percentage}


SCHEDULES = Schedules()


# --- routes beyond the generic ones -----------------------------------------------------

def _schedule(ctx, request):
    return SCHEDULES.lookup(ctx, request.params[0])


def list_schedule_users(ctx, request):
    """GET /schedules/{id}/users: the users on the final schedule in since..until (default: now .. +2 weeks)."""
    stored = _schedule(ctx, request)
    since, until = window(_query_value(ctx, 'since'), _query_value(ctx, 'until'), default_now=True)
    final = render_schedule(stored['layers'], stored['overrides'], stored['time_zone'], since, until)['final'][0]
    users = ctx.store[USERS.collection]
    ids = [user_id for user_id in dict.fromkeys(entry[2] for entry in final) if users.get(user_id) is not None]
    return 200, {'users': [USERS.render(ctx, users.get(user_id)) for user_id in ids]}


def list_overrides(ctx, request):
    """GET /schedules/{id}/overrides: since and until are required; overrides overlapping them, by start."""
    stored = _schedule(ctx, request)
    since_text, until_text = _query_value(ctx, 'since'), _query_value(ctx, 'until')
    missing = [name for name, value in (('since', since_text), ('until', until_text)) if not value]
    if missing:
        raise invalid_input(*["%s can't be blank" % name.capitalize() for name in missing])
    since, until = window(since_text, until_text)
    overflow = _query_value(ctx, 'overflow') == 'true'
    chosen = sorted((override for override in stored['overrides'] if override['start'] < until and override['end'] > since),
                    key=lambda override: (override['start'], override['end']))
    if 'editable' in request.query:
        now = now_utc()
        return 200, {'overrides': [{'id': override['id']} for override in chosen if override['start'] > now]}
    if not overflow:
        chosen = [dict(override, start=max(override['start'], since), end=min(override['end'], until)) for override in chosen]
    return 200, {'overrides': [SCHEDULES.render_override(ctx, stored, override) for override in chosen]}


def create_overrides(ctx, request):
    """POST /schedules/{id}/overrides: {"overrides": [...]} answers 201 with [{"status", "override"[, "errors"]}];
    the deprecated single form {"override": {...}} answers 201 {"override": {...}} (or a plain 400)."""
    stored = _schedule(ctx, request)
    body = request.body if isinstance(request.body, dict) else {}
    if isinstance(body.get('override'), dict) and 'overrides' not in body:
        override = SCHEDULES._parse_override(ctx, body['override'])  # pylint: disable=protected-access
        override['id'] = ctx.store.new_id()
        stored['overrides'].append(override)
        return 201, {'override': SCHEDULES.render_override(ctx, stored, override)}
    items = body.get('overrides')
    if not isinstance(items, list) or not items:
        raise invalid_input('The request body must be {"overrides": [{"start", "end", "user"}, ...]}')
    results = []
    for raw in items:
        try:
            override = SCHEDULES._parse_override(ctx, raw)  # pylint: disable=protected-access
        except ApiError as error:
            echo = dict(raw) if isinstance(raw, dict) else {}
            results.append({'status': 400, 'errors': error.errors, 'override': echo})
            continue
        override['id'] = ctx.store.new_id()
        stored['overrides'].append(override)
        results.append({'status': 201, 'override': SCHEDULES.render_override(ctx, stored, override)})
    return 201, results


def delete_override(ctx, request):
    """DELETE /schedules/{id}/overrides/{override_id}: future -> 204 deleted, ongoing -> 200 truncated to now, past -> 400."""
    stored = _schedule(ctx, request)
    override = next((item for item in stored['overrides'] if item['id'] == request.params[1]), None)
    if override is None:
        raise ApiError(404, NOT_FOUND)
    now = now_utc()
    if override['end'] <= now:
        raise invalid_input('Cannot delete an override that has already ended')
    if override['start'] > now:
        stored['overrides'].remove(override)
        return 204, None
    override['end'] = now
    return 200, None


# --- on-calls ------------------------------------------------------------------------------

def _ids(query, name):
    return set(query.get(name + '[]', []) + query.get(name, []))


def list_oncalls(ctx, request):
    """GET /oncalls: one entry per (escalation policy, level, user, shift) in since..until (default: now).

    Schedule targets give the final schedule's entries; user targets a permanent on-call
    (start and end null).  Escalation policies come from the store when that kind is registered.
    """
    query = request.query
    since_text, until_text = _query_value(ctx, 'since'), _query_value(ctx, 'until')
    since = _parse(since_text, 'since') if since_text else now_utc()
    until = _parse(until_text, 'until') if until_text else since
    if until < since:
        raise invalid_input('until cannot be before since')
    zone_name = _query_value(ctx, 'time_zone') or 'Etc/UTC'
    if zone_name not in QUERY_TIME_ZONES:
        raise invalid_input('Time zone is not a valid time zone')
    user_ids, schedule_ids, policy_ids = _ids(query, 'user_ids'), _ids(query, 'schedule_ids'), _ids(query, 'escalation_policy_ids')
    collection = ctx.store.collections.get(ESCALATION_POLICIES)
    oncalls = []
    for policy in collection.values() if collection is not None else []:
        if policy_ids and policy['id'] not in policy_ids:
            continue
        for level, rule in enumerate(policy.get('escalation_rules') or policy.get('rules') or [], 1):
            for target in (rule.get('targets') or []) if isinstance(rule, dict) else []:
                oncalls += _target_oncalls(ctx, policy, level, target, (since, until), schedule_ids)
    if user_ids:
        oncalls = [oncall for oncall in oncalls if oncall[2] in user_ids]
    if _query_value(ctx, 'earliest') == 'true':
        earliest = {}
        for oncall in sorted(oncalls, key=lambda item: (item[3] is not None, item[3] or since)):
            earliest.setdefault((oncall[0]['id'], oncall[1], oncall[2]), oncall)
        oncalls = list(earliest.values())
    page, pagination = paginate(oncalls, query)
    result = {'oncalls': [_render_oncall(ctx, oncall, zone_name, wanted_includes(query)) for oncall in page]}
    result.update(pagination)
    return 200, result


def _target_oncalls(ctx, policy, level, target, span, schedule_ids):
    """(policy, level, user id, start, end, schedule) tuples for one escalation rule target."""
    if not isinstance(target, dict):
        return []
    kind = target.get('type', target.get('target_type'))
    identifier = target.get('id', target.get('target_id'))
    if kind in ('user_reference', 'user'):
        if schedule_ids and 'null' not in schedule_ids:
            return []
        return [(policy, level, identifier, None, None, None)]
    if kind not in ('schedule_reference', 'schedule') or (schedule_ids and identifier not in schedule_ids):
        return []
    stored = ctx.store[SCHEDULES.collection].get(identifier)
    if stored is None:
        return []
    since, until = span
    final = render_schedule(stored['layers'], stored['overrides'], stored['time_zone'], since,
                            until if until > since else since + datetime.timedelta(seconds=1), overflow=True)['final'][0]
    return [(policy, level, user, start, end, stored) for start, end, user in final]


def _render_oncall(ctx, oncall, zone_name, includes):
    policy, level, user_id, start, end, schedule = oncall
    user = ctx.store[USERS.collection].get(user_id)
    return {
        'escalation_policy': escalation_policy_reference(ctx, policy),
        'escalation_level': level,
        'schedule': SCHEDULES.reference(ctx, schedule) if schedule is not None else None,
        'user': USERS.render(ctx, user) if user is not None and 'users' in includes else user_reference(ctx, user_id),
        'start': format_time(start, zone_name),
        'end': format_time(end, zone_name),
    }


def users_on_schedules(ctx, user):
    """Delete guard for users: schedules whose current or future layers or overrides name the user."""
    now = now_utc()
    texts = []
    for schedule in ctx.store[SCHEDULES.collection].values():
        in_layer = user['id'] in SCHEDULES.active_user_ids(schedule, now)
        in_override = any(override['user'] == user['id'] and override['end'] > now for override in schedule['overrides'])
        if in_layer or in_override:
            texts.append('User is on schedule %s (%s)' % (schedule['name'], schedule['id']))
    return texts


USERS.delete_guards.append(users_on_schedules)

SCHEDULE_RESOURCES = [SCHEDULES]
SCHEDULE_ROUTES = [
    Route('GET', '/schedules/{id}/users', list_schedule_users),
    Route('GET', '/schedules/{id}/overrides', list_overrides),
    Route('POST', '/schedules/{id}/overrides', create_overrides),
    Route('DELETE', '/schedules/{id}/overrides/{override_id}', delete_override),
    Route('GET', '/oncalls', list_oncalls),
]
