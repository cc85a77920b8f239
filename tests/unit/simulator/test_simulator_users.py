"""Users, contact methods, notification rules and team membership in the PagerDuty simulator."""

import re

import pytest
import requests

# tests/unit/conftest.py puts tests/simulator on sys.path.
import control  # pylint: disable=import-error
from pdsim import core, server, users  # pylint: disable=import-error

ID_PATTERN = re.compile(r'^P[A-Z0-9]{6}$')
OWNER_EMAIL = 'owner@example.com'
NOT_FOUND = {'error': {'message': 'Not Found', 'code': 2100}}


def invalid(*errors):
    return {'error': {'message': 'Invalid Input Provided', 'code': 2001, 'errors': list(errors)}}


def make_session(sim, token=control.WRITE_TOKEN, auth='token', sender=OWNER_EMAIL):
    session = requests.Session()
    session.trust_env = False
    session.headers.update(sim.headers(token, auth))
    if sender:
        session.headers['From'] = sender
    return session


@pytest.fixture(name='api')
def api_fixture(sim):
    with make_session(sim) as session:
        yield session


def user_body(name, email, **fields):
    user = {'type': 'user', 'name': name, 'email': email}
    user.update(fields)
    return {'user': user}


def create_user(sim, api, name='Alice Example', email='alice@example.com', **fields):
    response = api.post(sim.url + '/users', json=user_body(name, email, **fields))
    assert response.status_code == 201, response.text
    return response.json()['user']


def no_violations(sim):
    return [(entry['method'], entry['path'], entry['spec_violations']) for entry in sim.requests() if entry['spec_violations']] == []


# --- users ----------------------------------------------------------------------------

def test_fresh_account_has_the_owner(sim, api):
    listing = api.get(sim.url + '/users').json()
    assert (listing['limit'], listing['offset'], listing['more'], listing['total']) == (25, 0, False, None)
    [owner] = listing['users']
    assert (owner['id'], owner['name'], owner['email'], owner['role']) == ('PSOWNER', 'Sim Owner', OWNER_EMAIL, 'owner')
    refused = api.delete(sim.url + '/users/PSOWNER')
    assert refused.status_code == 400
    assert refused.json() == invalid('The account owner cannot be deleted')


def test_create_user_returns_the_full_object(sim, api):
    user = create_user(sim, api, job_title='SRE')
    assert ID_PATTERN.match(user['id'])
    [method] = user['contact_methods']
    high, low = user['notification_rules']
    assert user == {
        'id': user['id'],
        'type': 'user',
        'summary': 'Alice Example',
        'self': '%s/users/%s' % (sim.url, user['id']),
        'html_url': 'https://simulator.pagerduty.invalid/users/%s' % user['id'],
        'name': 'Alice Example',
        'email': 'alice@example.com',
        'time_zone': 'Etc/UTC',
        'color': 'purple',
        'role': 'user',
        'avatar_url': user['avatar_url'],
        'description': None,
        'invitation_sent': True,
        'created_via_sso': False,
        'job_title': 'SRE',
        'teams': [],
        'contact_methods': [{'id': method['id'], 'type': 'email_contact_method_reference', 'summary': 'Default',
                             'self': '%s/users/%s/contact_methods/%s' % (sim.url, user['id'], method['id']), 'html_url': None}],
        'notification_rules': [
            {'id': rule['id'], 'type': 'assignment_notification_rule_reference', 'summary': '0 minutes: channel %s' % method['id'],
             'self': '%s/users/%s/notification_rules/%s' % (sim.url, user['id'], rule['id']), 'html_url': None}
            for rule in (high, low)],
    }
    assert user['avatar_url'].startswith('https://secure.gravatar.com/avatar/')
    assert no_violations(sim)


def test_default_contact_method_and_rules(sim, api):
    user = create_user(sim, api)
    base = '%s/users/%s' % (sim.url, user['id'])
    methods = api.get(base + '/contact_methods').json()
    assert list(methods) == ['contact_methods']
    [method] = methods['contact_methods']
    assert method == {'id': method['id'], 'type': 'email_contact_method', 'summary': 'Default', 'self': base + '/contact_methods/' + method['id'],
                      'html_url': None, 'label': 'Default', 'address': 'alice@example.com', 'send_short_email': False}
    # Without urgency PagerDuty lists the high-urgency rules only.
    high = api.get(base + '/notification_rules').json()['notification_rules']
    assert [(rule['urgency'], rule['start_delay_in_minutes'], rule['contact_method']['id']) for rule in high] == [('high', 0, method['id'])]
    both = api.get(base + '/notification_rules', params={'urgency': 'all'}).json()['notification_rules']
    assert [rule['urgency'] for rule in both] == ['high', 'low']
    assert [rule['urgency'] for rule in api.get(base + '/notification_rules', params={'urgency': 'low'}).json()['notification_rules']] == ['low']
    assert both[0]['contact_method'] == {'id': method['id'], 'type': 'email_contact_method_reference', 'summary': 'Default',
                                         'self': base + '/contact_methods/' + method['id'], 'html_url': None}
    assert both[0]['type'] == 'assignment_notification_rule'
    assert no_violations(sim)


