"""Incidents, their alerts and notes, and priorities: /incidents, /incidents/{id}, /incidents/{id}/alerts,
/incidents/{id}/notes and /priorities.

Incidents are opened by alert events (``pdsim.events``) or seeded; REST reads them and changes them with PUT
(status, assignments, escalation, urgency, priority, title).  An incident is assigned through its escalation
policy: the users of one rule, and for a schedule target the user on call now (``pdsim.render.on_call_at``).
Its alerts (one per alert event that opened something) are a nested kind, so their counts and statuses follow
the incident.  Writes follow the From rule of ``POST /users`` (``pdsim.users.acting_user``).
"""

import datetime
import uuid

from pdsim.core import (
    HTML_BASE,
    NOT_FOUND,
    ApiError,
    Resource,
    Route,
    check_text,
    first,
    invalid_input,
    is_int,
    now,
    reference_id,
    utc_text,
    wanted_ids,
    wrapped_body,
)
from pdsim.escalation_policies import ESCALATION_POLICIES
from pdsim.render import on_call_at
from pdsim.schedules import SCHEDULES, parse_time_input, query_time_zone
from pdsim.services import INTEGRATIONS, SERVICES
from pdsim.teams import TEAMS
from pdsim.users import USERS, acting_user

STATUSES = ('triggered', 'acknowledged', 'resolved')
OPEN_STATUSES = ('triggered', 'acknowledged')
URGENCIES = ('high', 'low')
HIGH_SEVERITIES = ('critical', 'error')
DEFAULT_WINDOW = datetime.timedelta(days=30)   # "default is 1 month"
MAX_WINDOW = datetime.timedelta(days=180)      # "Maximum range is 6 months"
SORT_FIELDS = ('incident_number', 'created_at', 'resolved_at', 'urgency')
MAX_NOTES = 2000
NOTE_CHANNEL = 'The PagerDuty website or APIs'
TRIGGER_LOG_SUMMARY = 'Triggered through the API'
DEFAULT_INCIDENT_TYPE = 'incident_default'
# A fresh account's priorities, most severe first (the names of the spec's example; the descriptions are ours).
DEFAULT_PRIORITIES = (
    ('P1', 'Critical: most customers are affected'),
    ('P2', 'High: many customers are affected'),
    ('P3', 'Moderate: needs the service owners now'),
    ('P4', 'Low: needs action, customers are not affected'),
    ('P5', 'Cosmetic: no customer impact'),
)


def agent_reference(ctx, agent, full=False):
    """A (kind, id) agent, 'user' or 'service', as a reference (or the full object)."""
    kind, object_id = agent
    return (USERS if kind == 'user' else SERVICES).expand_id(ctx, object_id, full)


def urgency_for(service, severity=None):
    """A new incident's urgency from its service's incident_urgency_rule: a constant rule gives its urgency; a
    severity_based one high for critical/error events and low for warning/info; anything else high."""
    rule = service['incident_urgency_rule']
    if rule.get('type') == 'constant':
        if rule.get('urgency') in URGENCIES:
            return rule['urgency']
        if rule.get('urgency') == 'severity_based' and severity:
            return 'high' if severity in HIGH_SEVERITIES else 'low'
    return 'high'


def policy_assignees(ctx, policy_id, level=1):
    """The user ids a level (1-based) of an escalation policy assigns: user targets, and for a schedule the
    user on call now; without repeats, in target order."""
    policy = ctx.store[ESCALATION_POLICIES.collection].get(policy_id)
    if policy is None or not 1 <= level <= len(policy['escalation_rules']):
        return []
    user_ids = []
    for target in policy['escalation_rules'][level - 1]['targets']:
        if target['type'] == 'user_reference':
            user_id = target['id']
        else:
            schedule = ctx.store[SCHEDULES.collection].get(target['id'])
            user_id = on_call_at(schedule['layers'], schedule['overrides'], schedule['time_zone'], now()) if schedule else None
        if user_id and user_id not in user_ids:
            user_ids.append(user_id)
    return user_ids


# --- priorities ------------------------------------------------------------------------------

