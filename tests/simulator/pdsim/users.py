"""Users, their contact methods, notification rules and on-call handoff notification rules, their licenses, and
team membership.

Routes: /users, /users/{id}/contact_methods, /users/{id}/notification_rules,
/users/{id}/oncall_handoff_notification_rules (generic), and GET /users/me, GET /users/{id}/license,
PUT/DELETE /teams/{id}/users/{user_id}, GET /teams/{id}/members (``ROUTES``).

Every fresh account has one user, the account owner (``OWNER``), so that the ``From`` header of
the first ``POST /users`` can name an existing user.
"""

import hashlib
import re

from pdsim.core import (NOT_FOUND, ApiError, Resource, Route, check_text, invalid_input, is_int, now, paginated_answer, reference_id, utc_text,
                        wanted_ids, wanted_includes)
from pdsim.licenses import LICENSES
from pdsim.teams import TEAMS

# The IANA identifiers that PagerDuty accepts are the values of Rails'
# ActiveSupport::TimeZone::MAPPING; "UTC" itself is not one of them, "Etc/UTC" is. The developer docs'
# Types page lists the same identifiers and Etc/GMT+12 ("International Date Line West").
TIME_ZONES = frozenset('''
Etc/GMT+12
Pacific/Midway Pacific/Pago_Pago Pacific/Honolulu America/Juneau America/Los_Angeles America/Tijuana
America/Denver America/Phoenix America/Chihuahua America/Mazatlan America/Chicago America/Regina
America/Mexico_City America/Monterrey America/Guatemala America/New_York America/Indiana/Indianapolis
America/Bogota America/Lima America/Halifax America/Caracas America/La_Paz America/Santiago
America/St_Johns America/Sao_Paulo America/Argentina/Buenos_Aires America/Montevideo America/Guyana
America/Puerto_Rico America/Godthab Atlantic/South_Georgia Atlantic/Azores Atlantic/Cape_Verde
Europe/Dublin Europe/London Europe/Lisbon Africa/Casablanca Africa/Monrovia Etc/UTC Europe/Belgrade
Europe/Bratislava Europe/Budapest Europe/Ljubljana Europe/Prague Europe/Sarajevo Europe/Skopje
Europe/Warsaw Europe/Zagreb Europe/Brussels Europe/Copenhagen Europe/Madrid Europe/Paris
Europe/Amsterdam Europe/Berlin Europe/Zurich Europe/Rome Europe/Stockholm Europe/Vienna Africa/Algiers
Europe/Bucharest Africa/Cairo Europe/Helsinki Europe/Kiev Europe/Riga Europe/Sofia Europe/Tallinn
Europe/Vilnius Europe/Athens Europe/Istanbul Europe/Minsk Asia/Jerusalem Africa/Harare
Africa/Johannesburg Europe/Kaliningrad Europe/Moscow Europe/Volgograd Europe/Samara Asia/Kuwait
Asia/Riyadh Africa/Nairobi Asia/Baghdad Asia/Tehran Asia/Muscat Asia/Baku Asia/Tbilisi Asia/Yerevan
Asia/Kabul Asia/Yekaterinburg Asia/Karachi Asia/Tashkent Asia/Kolkata Asia/Kathmandu Asia/Dhaka
Asia/Colombo Asia/Almaty Asia/Novosibirsk Asia/Rangoon Asia/Bangkok Asia/Jakarta Asia/Krasnoyarsk
Asia/Shanghai Asia/Chongqing Asia/Hong_Kong Asia/Urumqi Asia/Kuala_Lumpur Asia/Singapore Asia/Taipei
Australia/Perth Asia/Irkutsk Asia/Ulaanbaatar Asia/Seoul Asia/Tokyo Asia/Yakutsk Australia/Darwin
Australia/Adelaide Australia/Melbourne Australia/Sydney Australia/Brisbane Australia/Hobart
Asia/Vladivostok Pacific/Guam Pacific/Port_Moresby Asia/Magadan Asia/Srednekolymsk Pacific/Guadalcanal
Pacific/Noumea Pacific/Fiji Asia/Kamchatka Pacific/Majuro Pacific/Auckland Pacific/Tongatapu
Pacific/Fakaofo Pacific/Chatham Pacific/Apia
'''.split())

