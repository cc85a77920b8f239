"""Escalation policies, services, their integrations and maintenance windows for the simulator.

References between them are kept by id: a service names its escalation policy
(``escalation_policy_id``), an escalation rule names its targets, a maintenance
window names its services.  The read-only fields (an escalation policy's
``services``, a service's ``teams``, a window's ``teams``) are derived when an
object is rendered.  Schedules live in another module; targets of type
``schedule_reference`` are looked up in the store's ``schedules`` collection
when that collection exists.
"""

import datetime
import re
import secrets
import sys

from pdsim_resources import (
    HTML_BASE,
    TEAMS,
    ApiError,
    Resource,
    invalid_input,
)
from pdsim_users import EMAIL_PATTERN, TIME_ZONES, USERS

HANDOFF_NOTIFICATIONS = ('if_has_services', 'always')
ASSIGNMENT_STRATEGIES = ('round_robin', 'assign_to_everyone')
DEFAULT_ASSIGNMENT_STRATEGY = 'assign_to_everyone'
# The spec allows 10 targets per rule; PagerDuty refuses more than 5 with this text.
MAX_TARGETS_PER_RULE = 5
TOO_MANY_TARGETS = 'Escalation rules base May have at most 5 escalation targets'
USER_TARGET_TYPES = ('user_reference', 'user')
SCHEDULE_TARGET_TYPES = ('schedule_reference', 'schedule', 'schedule_v3_reference')

SERVICE_STATUSES = ('active', 'warning', 'critical', 'maintenance', 'disabled')
SETTABLE_STATUSES = ('active', 'disabled')
URGENCIES = ('low', 'high', 'severity_based')
ALERT_CREATION = ('create_incidents', 'create_alerts_and_incidents')
ALERT_GROUPING_TYPES = ('time', 'intelligent', 'content_based', None)
AUTO_PAUSE_TIMEOUTS = (0, 120, 180, 300, 600, 900)
DEFAULT_AUTO_RESOLVE_TIMEOUT = 14400
DEFAULT_ACKNOWLEDGEMENT_TIMEOUT = 1800
TIME_OF_DAY = re.compile(r'^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$')
BULK_POLICY_NAME = 'Bulk Escalation Policy'

INTEGRATION_TYPES = ('aws_cloudwatch_inbound_integration', 'cloudkick_inbound_integration',
                     'event_transformer_api_inbound_integration', 'generic_email_inbound_integration',
                     'generic_events_api_inbound_integration', 'keynote_inbound_integration', 'nagios_inbound_integration',
                     'pingdom_inbound_integration', 'sql_monitor_inbound_integration', 'events_api_v2_inbound_integration')
EMAIL_INTEGRATION = 'generic_email_inbound_integration'
EMAIL_DOMAIN = 'simulator.pagerduty.invalid'
EMAIL_DEFAULTS = (('email_incident_creation', 'on_new_email'), ('email_filter_mode', 'all-email'),
                  ('email_parsing_fallback', 'open_new_incident'), ('email_parsers', []), ('email_filters', []))
EMAIL_INCIDENT_CREATION = ('on_new_email', 'on_new_email_subject', 'only_if_no_open_incidents', 'use_rules')
EMAIL_FILTER_MODES = ('all-email', 'or-rules-email', 'and-rules-email')
EMAIL_PARSING_FALLBACK = ('open_new_incident', 'discard')

MAINTENANCE_FILTERS = ('past', 'future', 'ongoing', 'open', 'all')
# DELETE of a window that has ended: 405 with this code and message (seen in PagerDuty's answers).
CANNOT_CANCEL_PAST = (5003, 'Cannot cancel a maintenance window from the past')


# --- small helpers -------------------------------------------------------------------

def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def format_time(moment):
    return moment.astimezone(datetime.timezone.utc).isoformat()


def parse_time(value, label):
    """An ISO 8601 date-time (a missing offset means UTC)."""
    if not isinstance(value, str):
        raise invalid_input('%s must be an ISO 8601 date-time' % label)
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise invalid_input('%s must be an ISO 8601 date-time, got %r' % (label, value)) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.replace(microsecond=0)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_string(data, field, label, nullable=True):
    if field in data and not (isinstance(data[field], str) or (nullable and data[field] is None)):
        raise invalid_input('%s must be a string' % label)


def _reference_id(value, label, types):
    """The id of a reference {"id": ..., "type": ...}; the type, when given, must be one of ``types``."""
    if not isinstance(value, dict) or not isinstance(value.get('id'), str) or not value['id']:
        raise invalid_input('%s must be a reference with an id' % label)
    if 'type' in value and value['type'] not in types:
        raise invalid_input('%s must be of type %s, got %r' % (label, ' or '.join(types), value['type']))
    return value['id']


def _seed_reference(value, kind):
    """Seed data may name an object by its bare id."""
    return {'id': value, 'type': kind} if isinstance(value, str) else dict(value)


def _team_ids(ctx, value, label='Teams'):
    if not isinstance(value, list):
        raise invalid_input('%s must be a list of team references' % label)
    ids = []
    for item in value:
        team_id = _reference_id(item, 'Team', ('team_reference', 'team'))
        if ctx.store[TEAMS.collection].get(team_id) is None:
            raise invalid_input('Team %s not found' % team_id)
        if team_id not in ids:
            ids.append(team_id)
    return ids