def test_get_update_delete_user(sim, api):
    user = create_user(sim, api)
    path = '%s/users/%s' % (sim.url, user['id'])
    assert api.get(path).json() == {'user': user}
    updated = api.put(path, json={'user': {'time_zone': 'Europe/Berlin', 'job_title': 'Lead'}})
    assert updated.status_code == 200
    assert updated.json()['user'] == dict(user, time_zone='Europe/Berlin', job_title='Lead')
    renamed = api.put(path, json={'user': {'name': 'Alice B', 'role': 'admin', 'description': 'bio'}}).json()['user']
    fields = ('name', 'summary', 'role', 'description', 'time_zone')
    assert tuple(renamed[field] for field in fields) == ('Alice B', 'Alice B', 'admin', 'bio', 'Europe/Berlin')
    deleted = api.delete(path)
    assert (deleted.status_code, deleted.content) == (204, b'')
    assert api.get(path).json() == NOT_FOUND
    assert api.get(path + '/contact_methods').status_code == 404
    assert [entry['email'] for entry in sim.state()['users']] == [OWNER_EMAIL]
    assert sim.state()['contact_methods'][0]['address'] == OWNER_EMAIL
    assert no_violations(sim)


def test_from_header_rule(sim):
    body = user_body('Bob', 'bob@example.com')
    with make_session(sim, sender=None) as anonymous:
        missing = anonymous.post(sim.url + '/users', json=body)
        assert missing.status_code == 400
        assert missing.json() == {'error': {'message': 'You must specify a user\'s email address in the "From" header to perform this action', 'code': 2016}}
    with make_session(sim, sender='nobody@example.com') as stranger:
        unknown = stranger.post(sim.url + '/users', json=body)
        assert unknown.status_code == 400
        assert unknown.json()['error']['code'] == 1008
    with make_session(sim, sender='not an email') as garbled:
        assert garbled.post(sim.url + '/users', json=body).json()['error'] == {'message': 'Malformed "From" header', 'code': 1028}
    with make_session(sim, sender='OWNER@example.com') as owner:
        assert owner.post(sim.url + '/users', json=body).status_code == 201
    # User-level OAuth tokens act as their user: no From needed.
    with make_session(sim, token=control.OAUTH_TOKEN, auth='bearer', sender=None) as oauth:
        assert oauth.post(sim.url + '/users', json=user_body('Carol', 'carol@example.com')).status_code == 201
    # Only POST /users asks for From here.
    with make_session(sim, sender=None) as anonymous:
        carol = [user for user in sim.state()['users'] if user['name'] == 'Carol'][0]
        assert anonymous.put(sim.url + '/users/' + carol['id'], json={'user': {'job_title': 'x'}}).status_code == 200
    assert sorted(user['name'] for user in sim.state()['users']) == ['Bob', 'Carol', 'Sim Owner']


def test_duplicate_and_invalid_email(sim, api):
    create_user(sim, api)
    duplicate = api.post(sim.url + '/users', json=user_body('Other', 'ALICE@Example.com'))
    assert duplicate.status_code == 400
    assert duplicate.json() == invalid('Email has already been taken')
    bob = create_user(sim, api, 'Bob', 'bob@example.com')
    assert api.put(sim.url + '/users/' + bob['id'], json={'user': {'email': 'Alice@example.com'}}).json() == invalid('Email has already been taken')
    # Keeping one's own email (another letter case) is fine.
    assert api.put(sim.url + '/users/' + bob['id'], json={'user': {'email': 'BOB@example.com'}}).status_code == 200
    bad = api.post(sim.url + '/users', json=user_body('Bad', 'no-at-sign.example.com'))
    assert bad.status_code == 400
    assert bad.json() == invalid('Email is invalid')


def test_roles(sim, api):
    observer = create_user(sim, api, role='observer')
    assert observer['role'] == 'observer'
    owner = api.post(sim.url + '/users', json=user_body('Boss', 'boss@example.com', role='owner'))
    assert owner.status_code == 400
    assert owner.json() == invalid('Role owner cannot be given through the API; the account has exactly one owner')
    promote = api.put(sim.url + '/users/' + observer['id'], json={'user': {'role': 'owner'}})
    assert promote.status_code == 400
    demote = api.put(sim.url + '/users/PSOWNER', json={'user': {'role': 'admin'}})
    assert demote.json() == invalid("The account owner's role cannot be changed")
    bogus = api.post(sim.url + '/users', json=user_body('Bogus', 'bogus@example.com', role='superuser'))
    assert bogus.status_code == 400
    assert bogus.json()['error']['code'] == 2001


