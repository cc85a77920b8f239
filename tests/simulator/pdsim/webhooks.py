"""v3 webhook subscriptions: /webhook_subscriptions, /webhook_subscriptions/{id} and its /enable and /ping.

A subscription has a delivery method (an HTTP URL, optional custom headers and a signing secret), the
event types it sends and a filter (the account, one service or one team). The signing secret is made
on create and shown only in the create answer; custom header values are shown redacted. PUT cannot
change the delivery method. A subscription PagerDuty disabled after failed deliveries
(``delivery_method.temporarily_disabled``) is enabled again by ``POST .../enable``.
"""

import secrets
from urllib.parse import urlsplit

from pdsim.core import Resource, Route, check_text, first, invalid_input, paginated_answer
from pdsim.services import SERVICES
from pdsim.teams import TEAMS

# The event types of the developer docs (Webhooks, Overview, "Event Types").
EVENT_TYPES = (
    'incident.acknowledged', 'incident.annotated', 'incident.conference_bridge.updated', 'incident.custom_field_values.updated',
    'incident.delegated', 'incident.escalated', 'incident.incident_type.changed', 'incident.priority_updated',
    'incident.reassigned', 'incident.reopened', 'incident.resolved', 'incident.responder.added', 'incident.responder.replied',
    'incident.role.assigned', 'incident.service_updated', 'incident.status_update_published', 'incident.task.completed',
    'incident.task.created', 'incident.task.updated', 'incident.triggered', 'incident.unacknowledged',
    'incident.action_invocation.created', 'incident.action_invocation.terminated', 'incident.action_invocation.updated',
    'incident.workflow.started', 'incident.workflow.completed',
    'service.created', 'service.custom_field_values.updated', 'service.deleted', 'service.updated',
)
# filter.type -> the resource it names (None: the account, no id).
FILTER_TYPES = {'account_reference': None, 'service_reference': SERVICES, 'team_reference': TEAMS}
# The list's filter_type parameter -> filter.type.
LIST_FILTER_TYPES = {'account': 'account_reference', 'service': 'service_reference', 'team': 'team_reference'}
DELIVERY_TYPE = 'http_delivery_method'
REDACTED = '-- redacted --'  # what the spec's examples show for a header value


def _check_url(url):
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ('http', 'https') or not parts.hostname:
        raise invalid_input('Delivery method url must be an http or https URL')


def _check_headers(headers):
    if not isinstance(headers, list):
        raise invalid_input('Custom headers must be a list of objects with a name and a value')
    names = set()
    for header in headers:
        if not isinstance(header, dict) or not isinstance(header.get('name'), str) or not header['name'].strip() \
                or not isinstance(header.get('value'), str):
            raise invalid_input('Custom headers must be a list of objects with a name and a value')
        if header['name'].casefold() in names:
            raise invalid_input(f"Custom header names must be unique: {header['name']!r} is given twice")
        names.add(header['name'].casefold())
    return [{'name': header['name'], 'value': header['value']} for header in headers]


def _check_events(events):
    if not isinstance(events, list) or not events:
        raise invalid_input('Events must be a non-empty list of event types')
    unknown = [event for event in events if event not in EVENT_TYPES]
    if unknown:
        raise invalid_input(f"Events has unknown event types: {', '.join(map(str, unknown))}")
    if len(set(events)) != len(events):
        raise invalid_input('Events must not repeat an event type')
    return list(events)


def _check_filter(ctx, value):
    if not isinstance(value, dict) or value.get('type') not in FILTER_TYPES:
        raise invalid_input(f"Filter type must be one of {', '.join(FILTER_TYPES)}")
    resource = FILTER_TYPES[value['type']]
    if resource is None:
        return {'type': value['type']}
    if not isinstance(value.get('id'), str) or not value['id']:
        raise invalid_input(f"Filter id is required for the filter type {value['type']}")
    if ctx.store[resource.collection].get(value['id']) is None:
        raise invalid_input(f"Filter {resource.type_name} {value['id']} not found")
    return {'type': value['type'], 'id': value['id']}