def _wanted_ids(query, name):
    return set(query.get(name + '[]', []) + query.get(name, []))


def _schedules(ctx):
    return ctx.store.collections.get('schedules')


def _schedule_resource():
    """The schedules resource of the sibling module, when it is loaded (for include[]=targets)."""
    module = sys.modules.get('pdsim_schedules')
    return getattr(module, 'SCHEDULES', None) if module is not None else None


def _schedule_reference(ctx, schedule):
    return {
        'id': schedule['id'],
        'type': 'schedule_reference',
        'summary': schedule.get('name'),
        'self': '%s/schedules/%s' % (ctx.base_url, schedule['id']),
        'html_url': '%s/schedules/%s' % (HTML_BASE, schedule['id']),
    }


def _with_html(reference, html_url):
    reference['html_url'] = html_url
    return reference


# --- escalation policies -----------------------------------------------------------------

class EscalationPolicies(Resource):
    collection = 'escalation_policies'
    wrapper = 'escalation_policy'
    type_name = 'escalation_policy'
    unique_field = 'name'

    def __init__(self, parent=None):
        super().__init__(parent)
        self.delete_guards.append(self._services_guard)

    # --- validation ---------------------------------------------------------

    def _check_fields(self, ctx, data, stored=None):
        creating = stored is None
        if creating or 'name' in data:
            if not isinstance(data.get('name'), str) or not data['name'].strip():
                raise invalid_input("Name can't be blank")
            self.check_unique(ctx, data['name'], None if creating else stored['id'])
        if data.get('type', self.type_name) != self.type_name:
            raise invalid_input('Type must be %s' % self.type_name)
        _check_string(data, 'description', 'Description')
        if 'num_loops' in data and (not _is_int(data['num_loops']) or data['num_loops'] < 0):
            raise invalid_input('Num loops must be an integer greater than or equal to 0')
        if 'on_call_handoff_notifications' in data and data['on_call_handoff_notifications'] not in HANDOFF_NOTIFICATIONS:
            raise invalid_input('On call handoff notifications must be one of %s' % ', '.join(HANDOFF_NOTIFICATIONS))
        rules = None
        if creating or 'escalation_rules' in data:
            rules = self._check_rules(ctx, data.get('escalation_rules'), stored)
        teams = None
        if 'teams' in data:
            teams = _team_ids(ctx, data['teams'] or [])
            if len(teams) > 1:
                raise invalid_input('Only one team may be associated with an escalation policy')
        return rules, teams

    def _check_rules(self, ctx, rules, stored):
        if not isinstance(rules, list) or not rules:
            raise invalid_input('Escalation rules must contain at least one escalation rule')
        old_ids = {rule['id'] for rule in stored['escalation_rules']} if stored else set()
        checked = []
        for rule in rules:
            if not isinstance(rule, dict):
                raise invalid_input('Each escalation rule must be an object')
            delay = rule.get('escalation_delay_in_minutes')
            if not _is_int(delay) or delay < 0:
                raise invalid_input('Escalation delay in minutes must be an integer greater than or equal to 0')
            targets = rule.get('targets')
            if not isinstance(targets, list) or not targets:
                raise invalid_input('Escalation rules must have at least one target')
            if len(targets) > MAX_TARGETS_PER_RULE:
                raise invalid_input(TOO_MANY_TARGETS)
            strategy = rule.get('escalation_rule_assignment_strategy')
            if strategy is None:
                strategy = {'type': DEFAULT_ASSIGNMENT_STRATEGY}
            if not isinstance(strategy, dict) or strategy.get('type') not in ASSIGNMENT_STRATEGIES:
                raise invalid_input('Escalation rule assignment strategy must be an object with a type of %s' % ' or '.join(ASSIGNMENT_STRATEGIES))
            rule_id = rule.get('id') if rule.get('id') in old_ids else ctx.store.new_id()
            checked.append({'id': rule_id, 'escalation_delay_in_minutes': delay,
                            'targets': [self._check_target(ctx, target) for target in targets],
                            'escalation_rule_assignment_strategy': {'type': strategy['type']}})
        return checked

    @staticmethod
    def _check_target(ctx, target):
        if not isinstance(target, dict) or not isinstance(target.get('id'), str):
            raise invalid_input('Escalation rule targets must be user or schedule references with an id')
        kind = target.get('type', 'user_reference')
        if kind in USER_TARGET_TYPES:
            if ctx.store[USERS.collection].get(target['id']) is None:
                raise invalid_input('Escalation rule target user %s not found' % target['id'])
            return {'id': target['id'], 'type': 'user_reference'}
        if kind in SCHEDULE_TARGET_TYPES:
            schedules = _schedules(ctx)
            if schedules is None or schedules.get(target['id']) is None:
                raise invalid_input('Escalation rule target schedule %s not found' % target['id'])
            return {'id': target['id'], 'type': 'schedule_reference'}
        raise invalid_input('Escalation rule target type must be user_reference or schedule_reference, got %r' % kind)

    # --- life cycle ---------------------------------------------------------

    def create(self, ctx, data, object_id=None, parent=None):
        rules, teams = self._check_fields(ctx, data)
        stored = {
            'id': self.new_id(ctx, object_id),
            'name': data['name'],
            'description': data.get('description'),
            'num_loops': data.get('num_loops', 0),
            'on_call_handoff_notifications': data.get('on_call_handoff_notifications', 'if_has_services'),
            'escalation_rules': rules,
            'team_ids': teams or [],
        }
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        rules, teams = self._check_fields(ctx, data, stored)
        for field in ('name', 'description', 'num_loops', 'on_call_handoff_notifications'):
            if field in data:
                stored[field] = data[field]
        if rules is not None:
            stored['escalation_rules'] = rules
        if teams is not None:
            stored['team_ids'] = teams
        return stored

    def services_of(self, ctx, stored):
        return ctx.store[SERVICES.collection].children(stored['id'])

    def _services_guard(self, ctx, stored):
        return ['Escalation policy is in use by service %s (%s)' % (service['id'], service['name'])
                for service in self.services_of(ctx, stored)]

    def seed(self, ctx, item):
        """Seeded policies may name teams and targets by bare id (targets default to users)."""
        if 'teams' in item:
            item['teams'] = [_seed_reference(team, 'team_reference') for team in item['teams']]
        for rule in item.get('escalation_rules') or []:
            rule['targets'] = [_seed_reference(target, 'user_reference') for target in rule.get('targets') or []]
        return super().seed(ctx, item)

    # --- lists and rendering --------------------------------------------------

    def filter_items(self, ctx, items, query):
        user_ids = _wanted_ids(query, 'user_ids')
        if user_ids:
            items = [item for item in items if any(target['type'] == 'user_reference' and target['id'] in user_ids
                                                   for rule in item['escalation_rules'] for target in rule['targets'])]
        team_ids = _wanted_ids(query, 'team_ids')
        if team_ids:
            items = [item for item in items if team_ids.intersection(item['team_ids'])]
        return items

    def reference(self, ctx, stored):
        return _with_html(super().reference(ctx, stored), self.html_url(stored['id']))

    def _render_target(self, ctx, target, full):
        if target['type'] == 'user_reference':
            user = ctx.store[USERS.collection].get(target['id'])
            if user is None:
                return dict(target, summary=None, self=None, html_url=None)
            return USERS.render(ctx, user) if full else USERS.reference(ctx, user)
        schedules = _schedules(ctx)
        schedule = schedules.get(target['id']) if schedules is not None else None
        if schedule is None:
            return dict(target, summary=None, self=None, html_url=None)
        resource = _schedule_resource()
        if full and resource is not None:
            return resource.render(ctx, schedule)
        return _schedule_reference(ctx, schedule)

    def render(self, ctx, stored, includes=()):
        teams = [ctx.store[TEAMS.collection].get(team_id) for team_id in stored['team_ids']]
        teams = [team for team in teams if team is not None]
        return {
            'id': stored['id'],
            'type': self.type_name,
            'summary': stored['name'],
            'self': self.self_url(ctx, stored['id']),
            'html_url': self.html_url(stored['id']),
            'name': stored['name'],
            'description': stored['description'],
            'num_loops': stored['num_loops'],
            'on_call_handoff_notifications': stored['on_call_handoff_notifications'],
            'escalation_rules': [{
                'id': rule['id'],
                'escalation_delay_in_minutes': rule['escalation_delay_in_minutes'],
                'targets': [self._render_target(ctx, target, 'targets' in includes) for target in rule['targets']],
                'escalation_rule_assignment_strategy': dict(rule['escalation_rule_assignment_strategy']),
            } for rule in stored['escalation_rules']],
            'services': [SERVICES.render(ctx, service) if 'services' in includes else SERVICES.reference(ctx, service)
                         for service in self.services_of(ctx, stored)],
            'teams': [TEAMS.render(ctx, team) if 'teams' in includes else TEAMS.reference(ctx, team) for team in teams],
        }


