"""The Events API v2 (events.pagerduty.com), served by the same listener under ``/events``, and the REST reads of
the change events it stores.

``POST /events/v2/enqueue`` takes alert events (trigger, acknowledge, resolve) for the service whose Events API v2
integration has the event's ``routing_key``: a trigger opens an alert and its incident (``pdsim.incidents``) or
is added to the open alert with the same ``dedup_key``; acknowledge and resolve act on that open alert's incident.
``POST /events/v2/change/enqueue`` stores a change event on the service, read back with ``GET /change_events``,
``GET /change_events/{id}`` and ``GET /services/{id}/change_events``.

The server (``pdsim.server``) routes every ``/events`` request to ``answer_event`` without REST authentication,
Accept check or spec validation, and logs it like a REST request.  Events are limited per routing key over a
sliding 60-second window (``EventRateLimiter``).
"""

import collections
import datetime
import http
import json
import random
import re
import string
import time
import uuid

from pdsim.core import Resource, Route, invalid_input, now, paginated_answer, utc_text, wanted_ids
from pdsim.event_orchestrations import router_target
from pdsim.incidents import ALERTS, INCIDENTS
from pdsim.render import parse_time
from pdsim.schedules import parse_time_input
from pdsim.services import INTEGRATIONS, SERVICES

EVENTS_PREFIX = '/events'
ALERT_PATH = '/events/v2/enqueue'
CHANGE_PATH = '/events/v2/change/enqueue'
EVENTS_V2_INTEGRATION = 'events_api_v2_inbound_integration'
EVENT_ACTIONS = ('trigger', 'acknowledge', 'resolve')
SEVERITIES = ('critical', 'warning', 'error', 'info')
MAX_BODY_BYTES = 512 * 1024
MAX_SUMMARY = 1024
MAX_DEDUP_KEY = 255
ROUTING_KEY_LENGTH = 32
DEFAULT_RATE_LIMIT = 120   # events per routing key in a 60-second window looking back from now
RATE_WINDOW = 60.0
ALPHANUMERIC = re.compile(r'^[A-Za-z0-9]*$')

INVALID_EVENT = {'status': 'invalid event', 'message': 'Event object is invalid'}
UNRECOGNIZED = {'status': 'Unrecognized object', 'message': 'Event object format is unrecognized', 'errors': ['JSON parse error']}
THROTTLED = {'status': 'throttle event', 'message': 'Requests for this service are arriving too quickly. Please retry later.'}
# The recorded answers to a malformed routing key.
ROUTING_KEY_LENGTH_ERROR = "Length of 'routing_key' is incorrect (should be 32 characters)"
ROUTING_KEY_CHARACTERS_ERROR = "'routing_key' cannot contain non-alphanumeric characters."
UNKNOWN_ROUTING_KEY = 'Invalid routing key'


class EventRateLimiter:
    """At most ``limit`` events per routing key in the ``RATE_WINDOW`` seconds before each event."""

    def __init__(self, limit=DEFAULT_RATE_LIMIT):
        self.limit = limit
        self._times = collections.defaultdict(collections.deque)

    def allow(self, routing_key):
        """Count an event of the key; False (and not counted) when the window is full."""
        moment = time.monotonic()
        times = self._times[routing_key]
        while times and moment - times[0] >= RATE_WINDOW:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(moment)
        return True


def fault_body(status):
    """The body of a fault on an /events path (the Events API's error shape)."""
    if status == 429:
        return dict(THROTTLED)
    return {'status': 'error', 'message': http.HTTPStatus(status).phrase}


def invalid_event(errors):
    return dict(INVALID_EVENT, errors=list(errors))


# --- validation ------------------------------------------------------------------------------

def _blank(value):
    return not isinstance(value, str) or not value.strip()


def routing_key_errors(body):
    key = body.get('routing_key')
    if _blank(key):
        return ["'routing_key' is missing or blank."]
    errors = []
    if len(key) != ROUTING_KEY_LENGTH:
        errors.append(ROUTING_KEY_LENGTH_ERROR)
    if not ALPHANUMERIC.match(key):
        errors.append(ROUTING_KEY_CHARACTERS_ERROR)
    return errors


def _summary_errors(payload):
    if _blank(payload.get('summary')):
        return ["'payload.summary' is missing or blank."]
    if len(payload['summary']) > MAX_SUMMARY:
        return [f"'payload.summary' is too long (at most {MAX_SUMMARY} characters)."]
    return []


def _optional_errors(payload):
    errors = []
    if payload.get('timestamp') is not None:
        try:
            parse_time(payload['timestamp'])
        except (TypeError, ValueError):
            errors.append("'payload.timestamp' is not an ISO 8601 date-time.")
    if payload.get('custom_details') is not None and not isinstance(payload['custom_details'], dict):
        errors.append("'payload.custom_details' must be an object.")
    return errors


def _context_errors(body, name, required):
    items = body.get(name)
    if items is None:
        return []
    if not isinstance(items, list):
        return [f"'{name}' must be a list."]
    return [f"'{name}[{index}].{required}' is missing or blank." for index, item in enumerate(items)
            if not isinstance(item, dict) or _blank(item.get(required))]