def test_time_zones(sim, api):
    rejected = api.post(sim.url + '/users', json=user_body('Zed', 'zed@example.com', time_zone='UTC'))
    assert rejected.status_code == 400
    assert rejected.json() == invalid('Time zone is not a valid time zone')
    assert create_user(sim, api, 'Zed', 'zed@example.com', time_zone='Etc/UTC')['time_zone'] == 'Etc/UTC'
    for zone in ('America/New_York', 'Asia/Kolkata', 'Australia/Sydney'):
        assert create_user(sim, api, zone, zone.replace('/', '.').lower() + '@example.com', time_zone=zone)['time_zone'] == zone
    assert api.post(sim.url + '/users', json=user_body('Nyc', 'nyc@example.com', time_zone='America/NYC')).status_code == 400


def test_query_pagination_and_includes(sim, api):
    sim.seed({'count_users': 30})
    listing = api.get(sim.url + '/users', params={'total': 'true'}).json()
    assert (len(listing['users']), listing['more'], listing['total']) == (25, True, 31)
    assert listing['users'][0]['name'] == 'Sim Owner'
    assert listing['users'][1]['name'] == 'User 00001'
    by_email = api.get(sim.url + '/users', params={'query': 'USER00007@'}).json()['users']
    assert [user['email'] for user in by_email] == ['user00007@example.com']
    by_name = api.get(sim.url + '/users', params={'query': 'sim own'}).json()['users']
    assert [user['id'] for user in by_name] == ['PSOWNER']

    full = api.get(sim.url + '/users', params={'query': 'sim', 'include[]': ['contact_methods', 'notification_rules', 'teams']}).json()['users'][0]
    assert full['contact_methods'][0]['type'] == 'email_contact_method'
    assert full['contact_methods'][0]['address'] == OWNER_EMAIL
    assert full['notification_rules'][0]['start_delay_in_minutes'] == 0
    shown = api.get(sim.url + '/users/PSOWNER', params={'include[]': 'contact_methods'}).json()['user']
    assert shown['contact_methods'][0]['label'] == 'Default'
    assert shown['notification_rules'][0]['type'] == 'assignment_notification_rule_reference'
    assert no_violations(sim)


# --- contact methods ---------------------------------------------------------------------

def test_contact_method_crud_and_duplicates(sim, api):
    user = create_user(sim, api)
    base = '%s/users/%s/contact_methods' % (sim.url, user['id'])
    created = api.post(base, json={'contact_method': {'type': 'phone_contact_method', 'label': 'Mobile', 'address': '5555550100', 'country_code': 1}})
    assert created.status_code == 201
    phone = created.json()['contact_method']
    assert phone == {'id': phone['id'], 'type': 'phone_contact_method', 'summary': 'Mobile', 'self': base + '/' + phone['id'], 'html_url': None,
                     'label': 'Mobile', 'address': '5555550100', 'country_code': 1, 'enabled': True, 'blacklisted': False}
    assert api.get(base + '/' + phone['id']).json() == {'contact_method': phone}
    sms = api.post(base, json={'contact_method': {'type': 'sms_contact_method', 'label': 'Mobile', 'address': '5555550100', 'country_code': 1}})
    assert sms.status_code == 201
    email = api.post(base, json={'contact_method': {
        'type': 'email_contact_method', 'label': 'Work', 'address': 'alice.work@example.com', 'send_short_email': True}})
    assert email.json()['contact_method']['send_short_email'] is True

    duplicate = api.post(base, json={'contact_method': {'type': 'phone_contact_method', 'label': 'Other', 'address': '5555550100', 'country_code': 1}})
    assert duplicate.status_code == 400
    assert duplicate.json() == invalid('User Contact method must be unique')
    login = api.post(base, json={'contact_method': {'type': 'email_contact_method', 'label': 'Again', 'address': 'ALICE@example.com'}})
    assert login.json() == invalid('User Contact method must be unique')

    updated = api.put(base + '/' + phone['id'], json={'contact_method': {'type': 'phone_contact_method', 'label': 'Cell'}})
    assert updated.status_code == 200
    assert updated.json()['contact_method'] == dict(phone, label='Cell', summary='Cell')
    assert [method['label'] for method in api.get(base).json()['contact_methods']] == ['Default', 'Cell', 'Mobile', 'Work']
    assert api.delete(base + '/' + phone['id']).status_code == 204
    assert api.get(base + '/' + phone['id']).json() == NOT_FOUND
    # Another user's contact method is not reachable under this user.
    other = create_user(sim, api, 'Bob', 'bob@example.com')
    assert api.get('%s/users/%s/contact_methods/%s' % (sim.url, other['id'], email.json()['contact_method']['id'])).status_code == 404
    assert api.get(sim.url + '/users/PNOPE00/contact_methods').json() == NOT_FOUND
    assert no_violations(sim)


def test_deleting_a_contact_method_deletes_its_rules(sim, api):
    user = create_user(sim, api)
    base = '%s/users/%s' % (sim.url, user['id'])
    method_id = user['contact_methods'][0]['id']
    assert api.delete(base + '/contact_methods/' + method_id).status_code == 204
    assert api.get(base + '/notification_rules', params={'urgency': 'all'}).json() == {'notification_rules': []}
    assert api.get(base).json()['user']['notification_rules'] == []


