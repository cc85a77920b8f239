"""Maintenance windows: /maintenance_windows and /maintenance_windows/{id}.

A window names its services (``service_ids``); its read-only ``teams`` are the services' teams.
"Now" is the real clock: a window is future, ongoing or past, and a service is in
``maintenance`` while an ongoing window covers it (``covers``, asked by ``pdsim.services``).
"""

import datetime

from pdsim.core import HTML_BASE, ApiError, Resource, check_text, invalid_input, now, seed_reference, utc_text, wanted_ids
from pdsim.services import SERVICES
from pdsim.teams import TEAMS
from pdsim.users import USERS

MAINTENANCE_FILTERS = ('past', 'future', 'ongoing', 'open', 'all')
# DELETE of a window that has ended: 405 with this code and message (seen in PagerDuty's answers).
CANNOT_CANCEL_PAST = (5003, 'Cannot cancel a maintenance window from the past')


def parse_time(value, label):
    """An ISO 8601 date-time (a missing offset means UTC)."""
    if not isinstance(value, str):
        raise invalid_input(f'{label} must be an ISO 8601 date-time')
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise invalid_input(f'{label} must be an ISO 8601 date-time, got {value!r}') from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.replace(microsecond=0)


class MaintenanceWindows(Resource):
    collection = 'maintenance_windows'
    wrapper = 'maintenance_window'
    type_name = 'maintenance_window'
    query_field = 'description'
    sort_field = 'start_time'
    summary_field = 'description'

    def __init__(self, parent=None):
        super().__init__(parent)
        self._requester = None

    def html_url(self, stored):
        return f"{HTML_BASE}/service-directory/maintenance-windows/{stored['id']}"

    @staticmethod
    def state(stored, moment):
        start, end = parse_time(stored['start_time'], 'Start time'), parse_time(stored['end_time'], 'End time')
        if end <= moment:
            return 'past'
        return 'future' if start > moment else 'ongoing'

    # --- validation ---------------------------------------------------------

    def _check_type_and_description(self, data):
        if data.get('type', self.type_name) != self.type_name:
            raise invalid_input(f'Type must be {self.type_name}')
        check_text(data, 'description', 'Description', nullable=True)

    @staticmethod
    def _check_services(ctx, services):
        if not isinstance(services, list) or not services:
            raise invalid_input('A maintenance window must have at least one service')
        return SERVICES.existing_ids(ctx, services)

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
        return utc_text(start), utc_text(end)

    def authorize_create(self, ctx, request):
        """The From rule of POST /users (the spec marks From required here too); remember who asks, for
        created_by (a user-level token acts as its user)."""
        USERS.authorize_create(ctx, request)
        sender = (request.headers.get('from') or '').strip()
        self._requester = ctx.store[USERS.collection].find_unique(sender) if sender else None
        if self._requester is None and request.token.get('user'):
            self._requester = ctx.store[USERS.collection].get(request.token['user'])

    # --- life cycle ---------------------------------------------------------

    def create(self, ctx, data, object_id=None, parent=None, seeding=False):
        requester, self._requester = self._requester, None
        self._check_type_and_description(data)
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
        self._check_type_and_description(data)
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
            ctx.store[self.collection].put(dict(stored, end_time=utc_text(moment)))
            return
        super().remove(ctx, stored)

    def seed(self, ctx, item):
        """Seeded windows may lie in the past and name services by bare id."""
        item['services'] = [seed_reference(service, 'service_reference') for service in item.get('services') or []]
        return self.create(ctx, item, object_id=item.pop('id', None), seeding=True)

    # --- the services of windows ---------------------------------------------

    def covers(self, ctx, service_id, moment):
        """Whether an ongoing window covers the service."""
        return any(service_id in window['service_ids'] and self.state(window, moment) == 'ongoing'
                   for window in ctx.store[self.collection].values())

    def drop_service(self, ctx, service_id):
        """Take a deleted service out of the windows; a window left without services is deleted."""
        windows = ctx.store[self.collection]
        for window in windows.values():
            if service_id in window['service_ids']:
                window = dict(window, service_ids=[other for other in window['service_ids'] if other != service_id])
                if window['service_ids']:
                    windows.put(window)
                else:
                    windows.remove(window['id'])

    def team_ids_of(self, ctx, stored):
        team_ids = []
        for service_id in stored['service_ids']:
            service = ctx.store[SERVICES.collection].get(service_id)
            for team_id in SERVICES.team_ids_of(ctx, service) if service else []:
                if team_id not in team_ids:
                    team_ids.append(team_id)
        return team_ids

    # --- lists and rendering --------------------------------------------------

    def filter_items(self, ctx, items, query):
        wanted = (query.get('filter') or ['all'])[0]
        if wanted not in MAINTENANCE_FILTERS:
            raise invalid_input(f"filter must be one of {', '.join(MAINTENANCE_FILTERS)}")
        if wanted != 'all':
            moment = now()
            states = ('future', 'ongoing') if wanted == 'open' else (wanted,)
            items = [item for item in items if self.state(item, moment) in states]
        service_ids = wanted_ids(query, 'service_ids')
        if service_ids:
            items = [item for item in items if service_ids.intersection(item['service_ids'])]
        team_ids = wanted_ids(query, 'team_ids')
        if team_ids:
            items = [item for item in items if team_ids.intersection(self.team_ids_of(ctx, item))]
        return items

    def render(self, ctx, stored, includes=()):
        services = [ctx.store[SERVICES.collection].get(service_id) for service_id in stored['service_ids']]
        teams = [ctx.store[TEAMS.collection].get(team_id) for team_id in self.team_ids_of(ctx, stored)]
        creator = ctx.store[USERS.collection].get(stored['created_by_id']) if stored['created_by_id'] else None
        return {
            **self.header(ctx, stored),
            'sequence_number': stored['sequence_number'],
            'start_time': stored['start_time'],
            'end_time': stored['end_time'],
            'description': stored['description'],
            'services': [SERVICES.expand(ctx, service, includes) for service in services if service],
            'teams': [TEAMS.expand(ctx, team, includes) for team in teams if team],
            'created_by': USERS.expand(ctx, creator, includes) if creator else None,
        }


MAINTENANCE_WINDOWS = MaintenanceWindows()