class Priorities(Resource):
    collection = 'priorities'
    wrapper = 'priority'
    type_name = 'priority'
    sort_field = None          # the account's order: most to least severe
    reference_html_url = False
    operations = ('list',)

    def html_url(self, stored):
        return None

    def create(self, ctx, data, object_id=None, parent=None):
        check_text(data, 'name', 'Name', required=True)
        check_text(data, 'description', 'Description', nullable=True)
        stored = {'id': self.new_id(ctx, object_id), 'name': data['name'], 'description': data.get('description')}
        ctx.store[self.collection].put(stored)
        return stored

    def initial_objects(self, ctx):
        for name, description in DEFAULT_PRIORITIES:
            self.create(ctx, {'name': name, 'description': description})

    def find(self, ctx, value):
        """The id of a priority given as a reference ({"id", "type"}) or as a name (the most severe one of that name)."""
        if isinstance(value, str):
            match = next((item for item in ctx.store[self.collection].values() if item['name'] == value), None)
            if match is None:
                raise invalid_input(f'Priority {value} not found')
            return match['id']
        priority_id = reference_id(value, 'Priority', ('priority_reference', 'priority'))
        if ctx.store[self.collection].get(priority_id) is None:
            raise invalid_input(f'Priority {priority_id} not found')
        return priority_id

    def render(self, ctx, stored, includes=()):
        rendered = self.header(ctx, stored)
        del rendered['html_url']
        rendered.update(name=stored['name'], description=stored['description'])
        return rendered


# --- incidents -------------------------------------------------------------------------------