# --- notification rules ---------------------------------------------------------------------

def test_notification_rule_crud(sim, api):
    user = create_user(sim, api)
    base = '%s/users/%s/notification_rules' % (sim.url, user['id'])
    phone = api.post('%s/users/%s/contact_methods' % (sim.url, user['id']), json={
        'contact_method': {'type': 'phone_contact_method', 'label': 'Mobile', 'address': '5555550100', 'country_code': 1}}).json()['contact_method']
    reference = {'id': phone['id'], 'type': 'phone_contact_method_reference'}
    created = api.post(base, json={'notification_rule': {'type': 'assignment_notification_rule', 'start_delay_in_minutes': 5,
                                                         'contact_method': reference, 'urgency': 'high'}})
    assert created.status_code == 201
    rule = created.json()['notification_rule']
    assert rule == {'id': rule['id'], 'type': 'assignment_notification_rule', 'summary': '5 minutes: channel %s' % phone['id'],
                    'self': base + '/' + rule['id'], 'html_url': None, 'start_delay_in_minutes': 5, 'urgency': 'high', 'created_at': rule['created_at'],
                    'contact_method': {'id': phone['id'], 'type': 'phone_contact_method_reference', 'summary': 'Mobile',
                                       'self': '%s/users/%s/contact_methods/%s' % (sim.url, user['id'], phone['id']), 'html_url': None}}
    shown = api.get(base + '/' + rule['id'], params={'include[]': 'contact_methods'}).json()['notification_rule']
    assert shown['contact_method'] == phone
    duplicate = api.post(base, json={'notification_rule': {'type': 'assignment_notification_rule', 'start_delay_in_minutes': 5,
                                                           'contact_method': reference, 'urgency': 'high'}})
    assert duplicate.status_code == 400
    assert duplicate.json() == invalid('Channel Start delay must be unique for a given contact method')
    updated = api.put(base + '/' + rule['id'], json={'notification_rule': {'start_delay_in_minutes': 10, 'urgency': 'low'}})
    assert updated.status_code == 200
    assert (updated.json()['notification_rule']['start_delay_in_minutes'], updated.json()['notification_rule']['urgency']) == (10, 'low')
    listed = api.get(base, params={'urgency': 'low', 'include[]': 'contact_methods'}).json()['notification_rules']
    assert [(item['start_delay_in_minutes'], item['contact_method']['type']) for item in listed] == [(0, 'email_contact_method'), (10, 'phone_contact_method')]
    assert api.delete(base + '/' + rule['id']).status_code == 204
    assert api.get(base + '/' + rule['id']).status_code == 404
    assert no_violations(sim)


def test_notification_rule_needs_the_users_own_contact_method(sim, api):
    alice = create_user(sim, api)
    bob = create_user(sim, api, 'Bob', 'bob@example.com')
    foreign = bob['contact_methods'][0]['id']
    response = api.post('%s/users/%s/notification_rules' % (sim.url, alice['id']), json={'notification_rule': {
        'type': 'assignment_notification_rule', 'start_delay_in_minutes': 1, 'urgency': 'high',
        'contact_method': {'id': foreign, 'type': 'email_contact_method_reference'}}})
    assert response.status_code == 400
    assert response.json() == invalid('Contact method %s is not a contact method of this user' % foreign)


# --- team membership ------------------------------------------------------------------------

def test_a_member_targeted_by_a_policy_of_the_team_cannot_be_taken_off_it(sim, api):
    """terraform-provider-pagerduty#558 records PagerDuty's 400 for this; another team's policy does not count."""
    sim.seed({'teams': [{'id': 'PTEAMA1', 'name': 'Ops'}, {'id': 'PTEAMB1', 'name': 'Dev'}],
              'users': [{'id': 'PUSERA1', 'name': 'Ann', 'email': 'ann@example.com',
                         'teams': [{'team': 'PTEAMA1', 'role': 'responder'}, {'team': 'PTEAMB1', 'role': 'responder'}]}],
              'escalation_policies': [{'id': 'PPOLA01', 'name': 'Ops EP', 'teams': ['PTEAMA1'],
                                       'escalation_rules': [{'escalation_delay_in_minutes': 30, 'targets': ['PUSERA1']}]}]})
    refused = api.delete(sim.url + '/teams/PTEAMA1/users/PUSERA1')
    assert (refused.status_code, refused.json()) == (400, invalid('User cannot be removed as they belong to an escalation policy on this team'))
    assert api.delete(sim.url + '/teams/PTEAMB1/users/PUSERA1').status_code == 204
    assert [team['id'] for team in api.get(sim.url + '/users/PUSERA1').json()['user']['teams']] == ['PTEAMA1']