# --- services ---------------------------------------------------------------------------

class Services(Resource):
    collection = 'services'
    wrapper = 'service'
    type_name = 'service'
    unique_field = 'name'
    # Not a nested kind: parent_field only makes the store index services by escalation policy,
    # so "which services use this policy" is a dictionary lookup even with 10,000 services.
    parent_field = 'escalation_policy_id'
    fields = ('name', 'description', 'auto_resolve_timeout', 'acknowledgement_timeout', 'status', 'incident_urgency_rule',
              'support_hours', 'scheduled_actions', 'alert_creation', 'alert_grouping_parameters',
              'auto_pause_notifications_parameters')

    def __init__(self, parent=None):
        super().__init__(parent)
        self.bulk_policy_id = None

    def html_url(self, object_id):
        return '%s/service-directory/%s' % (HTML_BASE, object_id)

    # --- validation ---------------------------------------------------------

    def _check_fields(self, ctx, data, stored=None):
        creating = stored is None
        if creating or 'name' in data:
            if not isinstance(data.get('name'), str) or not data['name'].strip():
                raise invalid_input("Name can't be blank")
            self.check_unique(ctx, data['name'], None if creating else stored['id'])
        if data.get('type', self.type_name) != self.type_name:
            raise invalid_input('Type must be %s' % self.type_name)
        _check_string(data, 'description', 'Description')
        for field, label in (('auto_resolve_timeout', 'Auto resolve timeout'), ('acknowledgement_timeout', 'Acknowledgement timeout')):
            value = data.get(field)
            if value is not None and (not _is_int(value) or value < 0):
                raise invalid_input('%s must be an integer greater than or equal to 0, or null' % label)
        if 'status' in data:
            if creating and data['status'] != 'active':
                raise invalid_input('Status must be active when a service is created')
            if data['status'] not in SETTABLE_STATUSES:
                raise invalid_input('Status can only be set to %s' % ' or '.join(SETTABLE_STATUSES))
        policy_id = None
        if creating or 'escalation_policy' in data:
            if data.get('escalation_policy') is None:
                raise invalid_input("Escalation policy can't be blank")
            policy_id = _reference_id(data['escalation_policy'], 'Escalation policy', ('escalation_policy_reference', 'escalation_policy'))
            if ctx.store[ESCALATION_POLICIES.collection].get(policy_id) is None:
                raise invalid_input('Escalation policy %s not found' % policy_id)
        if 'alert_creation' in data and data['alert_creation'] not in ALERT_CREATION:
            raise invalid_input('Alert creation must be one of %s' % ', '.join(ALERT_CREATION))
        self._check_urgency_and_support_hours(data, stored)
        self._check_alert_grouping(data)
        self._check_auto_pause(data)
        return policy_id

    @staticmethod
    def _check_urgency_type(rule, label, allow_support_hours):
        if not isinstance(rule, dict):
            raise invalid_input('%s must be an object' % label)
        kinds = ('constant', 'use_support_hours') if allow_support_hours else ('constant',)
        kind = rule.get('type', 'constant')
        if kind not in kinds:
            raise invalid_input('%s type must be %s' % (label, ' or '.join(kinds)))
        if kind == 'constant' and rule.get('urgency', 'high') not in URGENCIES:
            raise invalid_input('%s urgency must be one of %s' % (label, ', '.join(URGENCIES)))
        return kind

    @staticmethod
    def _normal_urgency_rule(rule):
        """The rule with the spec's defaults filled in (type constant, urgency high)."""
        if rule is None:
            return {'type': 'constant', 'urgency': 'high'}
        if rule.get('type', 'constant') == 'constant':
            return {'type': 'constant', 'urgency': rule.get('urgency', 'high')}
        return {'type': 'use_support_hours',
                'during_support_hours': {'type': 'constant', 'urgency': rule['during_support_hours'].get('urgency', 'high')},
                'outside_support_hours': {'type': 'constant', 'urgency': rule['outside_support_hours'].get('urgency', 'high')}}

    def _check_urgency_and_support_hours(self, data, stored):
        rule = data.get('incident_urgency_rule', stored['incident_urgency_rule'] if stored else None)
        kind = 'constant'
        if rule is not None:
            kind = self._check_urgency_type(rule, 'Incident urgency rule', True)
            if kind == 'use_support_hours':
                for part in ('during_support_hours', 'outside_support_hours'):
                    if part not in rule:
                        raise invalid_input('Incident urgency rule %s is required when type is use_support_hours' % part)
                    self._check_urgency_type(rule[part], 'Incident urgency rule %s' % part, False)
        if 'support_hours' in data and data['support_hours'] is not None:
            self._check_support_hours(data['support_hours'])
        hours = data.get('support_hours', stored['support_hours'] if stored else None)
        if kind == 'use_support_hours' and hours is None:
            raise invalid_input('Support hours are required when the incident urgency rule type is use_support_hours')
        actions = data.get('scheduled_actions', stored['scheduled_actions'] if stored else [])
        if actions is None or not isinstance(actions, list):
            raise invalid_input('Scheduled actions must be a list')
        for action in actions:
            if not isinstance(action, dict) or action.get('type') != 'urgency_change' or action.get('to_urgency') != 'high':
                raise invalid_input('A scheduled action must have type urgency_change and to_urgency high')
            at = action.get('at')
            if not isinstance(at, dict) or at.get('type') != 'named_time' or at.get('name') not in ('support_hours_start', 'support_hours_end'):
                raise invalid_input('A scheduled action must happen at a named_time: support_hours_start or support_hours_end')
        if actions and kind != 'use_support_hours':
            raise invalid_input('Scheduled actions require an incident urgency rule of type use_support_hours')

    @staticmethod
    def _check_support_hours(hours):
        if not isinstance(hours, dict):
            raise invalid_input('Support hours must be an object')
        if hours.get('type', 'fixed_time_per_day') != 'fixed_time_per_day':
            raise invalid_input('Support hours type must be fixed_time_per_day')
        if hours.get('time_zone') not in TIME_ZONES:
            raise invalid_input('Support hours time zone is not a valid time zone')
        for field in ('start_time', 'end_time'):
            if not isinstance(hours.get(field), str) or not TIME_OF_DAY.match(hours[field]):
                raise invalid_input('Support hours %s must be a time of day like 09:00:00' % field)
        if hours['start_time'] >= hours['end_time']:
            raise invalid_input('Support hours start_time must be before end_time')
        days = hours.get('days_of_week')
        if (not isinstance(days, list) or not days or len(set(days)) != len(days)
                or not all(_is_int(day) and 1 <= day <= 7 for day in days)):
            raise invalid_input('Support hours days_of_week must be a list of distinct days from 1 (Monday) to 7 (Sunday)')

    @staticmethod
    def _check_alert_grouping(data):
        params = data.get('alert_grouping_parameters')
        if params is None:
            return
        if not isinstance(params, dict) or params.get('type') not in ALERT_GROUPING_TYPES:
            raise invalid_input('Alert grouping parameters type must be one of time, intelligent, content_based or null')
        config = params.get('config')
        if config is not None and not isinstance(config, dict):
            raise invalid_input('Alert grouping parameters config must be an object')

    @staticmethod
    def _check_auto_pause(data):
        params = data.get('auto_pause_notifications_parameters')
        if params is None:
            return
        if not isinstance(params, dict) or not isinstance(params.get('enabled', False), bool):
            raise invalid_input('Auto pause notifications parameters enabled must be true or false')
        if params.get('timeout') is not None and params['timeout'] not in AUTO_PAUSE_TIMEOUTS:
            raise invalid_input('Auto pause notifications parameters timeout must be one of %s' % ', '.join(map(str, AUTO_PAUSE_TIMEOUTS)))

    # --- life cycle ---------------------------------------------------------

    @staticmethod
    def _timeout(data, field, default):
        value = data.get(field, default)
        return value or None  # 0 and null both disable the feature

    def create(self, ctx, data, object_id=None, parent=None):
        policy_id = self._check_fields(ctx, data)
        stored = {
            'id': self.new_id(ctx, object_id),
            'name': data['name'],
            'description': data.get('description'),
            'auto_resolve_timeout': self._timeout(data, 'auto_resolve_timeout', DEFAULT_AUTO_RESOLVE_TIMEOUT),
            'acknowledgement_timeout': self._timeout(data, 'acknowledgement_timeout', DEFAULT_ACKNOWLEDGEMENT_TIMEOUT),
            'status': 'active',
            'created_at': format_time(now()),
            'escalation_policy_id': policy_id,
            'incident_urgency_rule': self._normal_urgency_rule(data.get('incident_urgency_rule')),
            'support_hours': data.get('support_hours'),
            'scheduled_actions': data.get('scheduled_actions') or [],
            'alert_creation': data.get('alert_creation', 'create_alerts_and_incidents'),
            'alert_grouping_parameters': data.get('alert_grouping_parameters') or {'type': None},
            'auto_pause_notifications_parameters': data.get('auto_pause_notifications_parameters') or {'enabled': False, 'timeout': None},
            'last_incident_timestamp': None,
        }
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        policy_id = self._check_fields(ctx, data, stored)
        for field in self.fields:
            if field in data:
                stored[field] = data[field]
        for field in ('auto_resolve_timeout', 'acknowledgement_timeout'):
            stored[field] = stored[field] or None
        stored['incident_urgency_rule'] = self._normal_urgency_rule(stored['incident_urgency_rule'])
        if policy_id is not None:
            stored['escalation_policy_id'] = policy_id
        return stored

    def on_delete(self, ctx, stored):
        """A deleted service takes its integrations along and leaves the maintenance windows it was in."""
        for integration in INTEGRATIONS.children(ctx, stored):
            ctx.store[INTEGRATIONS.collection].remove(integration['id'])
        windows = ctx.store[MAINTENANCE_WINDOWS.collection]
        for window in windows.values():
            if stored['id'] in window['service_ids']:
                window = dict(window, service_ids=[service_id for service_id in window['service_ids'] if service_id != stored['id']])
                if window['service_ids']:
                    windows.put(window)
                else:
                    windows.remove(window['id'])

    def seed(self, ctx, item):
        """A seeded service may name its policy by bare id and carry integrations: [{"type": ..., "name": ...}]."""
        integrations = item.pop('integrations', None) or []
        if isinstance(item.get('escalation_policy'), str):
            item['escalation_policy'] = _seed_reference(item['escalation_policy'], 'escalation_policy_reference')
        stored = super().seed(ctx, item)
        for integration in integrations:
            integration = dict(integration)
            INTEGRATIONS.create(ctx, integration, object_id=integration.pop('id', None), parent=stored, seeding=True)
        return stored

    def bulk_start(self, ctx):
        """Bulk services share one escalation policy (created on first use) that pages the account owner."""
        policies = ctx.store[ESCALATION_POLICIES.collection]
        policy = policies.find_unique(BULK_POLICY_NAME)
        if policy is None:
            owner = next(user for user in ctx.store[USERS.collection].values() if user['role'] == 'owner')
            policy = ESCALATION_POLICIES.create(ctx, {'name': BULK_POLICY_NAME, 'escalation_rules': [
                {'escalation_delay_in_minutes': 30, 'targets': [{'id': owner['id'], 'type': 'user_reference'}]}]})
        self.bulk_policy_id = policy['id']
        return super().bulk_start(ctx)

    def bulk_item(self, index):
        return {'name': 'Service %05d' % index, 'escalation_policy': {'id': self.bulk_policy_id, 'type': 'escalation_policy_reference'}}

    # --- lists and rendering --------------------------------------------------

    def team_ids_of(self, ctx, stored):
        policy = ctx.store[ESCALATION_POLICIES.collection].get(stored['escalation_policy_id'])
        return list(policy['team_ids']) if policy else []

    def filter_items(self, ctx, items, query):
        team_ids = _wanted_ids(query, 'team_ids')
        if team_ids:
            policies = {policy['id'] for policy in ctx.store[ESCALATION_POLICIES.collection].values()
                        if team_ids.intersection(policy['team_ids'])}
            items = [item for item in items if item['escalation_policy_id'] in policies]
        name = (query.get('name') or [None])[0]
        if name:
            items = [item for item in items if item['name'].casefold() == name.casefold()]
        return items

    def reference(self, ctx, stored):
        return _with_html(super().reference(ctx, stored), self.html_url(stored['id']))

    def status_of(self, ctx, stored, moment=None):
        """"maintenance" while an ongoing maintenance window covers an active service."""
        if stored['status'] != 'active':
            return stored['status']
        moment = moment or now()
        for window in ctx.store[MAINTENANCE_WINDOWS.collection].values():
            if stored['id'] in window['service_ids'] and MAINTENANCE_WINDOWS.state(window, moment) == 'ongoing':
                return 'maintenance'
        return 'active'

    def render(self, ctx, stored, includes=()):
        policy = ctx.store[ESCALATION_POLICIES.collection].get(stored['escalation_policy_id'])
        teams = [ctx.store[TEAMS.collection].get(team_id) for team_id in self.team_ids_of(ctx, stored)]
        integrations = INTEGRATIONS.children(ctx, stored)
        rendered = {
            'id': stored['id'],
            'type': self.type_name,
            'summary': stored['name'],
            'self': self.self_url(ctx, stored['id']),
            'html_url': self.html_url(stored['id']),
            'name': stored['name'],
            'description': stored['description'],
            'auto_resolve_timeout': stored['auto_resolve_timeout'],
            'acknowledgement_timeout': stored['acknowledgement_timeout'],
            'created_at': stored['created_at'],
            'status': self.status_of(ctx, stored),
            'last_incident_timestamp': stored['last_incident_timestamp'],
            'escalation_policy': (ESCALATION_POLICIES.render(ctx, policy) if 'escalation_policies' in includes
                                  else ESCALATION_POLICIES.reference(ctx, policy)),
            'teams': [TEAMS.render(ctx, team) if 'teams' in includes else TEAMS.reference(ctx, team) for team in teams if team],
            'integrations': [INTEGRATIONS.render(ctx, item) if 'integrations' in includes else INTEGRATIONS.reference(ctx, item)
                             for item in integrations],
            'incident_urgency_rule': stored['incident_urgency_rule'],
            'support_hours': stored['support_hours'],
            'scheduled_actions': stored['scheduled_actions'],
            'addons': [],
            'alert_creation': stored['alert_creation'],
            'alert_grouping_parameters': stored['alert_grouping_parameters'],
        }
        if 'auto_pause_notifications_parameters' in includes:
            rendered['auto_pause_notifications_parameters'] = stored['auto_pause_notifications_parameters']
        return rendered


