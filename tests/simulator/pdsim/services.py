"""Services and their integrations: /services, /services/{id} and /services/{id}/integrations/{integration_id}.

A service names its escalation policy (``escalation_policy_id``); its read-only ``teams`` are the
policy's teams.  Maintenance windows name services, so this module does not import them: a
service's ``maintenance`` status and what a deleted service leaves behind in windows go through
``ctx.resource('maintenance_windows')``.  The delete guards for what services (and their policies)
reference are defined here and wired in ``pdsim.api``.
"""

import re
import secrets

from pdsim.core import HTML_BASE, Resource, invalid_input, is_int, now, reference_id, seed_reference, utc_text, wanted_ids
from pdsim.escalation_policies import ESCALATION_POLICIES
from pdsim.teams import TEAMS
from pdsim.users import EMAIL_PATTERN, TIME_ZONES, USERS
from pdsim.vendors import VENDORS

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
EMAIL_FIELDS = tuple(field for field, dummy in EMAIL_DEFAULTS)
EMAIL_INCIDENT_CREATION = ('on_new_email', 'on_new_email_subject', 'only_if_no_open_incidents', 'use_rules')
EMAIL_FILTER_MODES = ('all-email', 'or-rules-email', 'and-rules-email')
EMAIL_PARSING_FALLBACK = ('open_new_incident', 'discard')
FILTER_MODES = ('match', 'no-match', 'always')
FILTER_PARTS = ('subject', 'body', 'from_email')
PARSER_ACTIONS = ('trigger', 'resolve')
PREDICATE_TYPES = ('all', 'any', 'not', 'contains', 'exactly', 'regex')
MAIL_PARTS = ('body', 'subject', 'from_addresses')
EXTRACTOR_TYPES = ('entire', 'regex', 'between')