def test_team_membership(sim, api):
    team_id = sim.seed({'teams': [{'name': 'Ops'}, {'name': 'Dev'}]})['teams'][0]
    alice = create_user(sim, api)
    bob = create_user(sim, api, 'Bob', 'bob@example.com')
    added = api.put('%s/teams/%s/users/%s' % (sim.url, team_id, alice['id']), json={'role': 'responder'})
    assert (added.status_code, added.content) == (204, b'')
    assert api.put('%s/teams/%s/users/%s' % (sim.url, team_id, bob['id']), json={'role': 'observer'}).status_code == 204
    assert api.put('%s/teams/%s/users/%s' % (sim.url, team_id, bob['id']), json={'role': 'manager'}).status_code == 204

    members = api.get('%s/teams/%s/members' % (sim.url, team_id)).json()
    assert members == {
        'members': [
            {'user': {'id': alice['id'], 'type': 'user_reference', 'summary': 'Alice Example', 'self': alice['self'], 'html_url': alice['html_url']},
             'role': 'responder'},
            {'user': {'id': bob['id'], 'type': 'user_reference', 'summary': 'Bob', 'self': bob['self'], 'html_url': bob['html_url']},
             'role': 'manager'},
        ],
        'limit': 25, 'offset': 0, 'more': False, 'total': None,
    }
    expanded = api.get('%s/teams/%s/members' % (sim.url, team_id), params={'include[]': 'users'}).json()['members']
    assert expanded[0]['user']['email'] == 'alice@example.com'

    teams = api.get(sim.url + '/users/' + alice['id']).json()['user']['teams']
    assert teams == [{'id': team_id, 'type': 'team_reference', 'summary': 'Ops', 'self': '%s/teams/%s' % (sim.url, team_id)}]
    full = api.get(sim.url + '/users/' + alice['id'], params={'include[]': 'teams'}).json()['user']['teams']
    assert full[0]['type'] == 'team' and full[0]['default_role'] == 'manager'
    filtered = api.get(sim.url + '/users', params={'team_ids[]': [team_id]}).json()['users']
    assert [user['name'] for user in filtered] == ['Alice Example', 'Bob']

    removed = api.delete('%s/teams/%s/users/%s' % (sim.url, team_id, alice['id']))
    assert removed.status_code == 204
    assert [member['user']['id'] for member in api.get('%s/teams/%s/members' % (sim.url, team_id)).json()['members']] == [bob['id']]
    assert api.get(sim.url + '/users/' + alice['id']).json()['user']['teams'] == []

    assert api.put('%s/teams/PNOPE00/users/%s' % (sim.url, bob['id']), json={'role': 'manager'}).json() == NOT_FOUND
    assert api.put('%s/teams/%s/users/PNOPE00' % (sim.url, team_id), json={'role': 'manager'}).status_code == 404
    assert api.get(sim.url + '/teams/PNOPE00/members').status_code == 404

    assert api.delete('%s/teams/%s' % (sim.url, team_id)).status_code == 204
    assert api.get(sim.url + '/users/' + bob['id']).json()['user']['teams'] == []
    assert no_violations(sim)


def test_read_only_users_cannot_join_teams(sim, api):
    team_id = sim.seed({'teams': [{'name': 'Ops'}]})['teams'][0]
    reader = create_user(sim, api, role='read_only_user')
    response = api.put('%s/teams/%s/users/%s' % (sim.url, team_id, reader['id']), json={'role': 'observer'})
    assert response.status_code == 400
    assert response.json()['error']['code'] == 2001


# --- seeding --------------------------------------------------------------------------------

def test_seed_users_with_contact_methods_rules_and_teams(sim, api):
    sim.seed({'teams': [{'id': 'PTEAM01', 'name': 'Ops'}]})
    result = sim.seed({'users': [
        {'id': 'PUSER01', 'name': 'Seeded', 'email': 'seeded@example.com', 'role': 'admin', 'time_zone': 'Asia/Tokyo',
         'contact_methods': [{'id': 'PCM0001', 'type': 'email_contact_method', 'label': 'Default', 'address': 'seeded@example.com'},
                             {'type': 'sms_contact_method', 'label': 'Mobile', 'address': '5555550100'}],
         'notification_rules': [{'start_delay_in_minutes': 0, 'urgency': 'high', 'contact_method': {'id': 'PCM0001'}},
                                {'start_delay_in_minutes': 3, 'urgency': 'high', 'contact_method': {'address': '5555550100'}}],
         'teams': [{'team': 'PTEAM01', 'role': 'manager'}]},
        {'name': 'Plain', 'email': 'plain@example.com'},
    ], 'count_users': 3})
    assert result['users'][0] == 'PUSER01' and len(result['users']) == 5
    seeded = api.get(sim.url + '/users/PUSER01', params={'include[]': ['contact_methods', 'notification_rules']}).json()['user']
    assert (seeded['role'], seeded['time_zone'], seeded['invitation_sent']) == ('admin', 'Asia/Tokyo', False)
    assert [(method['id'] == 'PCM0001', method['type'], method.get('country_code')) for method in seeded['contact_methods']] == [
        (True, 'email_contact_method', None), (False, 'sms_contact_method', 1)]
    assert [(rule['start_delay_in_minutes'], rule['contact_method']['summary']) for rule in seeded['notification_rules']] == [(0, 'Default'), (3, 'Mobile')]
    assert seeded['teams'][0]['id'] == 'PTEAM01'
    plain = api.get(sim.url + '/users', params={'query': 'plain@'}).json()['users'][0]
    assert (len(plain['contact_methods']), len(plain['notification_rules'])) == (1, 2)
    names = [user['name'] for user in api.get(sim.url + '/users', params={'query': 'user 0'}).json()['users']]
    assert names == ['User 00003', 'User 00004', 'User 00005']  # numbered after the two users seeded before them