USER_ROLES = ('admin', 'limited_user', 'observer', 'owner', 'read_only_user', 'restricted_access', 'read_only_limited_user', 'user')
TEAM_ROLES = ('observer', 'responder', 'manager')
DEFAULT_TEAM_ROLE = 'manager'
URGENCIES = ('high', 'low')
DEFAULT_TIME_ZONE = 'Etc/UTC'
DEFAULT_COLOR = 'purple'
OWNER = {'id': 'PSOWNER', 'name': 'Sim Owner', 'email': 'owner@example.com', 'role': 'owner'}
EMAIL_PATTERN = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')

# PagerDuty answers these with codes outside the 2001 family.
FROM_REQUIRED = (2016, 'You must specify a user\'s email address in the "From" header to perform this action')
FROM_MALFORMED = (1028, 'Malformed "From" header')
REQUESTER_NOT_FOUND = (1008, 'Requester User Not Found')

CONTACT_METHOD_TYPES = ('email_contact_method', 'phone_contact_method', 'push_notification_contact_method',
                        'sms_contact_method', 'whatsapp_contact_method')
PHONE_TYPES = ('phone_contact_method', 'sms_contact_method', 'whatsapp_contact_method')
NOTIFICATION_RULE_TYPE = 'assignment_notification_rule'
HANDOFF_TYPES = ('both', 'oncall', 'offcall')