# PagerDuty's answer to another status on PUT (recorded in terraform-provider-pagerduty#82).
STATUS_NOT_SETTABLE = 'Status must be in active or disabled.'


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

    def html_url(self, stored):
        return f"{HTML_BASE}/service-directory/{stored['id']}"

    # --- validation ---------------------------------------------------------

    def _check_fields(self, ctx, data, stored=None):
        creating = stored is None
        self.check_named(ctx, data, stored)
        for field, label in (('auto_resolve_timeout', 'Auto resolve timeout'), ('acknowledgement_timeout', 'Acknowledgement timeout')):
            value = data.get(field)
            if value is not None and (not is_int(value) or value < 0):
                raise invalid_input(f'{label} must be an integer greater than or equal to 0, or null')
        if 'status' in data:
            if creating and data['status'] != 'active':
                raise invalid_input('Status must be active when a service is created')
            if data['status'] not in SETTABLE_STATUSES:
                raise invalid_input(STATUS_NOT_SETTABLE)
        policy_id = None
        if creating or 'escalation_policy' in data:
            if data.get('escalation_policy') is None:
                raise invalid_input("Escalation policy can't be blank")
            policy_id = reference_id(data['escalation_policy'], 'Escalation policy', ('escalation_policy_reference', 'escalation_policy'))
            if ctx.store[ESCALATION_POLICIES.collection].get(policy_id) is None:
                raise invalid_input(f'Escalation policy {policy_id} not found')
        if 'alert_creation' in data and data['alert_creation'] not in ALERT_CREATION:
            raise invalid_input(f"Alert creation must be one of {', '.join(ALERT_CREATION)}")
        self._check_urgency_and_support_hours(data, stored)
        self._check_alert_parameters(data)
        return policy_id

    @staticmethod
    def _check_urgency_type(rule, label, allow_support_hours):
        if not isinstance(rule, dict):
            raise invalid_input(f'{label} must be an object')
        kinds = ('constant', 'use_support_hours') if allow_support_hours else ('constant',)
        kind = rule.get('type', 'constant')
        if kind not in kinds:
            raise invalid_input(f"{label} type must be {' or '.join(kinds)}")
        if kind == 'constant' and rule.get('urgency', 'high') not in URGENCIES:
            raise invalid_input(f"{label} urgency must be one of {', '.join(URGENCIES)}")
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
                        raise invalid_input(f'Incident urgency rule {part} is required when type is use_support_hours')
                    self._check_urgency_type(rule[part], f'Incident urgency rule {part}', False)
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
                raise invalid_input(f'Support hours {field} must be a time of day like 09:00:00')
        if hours['start_time'] >= hours['end_time']:
            raise invalid_input('Support hours start_time must be before end_time')
        days = hours.get('days_of_week')
        if (not isinstance(days, list) or not days or len(set(days)) != len(days)
                or not all(is_int(day) and 1 <= day <= 7 for day in days)):
            raise invalid_input('Support hours days_of_week must be a list of distinct days from 1 (Monday) to 7 (Sunday)')

    @staticmethod
    def _check_alert_parameters(data):
        """alert_grouping_parameters and auto_pause_notifications_parameters (either may be null)."""
        grouping = data.get('alert_grouping_parameters')
        if grouping is not None:
            if not isinstance(grouping, dict) or grouping.get('type') not in ALERT_GROUPING_TYPES:
                raise invalid_input('Alert grouping parameters type must be one of time, intelligent, content_based or null')
            if grouping.get('config') is not None and not isinstance(grouping['config'], dict):
                raise invalid_input('Alert grouping parameters config must be an object')
        pause = data.get('auto_pause_notifications_parameters')
        if pause is not None:
            if not isinstance(pause, dict) or not isinstance(pause.get('enabled', False), bool):
                raise invalid_input('Auto pause notifications parameters enabled must be true or false')
            if pause.get('timeout') is not None and pause['timeout'] not in AUTO_PAUSE_TIMEOUTS:
                raise invalid_input(f"Auto pause notifications parameters timeout must be one of {', '.join(map(str, AUTO_PAUSE_TIMEOUTS))}")

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
            'created_at': utc_text(now()),
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
        ctx.resource('maintenance_windows').drop_service(ctx, stored['id'])

    def seed(self, ctx, item):
        """A seeded service may name its policy by bare id and carry integrations: [{"type": ..., "name": ...}]."""
        integrations = item.pop('integrations', None) or []
        if isinstance(item.get('escalation_policy'), str):
            item['escalation_policy'] = seed_reference(item['escalation_policy'], 'escalation_policy_reference')
        stored = super().seed(ctx, item)
        for integration in integrations:
            integration = dict(integration)
            INTEGRATIONS.create(ctx, integration, object_id=integration.pop('id', None), parent=stored, seeding=True)
        return stored

    def bulk_start(self, ctx):
        """Bulk services share one escalation policy (created on first use) that pages the account owner."""
        policy = ctx.store[ESCALATION_POLICIES.collection].find_unique(BULK_POLICY_NAME)
        if policy is None:
            owner = next(user for user in ctx.store[USERS.collection].values() if user['role'] == 'owner')
            policy = ESCALATION_POLICIES.create(ctx, {'name': BULK_POLICY_NAME, 'escalation_rules': [
                {'escalation_delay_in_minutes': 30, 'targets': [{'id': owner['id'], 'type': 'user_reference'}]}]})
        self.bulk_policy_id = policy['id']
        return super().bulk_start(ctx)

    def bulk_item(self, index):
        return {'name': f'Service {index:05d}', 'escalation_policy': {'id': self.bulk_policy_id, 'type': 'escalation_policy_reference'}}

    # --- lists and rendering --------------------------------------------------

    def using_policy(self, ctx, policy_id):
        """The services whose escalation policy is ``policy_id`` (an index lookup)."""
        return ctx.store[self.collection].children(policy_id)

    def team_ids_of(self, ctx, stored):
        policy = ctx.store[ESCALATION_POLICIES.collection].get(stored['escalation_policy_id'])
        return list(policy['team_ids']) if policy else []

    def filter_items(self, ctx, items, query):
        team_ids = wanted_ids(query, 'team_ids')
        if team_ids:
            policies = {policy['id'] for policy in ctx.store[ESCALATION_POLICIES.collection].values()
                        if team_ids.intersection(policy['team_ids'])}
            items = [item for item in items if item['escalation_policy_id'] in policies]
        name = (query.get('name') or [None])[0]
        if name:
            items = [item for item in items if item['name'].casefold() == name.casefold()]
        return items

    def status_of(self, ctx, stored):
        """"maintenance" while an ongoing maintenance window covers an active service."""
        if stored['status'] != 'active':
            return stored['status']
        return 'maintenance' if ctx.resource('maintenance_windows').covers(ctx, stored['id'], now()) else 'active'

    def render(self, ctx, stored, includes=()):
        policy = ctx.store[ESCALATION_POLICIES.collection].get(stored['escalation_policy_id'])
        teams = [ctx.store[TEAMS.collection].get(team_id) for team_id in self.team_ids_of(ctx, stored)]
        rendered = {
            **self.header(ctx, stored),
            'name': stored['name'],
            'description': stored['description'],
            'auto_resolve_timeout': stored['auto_resolve_timeout'],
            'acknowledgement_timeout': stored['acknowledgement_timeout'],
            'created_at': stored['created_at'],
            'status': self.status_of(ctx, stored),
            'last_incident_timestamp': stored['last_incident_timestamp'],
            'escalation_policy': ESCALATION_POLICIES.expand(ctx, policy, includes),
            'teams': [TEAMS.expand(ctx, team, includes) for team in teams if team],
            'integrations': [INTEGRATIONS.expand(ctx, item, includes) for item in INTEGRATIONS.children(ctx, stored)],
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

    def __init__(self, parent=None):
        super().__init__(parent)
        self.parser_sequence = 0

    def _check_fields(self, ctx, data, stored=None):
        vendor = None
        if 'vendor' in data and data['vendor'] is not None:
            vendor = VENDORS.find(ctx, data['vendor'])
            if stored is not None and vendor['id'] != stored['vendor_id']:
                raise invalid_input('The vendor of an integration cannot be changed')
        kind = data.get('type', stored['type'] if stored else (vendor or {}).get('integration_type'))
        if kind not in INTEGRATION_TYPES:
            raise invalid_input(f"Type must be one of {', '.join(INTEGRATION_TYPES)}")
        if 'name' in data and (not isinstance(data['name'], str) or not data['name'].strip()):
            raise invalid_input("Name can't be blank")
        if kind != EMAIL_INTEGRATION:
            given = [field for field in EMAIL_FIELDS + ('integration_email',) if field in data]
            if given:
                raise invalid_input(f"{', '.join(given)} can only be set on a {EMAIL_INTEGRATION}")
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
                raise invalid_input(f"{field} must be one of {', '.join(allowed)}")
        for field, check in (('email_filters', self._check_filter), ('email_parsers', self._check_parser)):
            if field not in data:
                continue
            if not isinstance(data[field], list) or not data[field]:
                raise invalid_input(f'{field} must be a list of at least one item')
            for item in data[field]:
                check(item)

    @staticmethod
    def _check_filter(item):
        """An email filter: a mode for each of subject, body and from_email, and a regex where the mode matches."""
        if not isinstance(item, dict):
            raise invalid_input('An email filter must be an object')
        for part in FILTER_PARTS:
            mode = item.get(f'{part}_mode')
            if mode not in FILTER_MODES:
                raise invalid_input(f"Email filter {part}_mode must be one of {', '.join(FILTER_MODES)}")
            regex = item.get(f'{part}_regex')
            if mode != 'always' and (not isinstance(regex, str) or not regex):
                raise invalid_input(f'Email filter {part}_regex is required when {part}_mode is {mode}')
            if regex is not None and not isinstance(regex, str):
                raise invalid_input(f'Email filter {part}_regex must be a string')

    def _check_predicate(self, predicate):
        if not isinstance(predicate, dict) or predicate.get('type') not in PREDICATE_TYPES:
            raise invalid_input(f"Email parser match predicate type must be one of {', '.join(PREDICATE_TYPES)}")
        children = predicate.get('children')
        if not isinstance(children, list):
            raise invalid_input('Email parser match predicate children must be a list')
        if predicate['type'] in ('all', 'any', 'not'):
            if not children:
                raise invalid_input(f"Email parser match predicate of type {predicate['type']} needs children")
            for child in children:
                self._check_predicate(child)
            return
        if predicate.get('part') not in MAIL_PARTS:
            raise invalid_input(f"Email parser match predicate part must be one of {', '.join(MAIL_PARTS)}")
        if not isinstance(predicate.get('matcher'), str) or not predicate['matcher']:
            raise invalid_input(f"Email parser match predicate of type {predicate['type']} needs a matcher")

    def _check_parser(self, parser):
        """An email parser: an action, a match predicate and value extractors, one of them for the incident key."""
        if not isinstance(parser, dict) or parser.get('action') not in PARSER_ACTIONS:
            raise invalid_input(f"Email parser action must be one of {', '.join(PARSER_ACTIONS)}")
        self._check_predicate(parser.get('match_predicate'))
        extractors = parser.get('value_extractors') or []
        if not isinstance(extractors, list):
            raise invalid_input('Email parser value_extractors must be a list')
        for extractor in extractors:
            if (not isinstance(extractor, dict) or extractor.get('type') not in EXTRACTOR_TYPES or extractor.get('part') not in MAIL_PARTS
                    or not isinstance(extractor.get('value_name'), str) or not extractor['value_name']):
                raise invalid_input('An email parser value extractor needs a type (entire, regex, between), a part (body, subject, '
                                    'from_addresses) and a value_name')
        if sum(1 for extractor in extractors if extractor.get('value_name') == 'incident_key') != 1:
            raise invalid_input('Exactly one value extractor must have a value_name of incident_key')

    def _with_ids(self, ctx, field, items):
        """Email filters get string ids and parsers integer ids, as PagerDuty's answers show them; sent ids are not kept."""
        if field == 'email_filters':
            return [dict({k: v for k, v in item.items() if k != 'id'}, id=ctx.store.new_id()) for item in items]
        if field == 'email_parsers':
            self.parser_sequence += len(items)
            first = self.parser_sequence - len(items) + 1
            return [dict({k: v for k, v in item.items() if k != 'id'}, id=first + index) for index, item in enumerate(items)]
        return items

    @staticmethod
    def _new_email(service):
        local_part = re.sub(r'[^a-z0-9]+', '-', service['name'].lower()).strip('-') or 'service'
        return f'{local_part}-{secrets.token_hex(3)}@{EMAIL_DOMAIN}'

    @staticmethod
    def _default_name(kind):
        return 'Email' if kind == EMAIL_INTEGRATION else kind.replace('_inbound_integration', '').replace('_', ' ').title()

    def create(self, ctx, data, object_id=None, parent=None, seeding=False):
        if parent is None:
            raise ValueError('an integration needs its service')
        self._check_fields(ctx, data)
        vendor_id = data['vendor']['id'] if data.get('vendor') is not None else None
        kind = data.get('type') or ctx.store[VENDORS.collection].get(vendor_id)['integration_type']
        stored = {
            'id': self.new_id(ctx, object_id),
            'service_id': parent['id'],
            'type': kind,
            'name': data.get('name') or self._default_name(kind),
            'created_at': utc_text(now()),
            'vendor_id': vendor_id,
        }
        if kind == EMAIL_INTEGRATION:
            stored['integration_email'] = data.get('integration_email') or self._new_email(parent)
            for field, default in EMAIL_DEFAULTS:
                stored[field] = self._with_ids(ctx, field, data[field]) if field in data else (list(default) if isinstance(default, list) else default)
        else:
            # Generated by PagerDuty; only a seed may choose it.
            stored['integration_key'] = (data.get('integration_key') if seeding else None) or secrets.token_hex(16)
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        self._check_fields(ctx, data, stored)
        kind = data.get('type', stored['type'])
        if kind != stored['type']:  # another type: the email settings or the integration key come or go
            if kind == EMAIL_INTEGRATION:
                stored.pop('integration_key', None)
                stored['integration_email'] = data.get('integration_email') or self._new_email(ctx.store[SERVICES.collection].get(stored['service_id']))
                for field, default in EMAIL_DEFAULTS:
                    stored[field] = list(default) if isinstance(default, list) else default
            elif stored['type'] == EMAIL_INTEGRATION:
                for field in ('integration_email',) + EMAIL_FIELDS:
                    stored.pop(field, None)
                stored['integration_key'] = secrets.token_hex(16)
            stored['type'] = kind
        for field in ('name', 'integration_email') + EMAIL_FIELDS:
            if field in data and (field in stored):
                stored[field] = self._with_ids(ctx, field, data[field])
        return stored

    def object_type(self, stored):
        return stored['type']

    def html_url(self, stored):
        return f"{HTML_BASE}/services/{stored['service_id']}/integrations/{stored['id']}"

    def render(self, ctx, stored, includes=()):
        service = ctx.store[SERVICES.collection].get(stored['service_id'])
        rendered = {
            **self.header(ctx, stored),
            'name': stored['name'],
            'service': SERVICES.expand(ctx, service, includes),
            'created_at': stored['created_at'],
            'vendor': VENDORS.expand_id(ctx, stored['vendor_id']),
        }
        for field in ('integration_key', 'integration_email') + EMAIL_FIELDS:
            if field in stored:
                rendered[field] = stored[field]
        return rendered


SERVICES = Services()
INTEGRATIONS = Integrations(parent=SERVICES)


# --- delete guards for what services and their policies reference (wired in pdsim.api) ------------

def services_using_policy(ctx, policy):
    """Escalation policies: the services that use the policy."""
    return [f"Escalation policy is in use by service {service['id']} ({service['name']})"
            for service in SERVICES.using_policy(ctx, policy['id'])]


def team_associations(ctx, team):
    """Teams: the escalation policies of the team, then the services of each of them."""
    policies = [policy for policy in ctx.store[ESCALATION_POLICIES.collection].values() if team['id'] in policy['team_ids']]
    reasons = [f"Team is associated with escalation policy {policy['id']} ({policy['name']})" for policy in policies]
    for policy in policies:
        reasons += [f"Team is associated with service {service['id']} ({service['name']})" for service in SERVICES.using_policy(ctx, policy['id'])]
    return reasons