# --- integrations (nested under a service) --------------------------------------------------------

class Integrations(Resource):
    collection = 'integrations'
    wrapper = 'integration'
    type_name = 'integration'
    parent_field = 'service_id'
    sort_field = None
    paginated = False
    # The spec has no list and no DELETE for a service's integrations.
    operations = ('create', 'show', 'update')

    def _check_fields(self, ctx, data, stored=None):
        kind = data.get('type', stored['type'] if stored else None)
        if kind not in INTEGRATION_TYPES:
            raise invalid_input('Type must be one of %s' % ', '.join(INTEGRATION_TYPES))
        if stored is not None and kind != stored['type']:
            raise invalid_input('The type of an integration cannot be changed')
        if 'name' in data and (not isinstance(data['name'], str) or not data['name'].strip()):
            raise invalid_input("Name can't be blank")
        if 'vendor' in data and data['vendor'] is not None:
            _reference_id(data['vendor'], 'Vendor', ('vendor_reference', 'vendor'))
        email_fields = [field for field, dummy in EMAIL_DEFAULTS] + ['integration_email']
        if kind != EMAIL_INTEGRATION:
            given = [field for field in email_fields if field in data]
            if given:
                raise invalid_input('%s can only be set on a %s' % (', '.join(given), EMAIL_INTEGRATION))
            return
        self._check_email_fields(ctx, data, stored)

    def _check_email_fields(self, ctx, data, stored):
        if 'integration_email' in data:
            email = data['integration_email']
            if not isinstance(email, str) or not EMAIL_PATTERN.match(email):
                raise invalid_input('Integration email is invalid')
            for other in ctx.store[self.collection].values():
                if other.get('integration_email', '').casefold() == email.casefold() and (stored is None or other['id'] != stored['id']):
                    raise invalid_input('Integration email has already been taken')
        for field, allowed in (('email_incident_creation', EMAIL_INCIDENT_CREATION), ('email_filter_mode', EMAIL_FILTER_MODES),
                               ('email_parsing_fallback', EMAIL_PARSING_FALLBACK)):
            if field in data and data[field] not in allowed:
                raise invalid_input('%s must be one of %s' % (field, ', '.join(allowed)))
        for field in ('email_parsers', 'email_filters'):
            if field in data and not isinstance(data[field], list):
                raise invalid_input('%s must be a list' % field)

    @staticmethod
    def _default_name(kind):
        return 'Email' if kind == EMAIL_INTEGRATION else kind.replace('_inbound_integration', '').replace('_', ' ').title()

    def create(self, ctx, data, object_id=None, parent=None, seeding=False):
        if parent is None:
            raise ValueError('an integration needs its service')
        self._check_fields(ctx, data)
        kind = data['type']
        stored = {
            'id': self.new_id(ctx, object_id),
            'service_id': parent['id'],
            'type': kind,
            'name': data.get('name') or self._default_name(kind),
            'created_at': format_time(now()),
            'vendor': data.get('vendor'),
        }
        if kind == EMAIL_INTEGRATION:
            stored['integration_email'] = data.get('integration_email') or '%s-%s@%s' % (
                re.sub(r'[^a-z0-9]+', '-', parent['name'].lower()).strip('-') or 'service', secrets.token_hex(3), EMAIL_DOMAIN)
            for field, default in EMAIL_DEFAULTS:
                stored[field] = data.get(field, list(default) if isinstance(default, list) else default)
        else:
            # Generated by PagerDuty; only a seed may choose it.
            stored['integration_key'] = (data.get('integration_key') if seeding else None) or secrets.token_hex(16)
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        self._check_fields(ctx, data, stored)
        for field in ['name', 'vendor', 'integration_email'] + [field for field, dummy in EMAIL_DEFAULTS]:
            if field in data and (field in stored):
                stored[field] = data[field]
        return stored

    def html_url(self, object_id):
        return None

    def _html_url(self, stored):
        return '%s/services/%s/integrations/%s' % (HTML_BASE, stored['service_id'], stored['id'])

    def reference(self, ctx, stored):
        return {
            'id': stored['id'],
            'type': stored['type'] + '_reference',
            'summary': stored['name'],
            'self': self.self_url(ctx, stored['id'], stored),
            'html_url': self._html_url(stored),
        }

    def render(self, ctx, stored, includes=()):
        service = ctx.store[SERVICES.collection].get(stored['service_id'])
        rendered = {
            'id': stored['id'],
            'type': stored['type'],
            'summary': stored['name'],
            'self': self.self_url(ctx, stored['id'], stored),
            'html_url': self._html_url(stored),
            'name': stored['name'],
            'service': SERVICES.render(ctx, service) if 'services' in includes else SERVICES.reference(ctx, service),
            'created_at': stored['created_at'],
            'vendor': stored['vendor'],
        }
        for field in ['integration_key', 'integration_email'] + [field for field, dummy in EMAIL_DEFAULTS]:
            if field in stored:
                rendered[field] = stored[field]
        return rendered