class Users(Resource):
    collection = 'users'
    wrapper = 'user'
    type_name = 'user'
    unique_field = 'email'
    fields = ('name', 'email', 'time_zone', 'color', 'role', 'description', 'job_title')

    # --- validation ---------------------------------------------------------

    def _check_fields(self, ctx, data, stored=None, seeding=False):
        creating = stored is None
        check_text(data, 'name', 'Name', required=creating or 'name' in data)
        check_text(data, 'email', 'Email', required=creating or 'email' in data)
        if 'email' in data:
            if not EMAIL_PATTERN.match(data['email']):
                raise invalid_input('Email is invalid')
            self.check_unique(ctx, data['email'], None if creating else stored['id'])
        if 'time_zone' in data and data['time_zone'] not in TIME_ZONES:
            raise invalid_input('Time zone is not a valid time zone')
        if 'role' in data:
            self._check_role(data['role'], stored, seeding)
        check_text(data, 'color', 'Color')
        check_text(data, 'description', 'Description', nullable=True)
        check_text(data, 'job_title', 'Job title', nullable=True)

    @staticmethod
    def _check_role(role, stored, seeding):
        if role not in USER_ROLES:
            raise invalid_input(f"Role must be one of {', '.join(USER_ROLES)}")
        current = stored['role'] if stored else None
        if role == current:
            return
        if current == 'owner':
            raise invalid_input("The account owner's role cannot be changed")
        if role == 'owner' and not seeding:
            raise invalid_input('Role owner cannot be given through the API; the account has exactly one owner')

    def authorize_create(self, ctx, request):
        """The From rule (``acting_user``)."""
        acting_user(ctx, request)

    # --- life cycle ---------------------------------------------------------

    def create(self, ctx, data, object_id=None, parent=None, seeding=False, defaults=(True, True)):
        self._check_fields(ctx, data, seeding=seeding)
        stored = {
            'id': self.new_id(ctx, object_id),
            'name': data['name'],
            'email': data['email'],
            'time_zone': data.get('time_zone', DEFAULT_TIME_ZONE),
            'color': data.get('color', DEFAULT_COLOR),
            'role': data.get('role', 'user'),
            'description': data.get('description'),
            'job_title': data.get('job_title'),
            'invitation_sent': not seeding,
        }
        self._set_license(ctx, stored, data)
        ctx.store[self.collection].put(stored)
        self._add_defaults(ctx, stored, *defaults)
        return stored

    @staticmethod
    def _set_license(ctx, stored, data):
        """The user's license: the one the body names (``license``, a license_reference), else on create the first
        license that allows the role (none on an account without licenses), else the one held. A role change the
        held license does not allow, without a license, is refused."""
        current = stored.get('license_id')
        if 'license' in data:
            license_id = reference_id(data['license'], 'License', ('license_reference', 'license'))
            chosen = LICENSES.allocate(ctx, license_id, stored['role'], current)
        elif current is None and 'license_id' not in stored:
            chosen = LICENSES.default_for(ctx, stored['role'])
        else:
            held = ctx.store[LICENSES.collection].get(current) if current else None
            if held is not None and stored['role'] not in held['valid_roles']:
                raise invalid_input(f"The role {stored['role']} is not valid for the license {held['name']}; "
                                    "give a license that allows it")
            return
        stored['license_id'] = chosen['id'] if chosen else None
        if chosen is not None and chosen['id'] != current:
            stored['license_allocated_at'] = utc_text(now())

    @staticmethod
    def _add_defaults(ctx, user, contact_method=True, rules=True):
        """PagerDuty gives a new user an email contact method for the login email and rules that notify it."""
        if contact_method:
            email_method = CONTACT_METHODS.create(
                ctx, {'type': 'email_contact_method', 'label': 'Default', 'address': user['email']}, parent=user)
        else:
            email_method = next((method for method in CONTACT_METHODS.children(ctx, user)
                                 if method['type'] == 'email_contact_method' and method['address'] == user['email']), None)
        if rules and email_method is not None:
            for urgency in URGENCIES:
                NOTIFICATION_RULES.create(ctx, {
                    'type': NOTIFICATION_RULE_TYPE, 'start_delay_in_minutes': 0, 'urgency': urgency,
                    'contact_method': {'id': email_method['id'], 'type': 'email_contact_method_reference'},
                }, parent=user)

    def update(self, ctx, stored, data):
        self._check_fields(ctx, data, stored)
        for field in self.fields:
            if field in data:
                stored[field] = data[field]
        self._set_license(ctx, stored, data)
        return stored

    def check_delete(self, ctx, stored):
        if stored['role'] == 'owner':
            raise invalid_input('The account owner cannot be deleted')
        super().check_delete(ctx, stored)

    def on_delete(self, ctx, stored):
        for resource in (HANDOFF_RULES, NOTIFICATION_RULES, CONTACT_METHODS):
            for child in resource.children(ctx, stored):
                ctx.store[resource.collection].remove(child['id'])
        for key in [key for key in ctx.store.memberships if key[1] == stored['id']]:
            del ctx.store.memberships[key]

    def initial_objects(self, ctx):
        owner = dict(OWNER)
        self.create(ctx, owner, object_id=owner.pop('id'), seeding=True)

    def seed(self, ctx, item):
        """A seeded user may carry contact_methods, notification_rules, handoff_notification_rules (contact_method
        by id or address, as notification rules), teams: [{"team": id, "role": ...}] and license (a license id or
        name; seed the licenses first)."""
        methods = item.pop('contact_methods', None)
        rules = item.pop('notification_rules', None)
        handoffs = item.pop('handoff_notification_rules', None) or []
        teams = item.pop('teams', None) or []
        if isinstance(item.get('license'), str):
            named = [lic for lic in ctx.store[LICENSES.collection].values() if item['license'] in (lic['id'], lic['name'])]
            if not named:
                raise ValueError(f"no license {item['license']!r} to seed the user with; seed licenses first")
            item['license'] = {'id': named[0]['id'], 'type': 'license_reference'}
        stored = self.create(ctx, item, object_id=item.pop('id', None), seeding=True, defaults=(methods is None, False))
        for method in methods or []:
            method = dict(method)
            CONTACT_METHODS.create(ctx, method, object_id=method.pop('id', None), parent=stored)
        if rules is None:  # the default rules notify the login email's contact method, once the seeded ones exist
            self._add_defaults(ctx, stored, contact_method=False)
        for resource, items in ((NOTIFICATION_RULES, rules or []), (HANDOFF_RULES, handoffs)):
            for rule in items:
                rule = dict(rule)
                reference = dict(rule.get('contact_method') or {})
                if 'id' not in reference:
                    reference['id'] = next((method['id'] for method in CONTACT_METHODS.children(ctx, stored)
                                            if method['address'] == reference.get('address')), None)
                    reference.pop('address', None)
                rule['contact_method'] = reference
                resource.create(ctx, rule, object_id=rule.pop('id', None), parent=stored)
        for membership in teams:
            team = TEAMS.lookup(ctx, membership['team'])
            set_membership(ctx, team, stored, membership.get('role', DEFAULT_TEAM_ROLE))
        return stored

    def bulk_start(self, ctx):
        return len(ctx.store[self.collection])  # the owner does not count

    def bulk_item(self, index):
        return {'name': f'User {index:05d}', 'email': f'user{index:05d}@example.com'}

    # --- lists and rendering ----------------------------------------------

    def matches_query(self, stored, query):
        query = query.casefold()
        return query in stored['name'].casefold() or query in stored['email'].casefold()

    def filter_items(self, ctx, items, query):
        team_ids = wanted_ids(query, 'team_ids')
        if not team_ids:
            return items
        members = {user_id for (team_id, user_id) in ctx.store.memberships if team_id in team_ids}
        return [item for item in items if item['id'] in members]

    def teams_of(self, ctx, stored):
        teams = ctx.store[TEAMS.collection]
        return [teams.get(team_id) for (team_id, user_id) in ctx.store.memberships if user_id == stored['id']]

    def render(self, ctx, stored, includes=()):
        email_hash = hashlib.md5(stored['email'].strip().lower().encode('utf-8'), usedforsecurity=False).hexdigest()
        return {
            **self.header(ctx, stored),
            'name': stored['name'],
            'email': stored['email'],
            'time_zone': stored['time_zone'],
            'color': stored['color'],
            'role': stored['role'],
            'avatar_url': f'https://secure.gravatar.com/avatar/{email_hash}.png?d=mm&r=PG',
            'description': stored['description'],
            'invitation_sent': stored['invitation_sent'],
            'created_via_sso': False,
            'job_title': stored['job_title'],
            'teams': [TEAMS.expand(ctx, team, includes) for team in self.teams_of(ctx, stored)],
            'contact_methods': [CONTACT_METHODS.expand(ctx, method, includes) for method in CONTACT_METHODS.children(ctx, stored)],
            'notification_rules': [NOTIFICATION_RULES.expand(ctx, rule, includes) for rule in NOTIFICATION_RULES.children(ctx, stored)],
        }