def test_a_user_seeded_with_contact_methods_but_no_rules_gets_the_default_rules_on_its_login_email(sim, api):
    sim.seed({'users': [{'id': 'PUSER02', 'name': 'Methods', 'email': 'methods@example.com',
                         'contact_methods': [{'id': 'PCM0009', 'type': 'email_contact_method', 'label': 'Work', 'address': 'methods@example.com'},
                                             {'type': 'sms_contact_method', 'label': 'Mobile', 'address': '5555550101'}]}]})
    rules = api.get(sim.url + '/users/PUSER02/notification_rules', params={'urgency': 'all'}).json()['notification_rules']
    assert sorted((rule['urgency'], rule['start_delay_in_minutes'], rule['contact_method']['id']) for rule in rules) == [
        ('high', 0, 'PCM0009'), ('low', 0, 'PCM0009')]


def test_bulk_seed_is_fast(sim, api):
    assert len(sim.seed({'count_users': 2000})['users']) == 2000
    page = api.get(sim.url + '/users', params={'limit': 100, 'offset': 1900, 'total': 'true'}).json()
    assert (page['total'], page['more'], len(page['users'])) == (2001, True, 100)


# --- spec validation -------------------------------------------------------------------------

@pytest.mark.needs_spec
def test_spec_violations_on_user_endpoints(sim, api):
    missing_email = api.post(sim.url + '/users', json={'user': {'type': 'user', 'name': 'No Email'}})
    assert missing_email.status_code == 400
    assert sim.requests()[-1]['spec_violations'] == ['body.user.email is required']
    user = create_user(sim, api)
    sim.clear_requests()
    bad_role = api.put('%s/teams/%s/users/%s' % (sim.url, sim.seed({'teams': [{'name': 'T'}]})['teams'][0], user['id']), json={'role': 'boss'})
    assert bad_role.status_code == 400
    bad_kind = api.post('%s/users/%s/contact_methods' % (sim.url, user['id']), json={'contact_method': {'type': 'pager', 'label': 'x', 'address': 'y'}})
    assert bad_kind.status_code == 400
    assert bad_kind.json()['error']['errors'][0].startswith('body.contact_method matches none of the allowed schemas (closest: ')
    assert api.get(sim.url + '/users', params={'include[]': 'everything'}).status_code == 400
    assert api.get('%s/users/%s/notification_rules' % (sim.url, user['id']), params={'urgency': 'medium'}).status_code == 400
    assert all(entry['spec_violations'] for entry in sim.requests())


# --- the delete guard hook (in-process) ------------------------------------------------------

def test_delete_guard_refuses_with_what_references_the_user(monkeypatch):
    state = server.SimulatorState()
    ctx = state.context()
    user = users.USERS.seed(ctx, {'name': 'Guarded', 'email': 'guarded@example.com'})

    def guard(unused_ctx, stored):
        return ['User is on escalation policy PEP0001'] if stored['id'] == user['id'] else []

    monkeypatch.setattr(users.USERS, 'delete_guards', [guard])
    request = server.ApiRequest('DELETE', '/users/' + user['id'], {}, None, {})
    route, request.params = core.find_route(state.routes, 'DELETE', request.path)
    with pytest.raises(core.ApiError) as refused:
        route.handler(ctx, request)
    assert (refused.value.status, refused.value.body()) == (400, invalid('User is on escalation policy PEP0001'))
    monkeypatch.setattr(users.USERS, 'delete_guards', [])
    assert route.handler(ctx, request) == (204, None)


def test_every_time_zone_of_the_developer_docs_types_page_is_accepted(sim, api):
    """Etc/GMT+12 ("International Date Line West") is on PagerDuty's list although Rails' mapping lacks it."""
    body = {'user': {'type': 'user', 'name': 'Baker', 'email': 'baker@example.com', 'time_zone': 'Etc/GMT+12'}}
    created = api.post(sim.url + '/users', json=body, headers={'From': 'owner@example.com'})
    assert created.status_code == 201, created.text
    assert created.json()['user']['time_zone'] == 'Etc/GMT+12'


# --- on-call handoff notification rules -----------------------------------------------------

def handoff_path(sim, user_id, rule_id=None):
    base = f'{sim.url}/users/{user_id}/oncall_handoff_notification_rules'
    return f'{base}/{rule_id}' if rule_id else base


def handoff_body(method_id, **fields):
    rule = {'contact_method': {'id': method_id, 'type': 'email_contact_method_reference'}}
    rule.update(fields)
    return {'oncall_handoff_notification_rule': rule}