# --- maintenance windows -----------------------------------------------------------------

class MaintenanceWindows(Resource):
    collection = 'maintenance_windows'
    wrapper = 'maintenance_window'
    type_name = 'maintenance_window'
    query_field = 'description'
    sort_field = 'start_time'

    def __init__(self, parent=None):
        super().__init__(parent)
        self._requester = None

    def html_url(self, object_id):
        return '%s/service-directory/maintenance-windows/%s' % (HTML_BASE, object_id)

    @staticmethod
    def state(stored, moment):
        start, end = parse_time(stored['start_time'], 'Start time'), parse_time(stored['end_time'], 'End time')
        if end <= moment:
            return 'past'
        return 'future' if start > moment else 'ongoing'

    def _check_services(self, ctx, services):
        if not isinstance(services, list) or not services:
            raise invalid_input('A maintenance window must have at least one service')
        ids = []
        for reference in services:
            service_id = _reference_id(reference, 'Service', ('service_reference', 'service'))
            if ctx.store[SERVICES.collection].get(service_id) is None:
                raise invalid_input('Service %s not found' % service_id)
            if service_id not in ids:
                ids.append(service_id)
        return ids

    @staticmethod
    def _given_time(data, field, label, current):
        """(the time to keep, whether the request changes it); the request must give it when there is none yet."""
        if field not in data and current is not None:
            return current, False
        given = parse_time(data.get(field), label)
        return given, given != current

    def _check_times(self, data, stored, seeding):
        """Return the (start, end) to store; PagerDuty moves a start in the past to now."""
        moment = now()
        state = self.state(stored, moment) if stored else 'future'
        start, start_changed = self._given_time(data, 'start_time', 'Start time', parse_time(stored['start_time'], 'Start time') if stored else None)
        end, end_changed = self._given_time(data, 'end_time', 'End time', parse_time(stored['end_time'], 'End time') if stored else None)
        errors = []
        if state != 'future' and start_changed:
            errors.append('Start time cannot be modified for maintenance windows that have already started')
        if state == 'past' and end_changed:
            errors.append('End time already passed and can not be modified')
        if errors:
            raise invalid_input(*errors)
        if not seeding:
            if end_changed and end <= moment:
                raise invalid_input('End time must be in the future')
            if start_changed and start < moment:
                start = moment
        if end <= start:
            raise invalid_input('End time must be after start time')
        return format_time(start), format_time(end)

    def authorize_create(self, ctx, request):
        """Remember who asks (the From header), for created_by."""
        sender = (request.headers.get('from') or '').strip()
        self._requester = ctx.store[USERS.collection].find_unique(sender) if sender else None

    def create(self, ctx, data, object_id=None, parent=None, seeding=False):
        requester, self._requester = self._requester, None
        if data.get('type', self.type_name) != self.type_name:
            raise invalid_input('Type must be %s' % self.type_name)
        _check_string(data, 'description', 'Description')
        service_ids = self._check_services(ctx, data.get('services'))
        start, end = self._check_times(data, None, seeding)
        sequence = getattr(ctx.store, 'maintenance_window_sequence', 0) + 1
        ctx.store.maintenance_window_sequence = sequence
        stored = {
            'id': self.new_id(ctx, object_id),
            'sequence_number': sequence,
            'start_time': start,
            'end_time': end,
            'description': data.get('description'),
            'service_ids': service_ids,
            'created_by_id': requester['id'] if requester else None,
        }
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        if data.get('type', self.type_name) != self.type_name:
            raise invalid_input('Type must be %s' % self.type_name)
        _check_string(data, 'description', 'Description')
        if 'services' in data:
            stored['service_ids'] = self._check_services(ctx, data['services'])
        stored['start_time'], stored['end_time'] = self._check_times(data, stored, seeding=False)
        if 'description' in data:
            stored['description'] = data['description']
        return stored

    def check_delete(self, ctx, stored):
        if self.state(stored, now()) == 'past':
            raise ApiError(405, CANNOT_CANCEL_PAST)
        super().check_delete(ctx, stored)

    def remove(self, ctx, stored):
        """A future window is deleted; an ongoing one is ended now (and stays, as a past window)."""
        moment = now()
        if self.state(stored, moment) == 'ongoing':
            ctx.store[self.collection].put(dict(stored, end_time=format_time(moment)))
            return
        super().remove(ctx, stored)

    def seed(self, ctx, item):
        """Seeded windows may lie in the past and name services by bare id."""
        item['services'] = [_seed_reference(service, 'service_reference') for service in item.get('services') or []]
        return self.create(ctx, item, object_id=item.pop('id', None), seeding=True)

    def team_ids_of(self, ctx, stored):
        team_ids = []
        for service_id in stored['service_ids']:
            service = ctx.store[SERVICES.collection].get(service_id)
            for team_id in SERVICES.team_ids_of(ctx, service) if service else []:
                if team_id not in team_ids:
                    team_ids.append(team_id)
        return team_ids

    def filter_items(self, ctx, items, query):
        wanted = (query.get('filter') or ['all'])[0]
        if wanted not in MAINTENANCE_FILTERS:
            raise invalid_input('filter must be one of %s' % ', '.join(MAINTENANCE_FILTERS))
        if wanted != 'all':
            moment = now()
            states = ('future', 'ongoing') if wanted == 'open' else (wanted,)
            items = [item for item in items if self.state(item, moment) in states]
        service_ids = _wanted_ids(query, 'service_ids')
        if service_ids:
            items = [item for item in items if service_ids.intersection(item['service_ids'])]
        team_ids = _wanted_ids(query, 'team_ids')
        if team_ids:
            items = [item for item in items if team_ids.intersection(self.team_ids_of(ctx, item))]
        return items

    def reference(self, ctx, stored):
        return {
            'id': stored['id'],
            'type': self.type_name + '_reference',
            'summary': stored['description'],
            'self': self.self_url(ctx, stored['id']),
            'html_url': self.html_url(stored['id']),
        }

    def render(self, ctx, stored, includes=()):
        services = [ctx.store[SERVICES.collection].get(service_id) for service_id in stored['service_ids']]
        teams = [ctx.store[TEAMS.collection].get(team_id) for team_id in self.team_ids_of(ctx, stored)]
        creator = ctx.store[USERS.collection].get(stored['created_by_id']) if stored['created_by_id'] else None
        return {
            'id': stored['id'],
            'type': self.type_name,
            'summary': stored['description'],
            'self': self.self_url(ctx, stored['id']),
            'html_url': self.html_url(stored['id']),
            'sequence_number': stored['sequence_number'],
            'start_time': stored['start_time'],
            'end_time': stored['end_time'],
            'description': stored['description'],
            'services': [SERVICES.render(ctx, service) if 'services' in includes else SERVICES.reference(ctx, service)
                         for service in services if service],
            'teams': [TEAMS.render(ctx, team) if 'teams' in includes else TEAMS.reference(ctx, team) for team in teams if team],
            'created_by': (USERS.render(ctx, creator) if 'users' in includes else USERS.reference(ctx, creator)) if creator else None,
        }