class Incidents(Resource):
    collection = 'incidents'
    wrapper = 'incident'
    type_name = 'incident'
    query_field = 'title'
    sort_field = None          # filter_items sorts (created_at, or sort_by)
    operations = ('list', 'show', 'update')

    def summary(self, stored):
        return f"[#{stored['incident_number']}] {stored['title']}"

    def lookup(self, ctx, object_id, parent=None):
        """By id or, as GET /incidents/{id} allows, by incident number."""
        if object_id.isdigit():
            number = int(object_id)
            stored = next((item for item in ctx.store[self.collection].values() if item['incident_number'] == number), None)
            if stored is None:
                raise ApiError(404, NOT_FOUND)
            return stored
        return super().lookup(ctx, object_id, parent)

    # --- life cycle ---------------------------------------------------------

    def create(self, ctx, data, object_id=None, parent=None):
        raise ValueError('incidents are opened by alert events or seeded')

    def open(self, ctx, service, title, incident_key=None, urgency=None, severity=None, object_id=None, created_at=None):
        """A new triggered incident on a service, assigned by the first rule of the service's escalation policy."""
        moment = created_at or utc_text(now())
        policy_id = service['escalation_policy_id']
        stored = {
            'id': self.new_id(ctx, object_id),
            'incident_number': ctx.store.next_number(self.collection),
            'title': title,
            'created_at': moment,
            'updated_at': moment,
            'status': 'triggered',
            'incident_key': incident_key or uuid.uuid4().hex,
            'service_id': service['id'],
            'escalation_policy_id': policy_id,
            'escalation_level': 1,
            'assignments': [{'at': moment, 'user_id': user_id} for user_id in policy_assignees(ctx, policy_id)],
            'assigned_via': 'escalation_policy',
            'acknowledgements': [],
            'last_status_change_at': moment,
            'last_status_change_by': ('service', service['id']),
            'resolved_at': None,
            'resolution': None,
            'urgency': urgency or urgency_for(service, severity),
            'priority_id': None,
            'conference_bridge': None,
            'first_trigger_log_entry_id': ctx.store.new_id(),
        }
        ctx.store[self.collection].put(stored)
        ctx.store[SERVICES.collection].put(dict(service, last_incident_timestamp=moment))
        return stored

    @staticmethod
    def _status_changed(stored, status, agent, moment):
        stored.update(status=status, last_status_change_at=moment, last_status_change_by=agent, updated_at=moment)

    def acknowledge(self, stored, agent, moment):
        """Acknowledge a triggered incident (an acknowledged one stays as it is)."""
        if stored['status'] == 'triggered':
            stored['acknowledgements'] = stored['acknowledgements'] + [{'at': moment, 'agent': agent}]
            self._status_changed(stored, 'acknowledged', agent, moment)

    def resolve(self, ctx, stored, agent, moment, resolution=None):
        """Resolve the incident and its open alerts; a resolved incident has no assignments or acknowledgements."""
        if stored['status'] == 'resolved':
            return
        stored.update(assignments=[], acknowledgements=[], resolved_at=moment, resolution=resolution)
        self._status_changed(stored, 'resolved', agent, moment)
        for alert in ALERTS.children(ctx, stored):
            if alert['status'] == 'triggered':
                ctx.store[ALERTS.collection].put(dict(alert, status='resolved', resolved_at=moment))

    def _assign(self, ctx, stored, moment, user_ids=None, policy_id=None, level=1):
        """Assign directly to users, or through a level of an escalation policy (the incident's by default)."""
        if user_ids is not None:
            stored['assigned_via'] = 'direct_assignment'
        else:
            stored['escalation_policy_id'] = policy_id or stored['escalation_policy_id']
            stored['escalation_level'] = level
            stored['assigned_via'] = 'escalation_policy'
            user_ids = policy_assignees(ctx, stored['escalation_policy_id'], level)
        stored['assignments'] = [{'at': moment, 'user_id': user_id} for user_id in user_ids]

    def update(self, ctx, stored, data):
        """PUT /incidents/{id}: everything is checked before anything changes."""
        user = acting_user(ctx, ctx.request)
        agent = ('user', user['id']) if user else ('service', stored['service_id'])
        change = self._check_update(ctx, stored, data)
        moment = utc_text(now())
        for field in ('title', 'urgency', 'priority_id', 'service_id', 'conference_bridge'):
            if field in change:
                stored[field] = change[field]
        status, current = change.get('status'), stored['status']
        reassign = any(field in change for field in ('user_ids', 'policy_id', 'level'))
        assignment = {'user_ids': change.get('user_ids'), 'policy_id': change.get('policy_id'),
                      'level': change.get('level', 1 if 'policy_id' in change else stored['escalation_level'])}
        if status == 'resolved':
            self.resolve(ctx, stored, agent, moment, data.get('resolution'))
        elif current == 'resolved' and status in OPEN_STATUSES:
            # Reopening: to triggered through the request's assignees or policy (else the incident's policy);
            # to acknowledged by the acting user, who gets the incident.
            stored.update(resolved_at=None, resolution=None, acknowledgements=[])
            if status == 'acknowledged' and user is not None and not reassign:
                assignment = {'user_ids': [user['id']]}
            self._assign(ctx, stored, moment, **assignment)
            self._status_changed(stored, status, agent, moment)
            if status == 'acknowledged':
                stored['acknowledgements'] = [{'at': moment, 'agent': agent}]
        else:
            if reassign:
                # A reassigned incident pages its new assignees: it is triggered again.
                self._assign(ctx, stored, moment, **assignment)
                if current == 'acknowledged' and status != 'acknowledged':
                    stored['acknowledgements'] = []
                    self._status_changed(stored, 'triggered', agent, moment)
            if status == 'acknowledged':
                self.acknowledge(stored, agent, moment)
            elif status == 'triggered' and stored['status'] == 'acknowledged':
                stored['acknowledgements'] = []
                self._status_changed(stored, 'triggered', agent, moment)
        stored['updated_at'] = moment
        return stored

    def _check_update(self, ctx, stored, data):
        """The checked changes of a PUT: {field: value}, with user_ids / policy_id / level for reassignments."""
        change = {}
        if data.get('type', 'incident') not in ('incident', 'incident_reference'):
            raise invalid_input('Type must be incident or incident_reference')
        if 'status' in data:
            if data['status'] not in STATUSES:
                raise invalid_input(f"Status must be one of {', '.join(STATUSES)}")
            change['status'] = data['status']
        if 'title' in data:
            check_text(data, 'title', 'Title', required=True)
            change['title'] = data['title']
        if 'urgency' in data:
            if data['urgency'] not in URGENCIES:
                raise invalid_input(f"Urgency must be one of {', '.join(URGENCIES)}")
            change['urgency'] = data['urgency']
        if data.get('priority') is not None:
            change['priority_id'] = PRIORITIES.find(ctx, data['priority'])
        if data.get('service') is not None:
            change['service_id'] = SERVICES.existing_ids(ctx, [data['service']])[0]
        if 'conference_bridge' in data:
            if data['conference_bridge'] is not None and not isinstance(data['conference_bridge'], dict):
                raise invalid_input('Conference bridge must be an object')
            change['conference_bridge'] = data['conference_bridge']
        if 'resolution' in data and data['resolution'] is not None and not isinstance(data['resolution'], str):
            raise invalid_input('Resolution must be a string')
        self._check_reassignment(ctx, stored, data, change)
        return change

    @staticmethod
    def _check_reassignment(ctx, stored, data, change):
        if data.get('assignments') is not None and data.get('escalation_policy') is not None:
            raise invalid_input('Assignments cannot be given together with an escalation policy')
        if data.get('assignments') is not None:
            assignments = data['assignments']
            if not isinstance(assignments, list) or not assignments or not all(isinstance(item, dict) for item in assignments):
                raise invalid_input('Assignments must be a list of {"assignee": <user reference>}')
            change['user_ids'] = USERS.existing_ids(ctx, [item.get('assignee') for item in assignments])
        if data.get('escalation_policy') is not None:
            change['policy_id'] = ESCALATION_POLICIES.existing_ids(ctx, [data['escalation_policy']])[0]
        if data.get('escalation_level') is not None:
            level = data['escalation_level']
            policy = ctx.store[ESCALATION_POLICIES.collection].get(change.get('policy_id', stored['escalation_policy_id']))
            levels = len(policy['escalation_rules']) if policy else 0
            if not is_int(level) or not 1 <= level <= levels:
                raise invalid_input(f'Escalation level must be an integer from 1 to {levels}')
            if 'user_ids' in change:
                raise invalid_input('Assignments cannot be given together with an escalation level')
            change['level'] = level
        reassigning = any(field in change for field in ('user_ids', 'policy_id', 'level'))
        if reassigning and change.get('status', stored['status']) == 'resolved':
            raise invalid_input('A resolved incident cannot be reassigned')

    def seed(self, ctx, item):
        """A seeded incident: {"service": id or name, "title", "status", "urgency", "incident_key", "priority",
        "created_at", "id"}; acknowledged ones are acknowledged by their first assignee."""
        service_name = item.get('service')
        service_name = service_name.get('id') if isinstance(service_name, dict) else service_name
        services = ctx.store[SERVICES.collection]
        service = services.get(service_name) or services.find_unique(service_name)
        if service is None:
            raise ValueError(f'incident service {service_name!r} not found')
        check_text(item, 'title', 'Title', required=True)
        status = item.get('status', 'triggered')
        if status not in STATUSES or item.get('urgency', 'high') not in URGENCIES:
            raise ValueError(f"an incident's status must be one of {', '.join(STATUSES)} and its urgency high or low")
        created_at = utc_text(parse_time_input(item['created_at'], 'created_at')) if item.get('created_at') else None
        stored = dict(self.open(ctx, service, item['title'], item.get('incident_key'), item.get('urgency'),
                                object_id=item.get('id'), created_at=created_at))
        if item.get('priority') is not None:
            stored['priority_id'] = PRIORITIES.find(ctx, item['priority'])
        moment = stored['created_at']
        first_user = stored['assignments'][0]['user_id'] if stored['assignments'] else None
        agent = ('user', first_user) if first_user else ('service', service['id'])
        if status == 'acknowledged':
            self.acknowledge(stored, agent, moment)
        elif status == 'resolved':
            self.resolve(ctx, stored, agent, moment)
        ctx.store[self.collection].put(stored)
        return stored

    # --- lists ------------------------------------------------------------------

    def team_ids_of(self, ctx, stored):
        policy = ctx.store[ESCALATION_POLICIES.collection].get(stored['escalation_policy_id'])
        return list(policy['team_ids']) if policy else []

    @staticmethod
    def _window(ctx):
        """(since, until) of GET /incidents: one month up to now by default; since alone runs to now, until alone
        starts a month before it; at most 6 months."""
        since_text, until_text = ctx.query_value('since'), ctx.query_value('until')
        until = parse_time_input(until_text, 'until') if until_text else now()
        since = parse_time_input(since_text, 'since') if since_text else until - DEFAULT_WINDOW
        if until < since:
            raise invalid_input('until cannot be before since')
        if until - since > MAX_WINDOW:
            raise invalid_input('The date range (since to until) cannot be longer than 6 months')
        return since, until

    def filter_items(self, ctx, items, query):
        query_time_zone(ctx, 'Etc/UTC')
        if first(query, 'date_range') not in (None, 'all'):
            raise invalid_input('date_range must be all')
        if first(query, 'date_range') != 'all':
            since, until = self._window(ctx)
            items = [item for item in items if since <= parse_time_input(item['created_at'], 'created_at') <= until]
        for name, allowed in (('statuses', STATUSES), ('urgencies', URGENCIES)):
            unknown = wanted_ids(query, name) - set(allowed)
            if unknown:
                raise invalid_input(f"{name}[] must be among {', '.join(allowed)}")
        filters = (
            ('statuses', lambda item, wanted: item['status'] in wanted),
            ('urgencies', lambda item, wanted: item['urgency'] in wanted),
            ('service_ids', lambda item, wanted: item['service_id'] in wanted),
            ('team_ids', lambda item, wanted: bool(wanted.intersection(self.team_ids_of(ctx, item)))),
            ('user_ids', lambda item, wanted: item['status'] in OPEN_STATUSES
             and any(assignment['user_id'] in wanted for assignment in item['assignments'])),
        )
        for name, keep in filters:
            wanted = wanted_ids(query, name)
            if wanted:
                items = [item for item in items if keep(item, wanted)]
        key = first(query, 'incident_key')
        if key:
            items = [item for item in items
                     if item['incident_key'] == key or any(alert['alert_key'] == key for alert in ALERTS.children(ctx, item))]
        return self._sorted(items, first(query, 'sort_by'))

    @staticmethod
    def _sorted(items, sort_by):
        """created_at ascending (then incident_number), or up to two sort_by fields "field[:asc|desc]"."""
        order = [('created_at', 'asc')]
        if sort_by:
            order = []
            for part in sort_by.split(','):
                field, dummy, direction = part.strip().partition(':')
                direction = direction or 'asc'
                if field not in SORT_FIELDS or direction not in ('asc', 'desc'):
                    raise invalid_input(f"sort_by must be up to two of {', '.join(SORT_FIELDS)}, each with :asc or :desc")
                order.append((field, direction))
            if len(order) > 2:
                raise invalid_input('sort_by takes at most two fields')
        items = sorted(items, key=lambda item: item['incident_number'])
        for field, direction in reversed(order):
            # Stable sorts, least significant field first; a null resolved_at (an open incident) comes last.
            present = sorted((item for item in items if item[field] is not None), key=lambda item, field=field: item[field],
                             reverse=direction == 'desc')
            items = present + [item for item in items if item[field] is None]
        return items

    # --- rendering --------------------------------------------------------------

    def render(self, ctx, stored, includes=()):
        alerts = ALERTS.children(ctx, stored)
        triggered = sum(1 for alert in alerts if alert['status'] == 'triggered')
        users_full = bool({'assignees', 'users'} & set(includes))
        log_entry = stored['first_trigger_log_entry_id']
        rendered = {
            **self.header(ctx, stored),
            'incident_number': stored['incident_number'],
            'title': stored['title'],
            'created_at': stored['created_at'],
            'updated_at': stored['updated_at'],
            'status': stored['status'],
            'incident_key': stored['incident_key'],
            'service': SERVICES.expand_id(ctx, stored['service_id'], 'services' in includes),
            'assignments': [{'at': assignment['at'], 'assignee': USERS.expand_id(ctx, assignment['user_id'], users_full)}
                            for assignment in stored['assignments']],
            'assigned_via': stored['assigned_via'],
            'last_status_change_at': stored['last_status_change_at'],
            'last_status_change_by': agent_reference(ctx, stored['last_status_change_by'], 'agents' in includes),
            'resolved_at': stored['resolved_at'],
            'first_trigger_log_entry': {
                'id': log_entry, 'type': 'trigger_log_entry_reference', 'summary': TRIGGER_LOG_SUMMARY,
                'self': f'{ctx.base_url}/log_entries/{log_entry}', 'html_url': f"{HTML_BASE}/incidents/{stored['id']}/log_entries/{log_entry}",
            },
            'alert_counts': {'all': len(alerts), 'triggered': triggered, 'resolved': len(alerts) - triggered},
            'is_mergeable': True,
            'incident_type': {'name': DEFAULT_INCIDENT_TYPE},
            'escalation_policy': ESCALATION_POLICIES.expand_id(ctx, stored['escalation_policy_id'], 'escalation_policies' in includes),
            'teams': [TEAMS.expand_id(ctx, team_id, 'teams' in includes) for team_id in self.team_ids_of(ctx, stored)],
            'pending_actions': [],
            'acknowledgements': [{'at': ack['at'], 'acknowledger': agent_reference(ctx, ack['agent'], 'acknowledgers' in includes)}
                                 for ack in stored['acknowledgements']],
            'alert_grouping': None,
            'priority': PRIORITIES.expand_id(ctx, stored['priority_id'], 'priorities' in includes),
            'resolve_reason': None,
            'urgency': stored['urgency'],
        }
        if 'conference_bridge' in includes:
            rendered['conference_bridge'] = stored['conference_bridge']
        return rendered