def _payload(body, required):
    payload = body.get('payload')
    if payload is None and not required:
        return None, []
    if not isinstance(payload, dict):
        return None, ["'payload' is missing or not an object."]
    return payload, []


def alert_event_errors(body):
    """What the Events API refuses in an alert event (empty: valid)."""
    errors = routing_key_errors(body)
    action = body.get('event_action')
    if action not in EVENT_ACTIONS:
        errors.append(f"'event_action' must be one of {', '.join(EVENT_ACTIONS)}.")
    key = body.get('dedup_key')
    if key is not None and not isinstance(key, str):
        errors.append("'dedup_key' must be a string.")
    elif key is not None and len(key) > MAX_DEDUP_KEY:
        errors.append(f"'dedup_key' is too long (at most {MAX_DEDUP_KEY} characters).")
    elif action in ('acknowledge', 'resolve') and _blank(key):
        errors.append("'dedup_key' is required for acknowledge and resolve events.")
    payload, problems = _payload(body, action == 'trigger')
    errors += problems
    if payload is not None and action == 'trigger':
        errors += _summary_errors(payload)
        if _blank(payload.get('source')):
            errors.append("'payload.source' is missing or blank.")
        if payload.get('severity') not in SEVERITIES:
            errors.append(f"'payload.severity' must be one of {', '.join(SEVERITIES)}.")
        errors += _optional_errors(payload)
    return errors + _context_errors(body, 'links', 'href') + _context_errors(body, 'images', 'src')


def change_event_errors(body):
    """What the Events API refuses in a change event (empty: valid)."""
    errors = routing_key_errors(body)
    payload, problems = _payload(body, True)
    errors += problems
    if payload is not None:
        errors += _summary_errors(payload)
        if payload.get('source') is not None and not isinstance(payload['source'], str):
            errors.append("'payload.source' must be a string.")
        errors += _optional_errors(payload)
    return errors + _context_errors(body, 'links', 'href')


# --- processing ------------------------------------------------------------------------------

def find_integration(ctx, routing_key):
    """The Events API v2 integration whose integration_key is the routing key, or None."""
    return next((integration for integration in ctx.store[INTEGRATIONS.collection].values()
                 if integration['type'] == EVENTS_V2_INTEGRATION and integration.get('integration_key') == routing_key), None)


def _contexts(body):
    """An alert body's contexts: the event's links and images."""
    return ([dict(link, type='link') for link in body.get('links') or []]
            + [dict(image, type='image') for image in body.get('images') or []])


def process_alert_event(ctx, integration, body):
    """Apply a valid alert event; answer its dedup_key."""
    action = body['event_action']
    key = body.get('dedup_key') or str(uuid.uuid4())
    alert = ALERTS.open_alert(ctx, integration['id'], key)
    service = ctx.store[SERVICES.collection].get(integration['service_id'])
    if action == 'trigger':
        if alert is not None:
            ctx.store[ALERTS.collection].put(dict(alert, triggers=alert['triggers'] + 1))
        elif SERVICES.status_of(ctx, service) == 'active':
            # A disabled service, or one in maintenance, takes the event and opens nothing.
            payload = body['payload']
            incident = INCIDENTS.open(ctx, service, payload['summary'], key, severity=payload['severity'])
            ALERTS.create(ctx, {'integration_id': integration['id'], 'alert_key': key, 'summary': payload['summary'],
                                'severity': payload['severity'], 'details': payload.get('custom_details'),
                                'contexts': _contexts(body)}, parent=incident)
        return key
    if alert is None:
        return key  # acknowledge/resolve without an open alert: dropped
    incident = dict(ctx.store[INCIDENTS.collection].get(alert['incident_id']))
    agent, moment = ('service', service['id']), utc_text(now())
    if action == 'acknowledge':
        INCIDENTS.acknowledge(incident, agent, moment)
    else:
        INCIDENTS.resolve(ctx, incident, agent, moment)
    ctx.store[INCIDENTS.collection].put(incident)
    return key