class WebhookSubscriptions(Resource):
    collection = 'webhook_subscriptions'
    wrapper = 'webhook_subscription'
    type_name = 'webhook_subscription'
    sort_field = None      # creation order
    summary_field = 'description'
    create_status = 200    # the spec's answer to the POST
    operations = ('create', 'show', 'update', 'delete')  # the list is list_subscriptions (its own filters)

    def _check_common(self, ctx, data, stored=None):
        """The fields POST and PUT share; returns them checked, only those given."""
        fields = {}
        if data.get('type', self.type_name) != self.type_name:
            raise invalid_input(f'Type must be {self.type_name}')
        check_text(data, 'description', 'Description', nullable=True)
        if 'description' in data:
            fields['description'] = data['description']
        if 'events' in data or stored is None:
            fields['events'] = _check_events(data.get('events'))
        if 'filter' in data or stored is None:
            fields['filter'] = _check_filter(ctx, data.get('filter'))
        if 'active' in data:
            if not isinstance(data['active'], bool):
                raise invalid_input('Active must be true or false')
            fields['active'] = data['active']
        return fields

    def create(self, ctx, data, object_id=None, parent=None):
        method = data.get('delivery_method')
        if not isinstance(method, dict):
            raise invalid_input("Delivery method can't be blank")
        if method.get('type', DELIVERY_TYPE) != DELIVERY_TYPE:
            raise invalid_input(f'Delivery method type must be {DELIVERY_TYPE}')
        _check_url(method.get('url'))
        headers = _check_headers(method.get('custom_headers') or [])
        fields = self._check_common(ctx, data)
        stored = {
            'id': self.new_id(ctx, object_id),
            'delivery_method_id': ctx.store.new_id(),
            'url': method['url'],
            'custom_headers': headers,
            'secret': method.get('secret') or secrets.token_urlsafe(32),
            'temporarily_disabled': bool(method.get('temporarily_disabled', False)),
            'description': None,
            'active': True,
        }
        stored.update(fields)
        ctx.store[self.collection].put(stored)
        # Only the answer to the create shows the secret: the stored object never does.
        return dict(stored, _fresh=True)

    def update(self, ctx, stored, data):
        if 'delivery_method' in data:
            raise invalid_input('The delivery method of a webhook subscription cannot be updated')
        stored.update(self._check_common(ctx, data, stored))
        return stored

    def render(self, ctx, stored, includes=()):
        return {
            'id': stored['id'],
            'type': self.type_name,
            'active': stored['active'],
            'delivery_method': {
                'id': stored['delivery_method_id'],
                'secret': stored['secret'] if stored.get('_fresh') else None,
                'temporarily_disabled': stored['temporarily_disabled'],
                'type': DELIVERY_TYPE,
                'url': stored['url'],
                'custom_headers': [{'name': header['name'], 'value': REDACTED} for header in stored['custom_headers']],
            },
            'description': stored['description'],
            'events': list(stored['events']),
            'filter': dict(stored['filter']),
        }

    def seed(self, ctx, item):
        """A seeded subscription has the API's fields; ``delivery_method.temporarily_disabled: true`` sets up one
        PagerDuty disabled, and a bare id as ``filter.id`` with ``filter.type``."""
        stored = self.create(ctx, item, object_id=item.pop('id', None))
        stored.pop('_fresh')
        return stored


WEBHOOK_SUBSCRIPTIONS = WebhookSubscriptions()


def list_subscriptions(ctx, request):
    """GET /webhook_subscriptions: filter_type (account, service, team) and filter_id narrow the list."""
    items = WEBHOOK_SUBSCRIPTIONS.children(ctx, None)
    filter_type, filter_id = first(request.query, 'filter_type'), first(request.query, 'filter_id')
    if filter_type is not None:
        if filter_type not in LIST_FILTER_TYPES:
            raise invalid_input(f"filter_type must be one of {', '.join(LIST_FILTER_TYPES)}")
        if filter_type != 'account' and not filter_id:
            raise invalid_input(f'filter_id is required when filter_type is {filter_type}')
        wanted = LIST_FILTER_TYPES[filter_type]
        items = [item for item in items if item['filter']['type'] == wanted and (filter_type == 'account' or item['filter'].get('id') == filter_id)]
    return paginated_answer(WEBHOOK_SUBSCRIPTIONS.collection, items, request.query, lambda item: WEBHOOK_SUBSCRIPTIONS.render(ctx, item))


def enable_subscription(ctx, request):
    """POST /webhook_subscriptions/{id}/enable: no longer temporarily disabled; answers the subscription."""
    stored = WEBHOOK_SUBSCRIPTIONS.lookup(ctx, request.params[0])
    stored['temporarily_disabled'] = False
    return 200, {WEBHOOK_SUBSCRIPTIONS.wrapper: WEBHOOK_SUBSCRIPTIONS.render(ctx, stored)}


def ping_subscription(ctx, request):
    """POST /webhook_subscriptions/{id}/ping: 202 with no body (nothing is delivered by the simulator)."""
    WEBHOOK_SUBSCRIPTIONS.lookup(ctx, request.params[0])
    return 202, None


ROUTES = [
    Route('GET', '/webhook_subscriptions', list_subscriptions),
    Route('POST', '/webhook_subscriptions/{id}/enable', enable_subscription),
    Route('POST', '/webhook_subscriptions/{id}/ping', ping_subscription),
]