# --- alerts (nested under an incident) ---------------------------------------------------------

class Alerts(Resource):
    collection = 'alerts'
    wrapper = 'alert'
    type_name = 'alert'
    summary_field = 'summary'
    parent_field = 'incident_id'
    sort_field = None
    operations = ('list', 'show')

    def html_url(self, stored):
        return f"{HTML_BASE}/alerts/{stored['id']}"

    def create(self, ctx, data, object_id=None, parent=None):
        """An alert of an event (``data``: integration, alert_key, summary, severity, details, contexts)."""
        if parent is None:
            raise ValueError('an alert needs its incident')
        stored = {
            'id': self.new_id(ctx, object_id),
            'incident_id': parent['id'],
            'service_id': parent['service_id'],
            'integration_id': data['integration_id'],
            'alert_key': data['alert_key'],
            'summary': data['summary'],
            'severity': data['severity'],
            'details': data.get('details'),
            'contexts': data.get('contexts') or [],
            'status': 'triggered',
            'created_at': parent['created_at'],
            'resolved_at': None,
            'triggers': 1,
        }
        ctx.store[self.collection].put(stored)
        return stored

    def open_alert(self, ctx, integration_id, alert_key):
        """The open (triggered) alert of an integration with this dedup key, or None."""
        return next((alert for alert in ctx.store[self.collection].values() if alert['status'] == 'triggered'
                     and alert['integration_id'] == integration_id and alert['alert_key'] == alert_key), None)

    def filter_items(self, ctx, items, query):
        key = first(query, 'alert_key')
        if key:
            items = [item for item in items if item['alert_key'] == key]
        statuses = wanted_ids(query, 'statuses')
        if statuses:
            items = [item for item in items if item['status'] in statuses]
        return items

    def render(self, ctx, stored, includes=()):
        return {
            **self.header(ctx, stored),
            'created_at': stored['created_at'],
            'status': stored['status'],
            'alert_key': stored['alert_key'],
            'service': SERVICES.expand_id(ctx, stored['service_id'], 'services' in includes),
            'incident': INCIDENTS.reference_by_id(ctx, stored['incident_id']),
            'suppressed': False,
            'severity': stored['severity'],
            'integration': INTEGRATIONS.reference_by_id(ctx, stored['integration_id']),
            'body': {'type': 'alert_body', 'contexts': stored['contexts'], 'details': stored['details']},
        }