def login_method(sim, api, user_id):
    return api.get(f'{sim.url}/users/{user_id}/contact_methods').json()['contact_methods'][0]


def test_handoff_rules_are_created_listed_updated_and_deleted(sim, api):
    user = create_user(sim, api)
    method = login_method(sim, api, user['id'])
    assert api.get(handoff_path(sim, user['id'])).json() == {'oncall_handoff_notification_rules': []}
    created = api.post(handoff_path(sim, user['id']), json=handoff_body(method['id'], handoff_type='oncall', notify_advance_in_minutes=60))
    assert created.status_code == 201, created.text
    rule = created.json()['oncall_handoff_notification_rule']
    assert ID_PATTERN.match(rule['id'])
    assert rule == {'id': rule['id'], 'handoff_type': 'oncall', 'notify_advance_in_minutes': 60, 'contact_method': {
        'id': method['id'], 'type': 'email_contact_method_reference', 'summary': 'Default',
        'self': f"{sim.url}/users/{user['id']}/contact_methods/{method['id']}", 'html_url': None}}
    assert api.get(handoff_path(sim, user['id'])).json() == {'oncall_handoff_notification_rules': [rule]}
    assert api.get(handoff_path(sim, user['id'], rule['id'])).json() == {'oncall_handoff_notification_rule': rule}
    updated = api.put(handoff_path(sim, user['id'], rule['id']), json=handoff_body(method['id'], handoff_type='oncall', notify_advance_in_minutes=30))
    assert updated.status_code == 200, updated.text
    assert updated.json()['oncall_handoff_notification_rule']['notify_advance_in_minutes'] == 30
    assert api.delete(handoff_path(sim, user['id'], rule['id'])).status_code == 204
    assert api.get(handoff_path(sim, user['id'], rule['id'])).json() == NOT_FOUND
    assert no_violations(sim)


def test_a_handoff_rule_needs_its_handoff_type(sim, api):
    """The spec requires handoff_type (and gives "both" as its default): a create without one is refused."""
    user = create_user(sim, api)
    method = login_method(sim, api, user['id'])
    refused = api.post(handoff_path(sim, user['id']), json=handoff_body(method['id']))
    assert refused.status_code == 400
    assert refused.json()['error']['errors'] == ['body.oncall_handoff_notification_rule.handoff_type is required']


def test_handoff_rules_refuse_bad_input(sim, api):
    user = create_user(sim, api)
    other = create_user(sim, api, name='Bob', email='bob@example.com')
    method = login_method(sim, api, user['id'])
    foreign = login_method(sim, api, other['id'])
    bad_type = api.post(handoff_path(sim, user['id']), json=handoff_body(method['id'], handoff_type='sometimes'))
    assert bad_type.status_code == 400
    assert bad_type.json()['error']['errors'] == [
        'body.oncall_handoff_notification_rule.handoff_type must be one of "both", "oncall", "offcall", got "sometimes"']
    with pytest.raises(core.ApiError, match='Handoff type must be one of both, oncall, offcall'):
        users.HANDOFF_RULES.create(server.SimulatorState().context(), {'handoff_type': 'sometimes'}, parent={'id': user['id']})
    negative = api.post(handoff_path(sim, user['id']), json=handoff_body(method['id'], handoff_type='both', notify_advance_in_minutes=-1))
    assert negative.status_code == 400
    not_theirs = api.post(handoff_path(sim, user['id']), json=handoff_body(foreign['id'], handoff_type='both'))
    assert not_theirs.json() == invalid(f"Contact method {foreign['id']} is not a contact method of this user")
    assert api.post(handoff_path(sim, user['id']), json=handoff_body(method['id'], handoff_type='both')).status_code == 201
    twice = api.post(handoff_path(sim, user['id']), json=handoff_body(method['id'], handoff_type='both'))
    assert twice.json() == invalid('A handoff notification rule with this contact method, handoff type and advance already exists')
    assert api.get(handoff_path(sim, 'PNOSUCH')).json() == NOT_FOUND


def test_deleting_a_contact_method_deletes_its_handoff_rules(sim, api):
    user = create_user(sim, api)
    phone = api.post(f"{sim.url}/users/{user['id']}/contact_methods", json={'contact_method': {
        'type': 'phone_contact_method', 'address': '5550100', 'label': 'Mobile', 'country_code': 1}}).json()['contact_method']
    body = handoff_body(phone['id'], handoff_type='offcall')
    body['oncall_handoff_notification_rule']['contact_method']['type'] = 'phone_contact_method_reference'
    assert api.post(handoff_path(sim, user['id']), json=body).status_code == 201
    assert api.delete(f"{sim.url}/users/{user['id']}/contact_methods/{phone['id']}").status_code == 204
    assert api.get(handoff_path(sim, user['id'])).json() == {'oncall_handoff_notification_rules': []}