class ContactMethods(Resource):
    collection = 'contact_methods'
    wrapper = 'contact_method'
    type_name = 'contact_method'
    sort_field = None
    summary_field = 'label'
    paginated = False
    parent_field = 'user_id'

    def _check_fields(self, ctx, data, user, stored=None):
        kind = data.get('type', stored['type'] if stored else None)
        if kind not in CONTACT_METHOD_TYPES:
            raise invalid_input(f"Type must be one of {', '.join(CONTACT_METHOD_TYPES)}")
        if stored is not None and kind != stored['type']:
            raise invalid_input('The type of a contact method cannot be changed')
        check_text(data, 'label', 'Label', required=stored is None or 'label' in data)
        check_text(data, 'address', 'Address', required=stored is None or 'address' in data)
        address = data.get('address', stored['address'] if stored else None)
        if kind == 'email_contact_method' and not EMAIL_PATTERN.match(address):
            raise invalid_input('Address is not a valid email address')
        if kind in PHONE_TYPES and not re.match(r'^[0-9]{3,15}$', address):
            raise invalid_input('Address must be a phone number of 3 to 15 digits (without the country code)')
        code = data.get('country_code', stored.get('country_code') if stored else 1)
        if kind in PHONE_TYPES and (not is_int(code) or not 1 <= code <= 1999):
            raise invalid_input('Country code must be an integer from 1 to 1999')
        if 'send_short_email' in data and not isinstance(data['send_short_email'], bool):
            raise invalid_input('Send short email must be true or false')
        for other in self.children(ctx, user):
            if stored is not None and other['id'] == stored['id']:
                continue
            if (other['type'], other['address'].casefold(), other.get('country_code')) == (kind, address.casefold(), code if kind in PHONE_TYPES else None):
                raise invalid_input('User Contact method must be unique')

    def create(self, ctx, data, object_id=None, parent=None):
        if parent is None:
            raise ValueError('a contact method needs its user')
        self._check_fields(ctx, data, parent)
        kind = data['type']
        stored = {'id': self.new_id(ctx, object_id), 'user_id': parent['id'], 'type': kind,
                  'label': data['label'], 'address': data['address']}
        if kind == 'email_contact_method':
            stored['send_short_email'] = data.get('send_short_email', False)
        elif kind == 'push_notification_contact_method':
            stored.update(device_type=data.get('device_type', 'android'), sounds=list(data.get('sounds') or []), created_at=utc_text(now()))
        else:
            stored['country_code'] = data.get('country_code', 1)
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        user = ctx.store[USERS.collection].get(stored['user_id'])
        self._check_fields(ctx, data, user, stored)
        for field in ('label', 'address', 'send_short_email', 'country_code', 'sounds'):
            if field in data and (field in stored or field == 'label'):
                stored[field] = data[field]
        return stored

    def on_delete(self, ctx, stored):
        """Deleting a contact method also deletes the notification rules and handoff notification rules that use it."""
        user = {'id': stored['user_id']}
        for resource in (NOTIFICATION_RULES, HANDOFF_RULES):
            for rule in resource.children(ctx, user):
                if rule['contact_method_id'] == stored['id']:
                    ctx.store[resource.collection].remove(rule['id'])

    def object_type(self, stored):
        return stored['type']

    def render(self, ctx, stored, includes=()):
        rendered = {**self.header(ctx, stored), 'label': stored['label'], 'address': stored['address']}
        kind = stored['type']
        if kind == 'email_contact_method':
            rendered['send_short_email'] = stored['send_short_email']
        elif kind == 'push_notification_contact_method':
            rendered.update(device_type=stored['device_type'], sounds=stored['sounds'], created_at=stored['created_at'], blacklisted=False)
        else:
            rendered.update(country_code=stored['country_code'], enabled=True, blacklisted=False)
        return rendered