# --- notes (nested under an incident) ----------------------------------------------------------

class IncidentNotes(Resource):
    collection = 'notes'
    wrapper = 'note'
    type_name = 'note'
    parent_field = 'incident_id'
    sort_field = None
    paginated = False
    operations = ('list',)   # POST answers 200 (create_note)

    def create(self, ctx, data, object_id=None, parent=None, user=None):
        if parent is None:
            raise ValueError('a note needs its incident')
        check_text(data, 'content', 'Content', required=True)
        if len(self.children(ctx, parent)) >= MAX_NOTES:
            raise invalid_input(f'An incident can have at most {MAX_NOTES} notes')
        moment = utc_text(now())
        stored = {'id': self.new_id(ctx, object_id), 'incident_id': parent['id'], 'user_id': user['id'] if user else None,
                  'content': data['content'], 'created_at': moment, 'updated_at': moment}
        ctx.store[self.collection].put(stored)
        return stored

    def render(self, ctx, stored, includes=()):
        return {
            'id': stored['id'],
            'user': USERS.expand_id(ctx, stored['user_id']),
            'channel': {'summary': NOTE_CHANNEL},
            'content': stored['content'],
            'created_at': stored['created_at'],
            'updated_at': stored['updated_at'],
        }


PRIORITIES = Priorities()
INCIDENTS = Incidents()
ALERTS = Alerts(parent=INCIDENTS)
NOTES = IncidentNotes(parent=INCIDENTS)


def create_note(ctx, request):
    """POST /incidents/{id}/notes: 200 with the note, written by the acting user (the From rule)."""
    incident = INCIDENTS.lookup(ctx, request.params[0])
    user = acting_user(ctx, request)
    stored = NOTES.create(ctx, wrapped_body(NOTES, request.body), parent=incident, user=user)
    return 200, {'note': NOTES.render(ctx, stored)}


ROUTES = [
    Route('POST', '/incidents/{id}/notes', create_note),
]
