"""Alert grouping settings: /alert_grouping_settings (a cursor-paged list) and /alert_grouping_settings/{id}.

A setting groups the alerts of its services (``service_ids``) by one ``type`` with that type's ``config``.
Only ``content_based`` settings may hold several services (up to 250); a service is in at most one
setting; a deleted service leaves its setting, and a setting left without services is deleted
(``drop_service``, a delete cascade wired in ``pdsim.api``).  The object has no ``summary``, ``self``
or ``html_url``: its ``type`` is the grouping type, as in the spec's ``AlertGroupingSetting``.
"""

import base64
import binascii

from pdsim.core import Resource, Route, check_text, first, invalid_input, is_int, is_true, now, seed_reference, utc_text, wanted_ids
from pdsim.services import SERVICES

GROUPING_TYPES = ('content_based', 'content_based_intelligent', 'intelligent', 'time')
# The config keys each type reads (the spec's four config schemas); readOnly recommended_time_window is answered, not read.
CONFIG_KEYS = {
    'content_based': ('aggregate', 'fields', 'time_window'),
    'content_based_intelligent': ('aggregate', 'fields', 'time_window'),
    'intelligent': ('time_window', 'iag_fields'),
    'time': ('timeout',),
}
AGGREGATES = ('all', 'any')
SINGLE_SERVICE_TYPES = ('content_based_intelligent', 'intelligent', 'time')
MAX_SERVICES = 250
RECOMMENDED_TIME_WINDOW = 300
DEFAULT_LIMIT = 25
MAX_LIMIT = 100


def time_window_allowed(grouping_type, value):
    """0 (use the recommended window) or 300 to 3600 seconds; content_based also takes 86400 (24 hours)."""
    if not is_int(value):
        return False
    return value == 0 or 300 <= value <= 3600 or (grouping_type == 'content_based' and value == 86400)


def check_config(grouping_type, config):
    """The stored config of a type: only that type's keys (others are ignored), each checked."""
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise invalid_input('Config must be an object')
    kept = {key: config[key] for key in CONFIG_KEYS[grouping_type] if key in config and config[key] is not None}
    if grouping_type.startswith('content_based'):
        if kept.get('aggregate') not in AGGREGATES:
            raise invalid_input(f"Config aggregate must be one of {', '.join(AGGREGATES)} for type {grouping_type}")
        fields = kept.get('fields')
        if not isinstance(fields, list) or not fields or not all(isinstance(field, str) and field for field in fields):
            raise invalid_input(f"Config fields can't be blank for type {grouping_type}")
    if 'time_window' in kept and not time_window_allowed(grouping_type, kept['time_window']):
        extra = ' or 86400' if grouping_type == 'content_based' else ''
        raise invalid_input(f'Config time_window must be 0 or from 300 to 3600{extra} for type {grouping_type}')
    if 'timeout' in kept and not (is_int(kept['timeout']) and (kept['timeout'] == 0 or 60 <= kept['timeout'] <= 86400)):
        raise invalid_input('Config timeout must be 0 or from 60 to 86400 for type time')
    if grouping_type == 'intelligent':
        fields = kept.setdefault('iag_fields', ['summary'])
        if not isinstance(fields, list) or not all(isinstance(field, str) and field for field in fields):
            raise invalid_input('Config iag_fields must be a list of field names')
    return kept


def encode_cursor(position):
    return base64.urlsafe_b64encode(f'ags:{position}'.encode()).decode()


def decode_cursor(cursor, name):
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ''
    if not text.startswith('ags:') or not text[4:].isdigit():
        raise invalid_input(f'{name} is not a valid cursor')
    return int(text[4:])