def rule_contact_method(ctx, data, user, stored=None):
    """The id of the contact method a rule's body names (``contact_method``, a reference to one of the user's own),
    or the stored rule's when the body names none; 400 otherwise."""
    if 'contact_method' not in data and stored is not None:
        return stored['contact_method_id']
    reference = data.get('contact_method')
    if not isinstance(reference, dict) or not isinstance(reference.get('id'), str):
        raise invalid_input('Contact method must be a contact method reference with an id')
    method = ctx.store[CONTACT_METHODS.collection].get(reference['id'])
    if method is None or method['user_id'] != user['id']:
        raise invalid_input(f"Contact method {reference['id']} is not a contact method of this user")
    if reference.get('type') not in (None, method['type'], method['type'] + '_reference'):
        raise invalid_input(f"Contact method {method['id']} is a {method['type']}, not a {reference['type']}")
    return method['id']


class NotificationRules(Resource):
    collection = 'notification_rules'
    wrapper = 'notification_rule'
    type_name = NOTIFICATION_RULE_TYPE
    sort_field = None
    paginated = False
    parent_field = 'user_id'

    def _check_fields(self, ctx, data, user, stored=None):
        if data.get('type', NOTIFICATION_RULE_TYPE) != NOTIFICATION_RULE_TYPE:
            raise invalid_input(f'Type must be {NOTIFICATION_RULE_TYPE}')
        delay = data.get('start_delay_in_minutes', stored['start_delay_in_minutes'] if stored else None)
        if not is_int(delay) or delay < 0:
            raise invalid_input('Start delay in minutes must be an integer greater than or equal to 0')
        urgency = data.get('urgency', stored['urgency'] if stored else None)
        if urgency not in URGENCIES:
            raise invalid_input(f"Urgency must be one of {', '.join(URGENCIES)}")
        method_id = rule_contact_method(ctx, data, user, stored)
        for other in self.children(ctx, user):
            if stored is not None and other['id'] == stored['id']:
                continue
            if (other['contact_method_id'], other['urgency'], other['start_delay_in_minutes']) == (method_id, urgency, delay):
                raise invalid_input('Channel Start delay must be unique for a given contact method')
        return method_id

    def create(self, ctx, data, object_id=None, parent=None):
        if parent is None:
            raise ValueError('a notification rule needs its user')
        method_id = self._check_fields(ctx, data, parent)
        stored = {'id': self.new_id(ctx, object_id), 'user_id': parent['id'], 'contact_method_id': method_id,
                  'start_delay_in_minutes': data['start_delay_in_minutes'], 'urgency': data['urgency'], 'created_at': utc_text(now())}
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        user = ctx.store[USERS.collection].get(stored['user_id'])
        stored['contact_method_id'] = self._check_fields(ctx, data, user, stored)
        for field in ('start_delay_in_minutes', 'urgency'):
            if field in data:
                stored[field] = data[field]
        return stored

    def filter_items(self, ctx, items, query):
        """PagerDuty lists the high-urgency rules unless urgency=low or urgency=all is asked for."""
        urgency = (query.get('urgency') or ['high'])[0]
        if urgency == 'all':
            return items
        return [item for item in items if item['urgency'] == urgency]

    def summary(self, stored):
        return f"{stored['start_delay_in_minutes']} minutes: channel {stored['contact_method_id']}"

    def render(self, ctx, stored, includes=()):
        method = ctx.store[CONTACT_METHODS.collection].get(stored['contact_method_id'])
        return {
            **self.header(ctx, stored),
            'start_delay_in_minutes': stored['start_delay_in_minutes'],
            'contact_method': CONTACT_METHODS.expand(ctx, method, includes),
            'urgency': stored['urgency'],
            'created_at': stored['created_at'],
        }