def answer_event(ctx, limiter, method, path, raw):
    """An Events API request: (status, body, the texts to log as spec violations)."""
    if path not in (ALERT_PATH, CHANGE_PATH):
        text = f'{method} {path} is not an Events API v2 endpoint'
        return 404, {'status': 'not found', 'message': text}, [text]
    if method != 'POST':
        text = f'{path} accepts POST only'
        return 405, {'status': 'method not allowed', 'message': text}, [text]
    if len(raw) > MAX_BODY_BYTES:
        errors = ['Event object is larger than 512 KB.']
        return 400, invalid_event(errors), errors
    try:
        body = json.loads(raw.decode('utf-8'))
    except (UnicodeDecodeError, ValueError):
        return 400, dict(UNRECOGNIZED), ['the request body is not valid JSON']
    if not isinstance(body, dict):
        errors = ['The event must be a JSON object.']
        return 400, invalid_event(errors), errors
    errors = alert_event_errors(body) if path == ALERT_PATH else change_event_errors(body)
    if errors:
        return 400, invalid_event(errors), errors
    integration = find_integration(ctx, body['routing_key'])
    orchestration_integration, service_id = (None, None) if integration else router_target(ctx, body['routing_key'])
    if integration is None and orchestration_integration is None:
        return 400, invalid_event([UNKNOWN_ROUTING_KEY]), []
    if not limiter.allow(body['routing_key']):
        return 429, dict(THROTTLED), []
    if integration is None:
        if ctx.store[SERVICES.collection].get(service_id) is None:
            # An orchestration's event that its router sends to no (existing) service: accepted and dropped.
            if path == CHANGE_PATH:
                return 202, {'status': 'success', 'message': 'Change event processed'}, []
            return 202, {'status': 'success', 'message': 'Event processed', 'dedup_key': body.get('dedup_key') or str(uuid.uuid4())}, []
        integration = {'id': orchestration_integration['id'], 'service_id': service_id}
    if path == CHANGE_PATH:
        CHANGE_EVENTS.create(ctx, body, parent=integration)
        return 202, {'status': 'success', 'message': 'Change event processed'}, []
    return 202, {'status': 'success', 'message': 'Event processed', 'dedup_key': process_alert_event(ctx, integration, body)}, []


# --- change events (REST reads) ----------------------------------------------------------------

class ChangeEvents(Resource):
    collection = 'change_events'
    wrapper = 'change_event'
    type_name = 'change_event'
    summary_field = 'summary'
    sort_field = None
    operations = ('show',)   # the lists are list_change_events

    def new_id(self, ctx, object_id=None):
        """26 characters, like the ids of the spec's examples."""
        if object_id is None:
            while True:
                object_id = '01' + ''.join(random.choices(string.ascii_uppercase + string.digits, k=24))
                if ctx.store[self.collection].get(object_id) is None:
                    break
        return object_id

    def html_url(self, stored):
        return None

    def create(self, ctx, data, object_id=None, parent=None):
        """A change event of an integration (``parent``) from a valid Events API body."""
        payload = data['payload']
        timestamp = utc_text(parse_time(payload['timestamp'])) if payload.get('timestamp') else utc_text(now())
        stored = {
            'id': self.new_id(ctx, object_id),
            'integration_id': parent['id'],
            'service_id': parent['service_id'],
            'summary': payload['summary'],
            'timestamp': timestamp,
            'source': payload.get('source'),
            'custom_details': payload.get('custom_details') or {},
            'links': [dict(link) for link in data.get('links') or []],
            'received_at': utc_text(now()),
        }
        ctx.store[self.collection].put(stored)
        return stored

    def render(self, ctx, stored, includes=()):
        integration = INTEGRATIONS.reference_by_id(ctx, stored['integration_id'])
        integration['type'] = 'inbound_integration_reference'
        return {
            **self.header(ctx, stored),
            'timestamp': stored['timestamp'],
            'source': stored['source'],
            'integration': integration,
            'services': [SERVICES.reference_by_id(ctx, stored['service_id'])],
            'custom_details': stored['custom_details'],
            'links': stored['links'],
        }


CHANGE_EVENTS = ChangeEvents()


def _utc_parameter(ctx, name):
    """since/until of the change event lists: UTC date-times only."""
    text = ctx.query_value(name)
    if not text:
        return None
    moment = parse_time_input(text, name)
    if not text.strip().endswith(('Z', 'z', '+00:00')):
        raise invalid_input(f'{name} must be a UTC date-time (ending in Z)')
    return moment


def list_change_events(ctx, request):
    """GET /change_events and GET /services/{id}/change_events: newest first, classic pagination."""
    items = ctx.store[CHANGE_EVENTS.collection].values()
    if request.params:
        service = SERVICES.lookup(ctx, request.params[0])
        items = [item for item in items if item['service_id'] == service['id']]
    since, until = _utc_parameter(ctx, 'since'), _utc_parameter(ctx, 'until')
    if since or until:
        start, end = since or datetime.datetime.min.replace(tzinfo=datetime.timezone.utc), until or now()
        items = [item for item in items if start <= parse_time(item['timestamp']) <= end]
    integration_ids, team_ids = wanted_ids(request.query, 'integration_ids'), wanted_ids(request.query, 'team_ids')
    if integration_ids:
        items = [item for item in items if item['integration_id'] in integration_ids]
    if team_ids:
        services = ctx.store[SERVICES.collection]
        items = [item for item in items if services.get(item['service_id']) is not None
                 and team_ids.intersection(SERVICES.team_ids_of(ctx, services.get(item['service_id'])))]
    items = sorted(items, key=lambda item: (item['timestamp'], item['received_at']), reverse=True)
    return paginated_answer('change_events', items, request.query, lambda item: CHANGE_EVENTS.render(ctx, item))


ROUTES = [
    Route('GET', '/change_events', list_change_events),
    Route('GET', '/services/{id}/change_events', list_change_events),
]