class AlertGroupingSettings(Resource):
    collection = 'alert_grouping_settings'
    wrapper = 'alert_grouping_setting'
    type_name = 'alert_grouping_setting'
    sort_field = None
    operations = ('create', 'show', 'update', 'delete')  # the list is cursor-paged: list_settings below

    # --- validation ---------------------------------------------------------

    def _service_ids(self, ctx, references, grouping_type, own_id):
        if not isinstance(references, list) or not references:
            raise invalid_input("Services can't be blank")
        ids = SERVICES.existing_ids(ctx, references)
        if grouping_type in SINGLE_SERVICE_TYPES and len(ids) > 1:
            raise invalid_input(f'Type {grouping_type} allows only one service')
        if len(ids) > MAX_SERVICES:
            raise invalid_input(f'An alert grouping setting can have at most {MAX_SERVICES} services')
        for setting in ctx.store[self.collection].values():
            if setting['id'] == own_id:
                continue
            for service_id in ids:
                if service_id in setting['service_ids']:
                    raise invalid_input(f"Service {service_id} is already in alert grouping setting {setting['id']} ({setting['name']})")
        return ids

    @staticmethod
    def _check_texts(data):
        check_text(data, 'name', 'Name', nullable=True)
        check_text(data, 'description', 'Description', nullable=True)

    @staticmethod
    def _grouping_type(value):
        if value not in GROUPING_TYPES:
            raise invalid_input(f"Type must be one of {', '.join(GROUPING_TYPES)}")
        return value

    # --- life cycle ---------------------------------------------------------

    def create(self, ctx, data, object_id=None, parent=None):
        self._check_texts(data)
        grouping_type = self._grouping_type(data.get('type'))
        config = check_config(grouping_type, data.get('config'))
        service_ids = self._service_ids(ctx, data.get('services'), grouping_type, None)
        moment = utc_text(now())
        stored = {
            'id': self.new_id(ctx, object_id),
            'name': data.get('name'),
            'description': data.get('description'),
            'grouping_type': grouping_type,
            'config': config,
            'service_ids': service_ids,
            'created_at': moment,
            'updated_at': moment,
        }
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        self._check_texts(data)
        grouping_type = self._grouping_type(data.get('type', stored['grouping_type']))
        config = data['config'] if 'config' in data else stored['config']
        stored['config'] = check_config(grouping_type, config)
        # "if services are not provided in the request, then the existing services will not be removed"
        references = data['services'] if 'services' in data else [{'id': service_id} for service_id in stored['service_ids']]
        stored['service_ids'] = self._service_ids(ctx, references, grouping_type, stored['id'])
        stored['grouping_type'] = grouping_type
        for field in ('name', 'description'):
            if field in data:
                stored[field] = data[field]
        stored['updated_at'] = utc_text(now())
        return stored

    def seed(self, ctx, item):
        """Seeded settings may name their services by bare id."""
        item['services'] = [seed_reference(service, 'service_reference') for service in item.get('services') or []]
        return super().seed(ctx, item)

    def render(self, ctx, stored, includes=()):
        config = dict(stored['config'])
        if 'time_window' in CONFIG_KEYS[stored['grouping_type']]:
            config['recommended_time_window'] = RECOMMENDED_TIME_WINDOW
        return {
            'id': stored['id'],
            'name': stored['name'],
            'description': stored['description'],
            'type': stored['grouping_type'],
            'config': config,
            'services': [SERVICES.reference_by_id(ctx, service_id) for service_id in stored['service_ids']],
            'created_at': stored['created_at'],
            'updated_at': stored['updated_at'],
        }

    # --- the services of settings ---------------------------------------------

    def drop_service(self, ctx, service):
        """Services (a delete cascade): a deleted service leaves its setting; a setting left without services is deleted."""
        settings = ctx.store[self.collection]
        for setting in settings.values():
            if service['id'] in setting['service_ids']:
                remaining = [other for other in setting['service_ids'] if other != service['id']]
                if remaining:
                    settings.put(dict(setting, service_ids=remaining))
                else:
                    settings.remove(setting['id'])


ALERT_GROUPING_SETTINGS = AlertGroupingSettings()


def list_settings(ctx, request):
    """GET /alert_grouping_settings: creation order, service_ids[], and cursor pagination (limit, after, before, total)."""
    items = list(ctx.store[ALERT_GROUPING_SETTINGS.collection].values())
    service_ids = wanted_ids(request.query, 'service_ids')
    if service_ids:
        items = [item for item in items if service_ids.intersection(item['service_ids'])]
    raw_limit = first(request.query, 'limit')
    if raw_limit in (None, ''):
        limit = DEFAULT_LIMIT
    elif raw_limit.isdigit() and int(raw_limit) > 0:
        limit = min(int(raw_limit), MAX_LIMIT)
    else:
        raise invalid_input('limit must be a positive integer')
    after, before = first(request.query, 'after'), first(request.query, 'before')
    if after and before:
        raise invalid_input('after and before cannot be given together')
    if after:
        start = decode_cursor(after, 'after')
    elif before:
        start = max(decode_cursor(before, 'before') - limit, 0)
    else:
        start = 0
    page = items[start:start + limit]
    end = start + len(page)
    return 200, {
        ALERT_GROUPING_SETTINGS.collection: [ALERT_GROUPING_SETTINGS.render(ctx, item) for item in page],
        'after': encode_cursor(end) if end < len(items) else None,
        'before': encode_cursor(start) if start > 0 else None,
        'limit': limit,
        'total': len(items) if is_true(first(request.query, 'total')) else None,
    }


def drop_service(ctx, service):
    """The delete cascade of services (see ``AlertGroupingSettings.drop_service``)."""
    ALERT_GROUPING_SETTINGS.drop_service(ctx, service)


ROUTES = [Route('GET', '/alert_grouping_settings', list_settings)]