class HandoffNotificationRules(Resource):
    """On-call handoff notification rules: the spec's HandoffNotificationRule has no type, self or summary, so a rule is
    rendered with its four fields only."""

    collection = 'oncall_handoff_notification_rules'
    wrapper = 'oncall_handoff_notification_rule'
    type_name = 'oncall_handoff_notification_rule'
    sort_field = None
    paginated = False
    parent_field = 'user_id'

    def _check_fields(self, ctx, data, user, stored=None):
        handoff_type = data.get('handoff_type', stored['handoff_type'] if stored else 'both')
        if handoff_type not in HANDOFF_TYPES:
            raise invalid_input(f"Handoff type must be one of {', '.join(HANDOFF_TYPES)}")
        advance = data.get('notify_advance_in_minutes', stored['notify_advance_in_minutes'] if stored else 0)
        if not is_int(advance) or advance < 0:
            raise invalid_input('Notify advance in minutes must be an integer greater than or equal to 0')
        method_id = rule_contact_method(ctx, data, user, stored)
        for other in self.children(ctx, user):
            if stored is not None and other['id'] == stored['id']:
                continue
            if (other['contact_method_id'], other['handoff_type'], other['notify_advance_in_minutes']) == (method_id, handoff_type, advance):
                raise invalid_input('A handoff notification rule with this contact method, handoff type and advance already exists')
        return method_id, handoff_type, advance

    def create(self, ctx, data, object_id=None, parent=None):
        if parent is None:
            raise ValueError('a handoff notification rule needs its user')
        method_id, handoff_type, advance = self._check_fields(ctx, data, parent)
        stored = {'id': self.new_id(ctx, object_id), 'user_id': parent['id'], 'contact_method_id': method_id,
                  'handoff_type': handoff_type, 'notify_advance_in_minutes': advance}
        ctx.store[self.collection].put(stored)
        return stored

    def update(self, ctx, stored, data):
        user = ctx.store[USERS.collection].get(stored['user_id'])
        stored['contact_method_id'], stored['handoff_type'], stored['notify_advance_in_minutes'] = self._check_fields(ctx, data, user, stored)
        return stored

    def render(self, ctx, stored, includes=()):
        method = ctx.store[CONTACT_METHODS.collection].get(stored['contact_method_id'])
        return {
            'id': stored['id'],
            'handoff_type': stored['handoff_type'],
            'notify_advance_in_minutes': stored['notify_advance_in_minutes'],
            'contact_method': CONTACT_METHODS.reference(ctx, method),
        }


USERS = Users()
CONTACT_METHODS = ContactMethods(parent=USERS)
NOTIFICATION_RULES = NotificationRules(parent=USERS)
HANDOFF_RULES = HandoffNotificationRules(parent=USERS)


def acting_user(ctx, request):
    """The From rule: the user a write acts as.  Account API tokens must name an existing user's email in From
    (400 2016 / 1028 / 1008 otherwise) and act as that user; user-level tokens (a user's API key or OAuth token)
    act as their user without From; app tokens (Scoped OAuth) act as no user (None)."""
    users = ctx.store[USERS.collection]
    if request.token.get('user'):
        return users.get(request.token['user'])
    if request.token.get('auth') != 'token':
        return None
    sender = request.headers.get('from')
    if sender is None:
        raise ApiError(400, FROM_REQUIRED)
    if not EMAIL_PATTERN.match(sender.strip()):
        raise ApiError(400, FROM_MALFORMED)
    user = users.find_unique(sender.strip())
    if user is None:
        raise ApiError(400, REQUESTER_NOT_FOUND, [f'No user with the email {sender.strip()} in the From header'])
    return user