def test_a_user_is_seeded_with_handoff_rules(sim, api):
    sim.seed({'users': [{'id': 'PHAND01', 'name': 'Ann', 'email': 'ann@example.com', 'handoff_notification_rules': [
        {'contact_method': {'address': 'ann@example.com'}, 'handoff_type': 'offcall', 'notify_advance_in_minutes': 15}]}]})
    [rule] = api.get(handoff_path(sim, 'PHAND01')).json()['oncall_handoff_notification_rules']
    assert (rule['handoff_type'], rule['notify_advance_in_minutes'], rule['contact_method']['type']) == ('offcall', 15, 'email_contact_method_reference')


# --- licenses ---------------------------------------------------------------------------------

LICENSES_SEED = {'licenses': [{'id': 'PLICFUL', 'name': 'Full User'}, {'id': 'PLICSTK', 'name': 'Stakeholder', 'allocations_available': 1}]}


def test_a_fresh_account_has_no_licenses(sim, api):
    assert api.get(sim.url + '/licenses').json() == {'licenses': []}
    assert api.get(sim.url + '/license_allocations').json() == {'license_allocations': [], 'limit': 25, 'offset': 0, 'more': False, 'total': None}
    user = create_user(sim, api)
    assert api.get(f"{sim.url}/users/{user['id']}/license").status_code == 404
    refused = api.post(sim.url + '/users', json=user_body('Bob', 'bob@example.com', license={'id': 'PNOSUCH', 'type': 'license_reference'}))
    assert refused.json() == invalid('License PNOSUCH not found')


def test_licenses_are_listed_with_their_counts(sim, api):
    sim.seed(LICENSES_SEED)
    full, stakeholder = api.get(sim.url + '/licenses').json()['licenses']
    assert full == {'id': 'PLICFUL', 'type': 'license', 'summary': 'Full User', 'self': None, 'html_url': None, 'name': 'Full User',
                    'description': '', 'valid_roles': ['owner', 'admin', 'user', 'limited_user', 'observer', 'restricted_access'],
                    'role_group': 'FullUser', 'current_value': 0, 'allocations_available': None}
    assert (stakeholder['role_group'], stakeholder['valid_roles'], stakeholder['allocations_available']) == (
        'Stakeholder', ['read_only_user', 'read_only_limited_user'], 1)
    assert no_violations(sim)


def test_a_license_is_allocated_on_create_and_update(sim, api):
    sim.seed(LICENSES_SEED)
    alice = create_user(sim, api)  # no license named: the first one that allows the role
    assert api.get(f"{sim.url}/users/{alice['id']}/license").json()['license']['id'] == 'PLICFUL'
    bob = create_user(sim, api, name='Bob', email='bob@example.com', role='read_only_user', license={'id': 'PLICSTK', 'type': 'license_reference'})
    bob_license = api.get(f"{sim.url}/users/{bob['id']}/license").json()
    assert 'current_value' not in bob_license['license'] and bob_license['license']['id'] == 'PLICSTK'
    assert 'license' not in bob  # the User schema has no license field
    full_again = create_user(sim, api, name='Cat', email='cat@example.com', role='read_only_user')
    assert api.get(f"{sim.url}/users/{full_again['id']}/license").status_code == 404  # the stakeholder license is used up
    no_room = api.put(f"{sim.url}/users/{full_again['id']}", json={'user': {'license': {'id': 'PLICSTK', 'type': 'license_reference'}}})
    assert no_room.json() == invalid('License is not available')
    wrong_role = api.put(f"{sim.url}/users/{alice['id']}", json={'user': {'license': {'id': 'PLICSTK', 'type': 'license_reference'}}})
    assert wrong_role.json() == invalid('The role user is not valid for the license Stakeholder; its roles are read_only_user, read_only_limited_user')
    role_alone = api.put(f"{sim.url}/users/{bob['id']}", json={'user': {'role': 'user'}})
    assert role_alone.json() == invalid('The role user is not valid for the license Stakeholder; give a license that allows it')
    both = api.put(f"{sim.url}/users/{bob['id']}", json={'user': {'role': 'user', 'license': {'id': 'PLICFUL', 'type': 'license_reference'}}})
    assert both.status_code == 200, both.text
    assert [item['current_value'] for item in api.get(sim.url + '/licenses').json()['licenses']] == [2, 0]
    allocations = api.get(sim.url + '/license_allocations').json()['license_allocations']
    assert [(item['user']['id'], item['license']['id']) for item in allocations] == [(alice['id'], 'PLICFUL'), (bob['id'], 'PLICFUL')]
    assert all('current_value' not in item['license'] and item['allocated_at'] for item in allocations)
    assert no_violations(sim)


def test_a_user_is_seeded_with_a_license_by_name(sim, api):
    sim.seed(dict(LICENSES_SEED, users=[{'id': 'PLICUSR', 'name': 'Ann', 'email': 'ann@example.com', 'role': 'read_only_user',
                                         'license': 'Stakeholder'}]))
    assert api.get(sim.url + '/users/PLICUSR/license').json()['license']['name'] == 'Stakeholder'