ESCALATION_POLICIES = EscalationPolicies()
SERVICES = Services()
INTEGRATIONS = Integrations(parent=SERVICES)
MAINTENANCE_WINDOWS = MaintenanceWindows()
SERVICE_RESOURCES = [ESCALATION_POLICIES, SERVICES, INTEGRATIONS, MAINTENANCE_WINDOWS]


# --- what blocks deleting users and teams ------------------------------------------------------

def _policies_targeting_user(ctx, user):
    return ['User is a target of escalation policy %s (%s)' % (policy['id'], policy['name'])
            for policy in ctx.store[ESCALATION_POLICIES.collection].values()
            if any(target['type'] == 'user_reference' and target['id'] == user['id']
                   for rule in policy['escalation_rules'] for target in rule['targets'])]


def _team_associations(ctx, team):
    policies = [policy for policy in ctx.store[ESCALATION_POLICIES.collection].values() if team['id'] in policy['team_ids']]
    reasons = ['Team is associated with escalation policy %s (%s)' % (policy['id'], policy['name']) for policy in policies]
    for policy in policies:
        reasons += ['Team is associated with service %s (%s)' % (service['id'], service['name'])
                    for service in ESCALATION_POLICIES.services_of(ctx, policy)]
    return reasons


USERS.delete_guards.append(_policies_targeting_user)
TEAMS.delete_guards.append(_team_associations)