# --- team membership ---------------------------------------------------------------

def set_membership(ctx, team, user, role):
    if role not in TEAM_ROLES:
        raise invalid_input(f"Role must be one of {', '.join(TEAM_ROLES)}")
    if user['role'] == 'read_only_user':
        raise invalid_input('A user with the read_only_user role cannot be added to a team')
    ctx.store.memberships[(team['id'], user['id'])] = role


def _team_and_user(ctx, request):
    return TEAMS.lookup(ctx, request.params[0]), USERS.lookup(ctx, request.params[1])


def put_team_user(ctx, request):
    """PUT /teams/{id}/users/{user_id} with a bare {"role": ...} body (optional): add or change a membership."""
    team, user = _team_and_user(ctx, request)
    body = request.body if request.body is not None else {}
    if not isinstance(body, dict):
        raise invalid_input('The request body must be a JSON object like {"role": "responder"}')
    set_membership(ctx, team, user, body.get('role', DEFAULT_TEAM_ROLE))
    return 204, None


# PagerDuty's refusal to take a user off a team while one of the team's escalation policies targets the user
# (recorded in terraform-provider-pagerduty#558).
MEMBER_ON_TEAM_POLICY = 'User cannot be removed as they belong to an escalation policy on this team'


def delete_team_user(ctx, request):
    """DELETE /teams/{id}/users/{user_id}: 204, also when the user was not a member; 400 while a policy of the
    team targets the user."""
    team, user = _team_and_user(ctx, request)
    policies = ctx.resource('escalation_policies').targeting(ctx, 'user_reference', user['id'])
    if (team['id'], user['id']) in ctx.store.memberships and any(team['id'] in policy['team_ids'] for policy in policies):
        raise invalid_input(MEMBER_ON_TEAM_POLICY)
    ctx.store.memberships.pop((team['id'], user['id']), None)
    return 204, None


def list_team_members(ctx, request):
    """GET /teams/{id}/members: {"members": [{"user": reference, "role": ...}]} with classic pagination."""
    team = TEAMS.lookup(ctx, request.params[0])
    users = ctx.store[USERS.collection]
    members = [(users.get(user_id), role) for (team_id, user_id), role in ctx.store.memberships.items() if team_id == team['id']]
    includes = wanted_includes(request.query)
    return paginated_answer('members', members, request.query, lambda member: {'user': USERS.expand(ctx, member[0], includes), 'role': member[1]})


# GET /users/me with an account token: 400 with this plain-string error, as recorded in the test suite of
# PagerDuty's Python client (python-pagerduty, tests/rest_api_v2_client_test.py, "valid/current as of
# 2025-11-14"); the spec: "This will not work if the request is made with an account-level access token".
ACCOUNT_TOKEN_ME = ("Because this request was made using an account-level access token, we were unable to determine the "
                    "user's identity. Please use a user-level token.")


def show_me(ctx, request):
    """GET /users/me: the user a user-level token acts as; 400 for an account token (or an app's OAuth token)."""
    user_id = request.token.get('user')
    if not user_id:
        return 400, {'error': ACCOUNT_TOKEN_ME}
    return 200, {'user': USERS.render(ctx, USERS.lookup(ctx, user_id), wanted_includes(request.query))}


def show_user_license(ctx, request):
    """GET /users/{id}/license: {"license": ...} (without the account's counts); 404 when the user holds none."""
    user = USERS.lookup(ctx, request.params[0])
    held = ctx.store[LICENSES.collection].get(user.get('license_id')) if user.get('license_id') else None
    if held is None:
        raise ApiError(404, NOT_FOUND, ['The user has no license'])
    return 200, {'license': LICENSES.render(ctx, held, counts=False)}


ROUTES = [
    Route('GET', '/users/me', show_me),
    Route('GET', '/users/{id}/license', show_user_license),
    Route('PUT', '/teams/{id}/users/{user_id}', put_team_user),
    Route('DELETE', '/teams/{id}/users/{user_id}', delete_team_user),
    Route('GET', '/teams/{id}/members', list_team_members),
]
