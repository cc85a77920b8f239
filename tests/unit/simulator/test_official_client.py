# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PagerDuty's official Python client (PyPI ``pagerduty``) against the simulator.

The simulator's default mode must accept what PagerDuty accepts: the client's common operations
(iter_all, find, get_total, rget, rpost, rput, rdelete, persist) must not be refused, and where the
client departs from the OpenAPI document (a create body without ``type``, a null field sent back
on PUT, a ``user`` type where the spec says ``user_reference``) the log entry records the deviation.
Strict mode refuses those same requests.

``pagerduty`` is a declared requirement (tests/unit/requirements.txt), so it is imported plainly:
a missing package fails these tests instead of skipping them.

The client only takes an ``https://`` base URL (``ApiClient.url`` raises ``UrlError`` otherwise),
so these tests use their own TLS simulator (one per module, started strict like the conftest's
``sim``), reset before each test by the ``sim`` fixture below, and pass its test CA to httpx2.
"""

from __future__ import annotations

import copy
import ssl

import pagerduty
import pytest
from control import Simulator  # pylint: disable=import-error

OWNER_EMAIL = 'owner@example.com'
ACCEPT = 'application/vnd.pagerduty+json;version=2'
HTML = 'https://simulator.pagerduty.invalid'
INVALID = 'Invalid Input Provided'


def missing_type(wrapper):
    return f'body.{wrapper}.type is required by the OpenAPI document'


def null_field(where):
    return f'{where} is null, which the OpenAPI document does not allow (accepted; the field is left as it is)'


def reference_type(where, expected, got):
    return f'{where}.type must be one of "{expected}", got "{got}" (PagerDuty takes it as {expected})'


@pytest.fixture(name='tls_simulator', scope='module')
def tls_simulator_fixture():
    with Simulator(tls=True, strict=True) as started:
        yield started


@pytest.fixture(name='sim')
def sim_fixture(tls_simulator, monkeypatch):
    """The module's TLS simulator, reset (strict again, as it started), loopback traffic never proxied."""
    monkeypatch.setenv('NO_PROXY', '127.0.0.1,localhost')
    monkeypatch.setenv('no_proxy', '127.0.0.1,localhost')
    tls_simulator.reset()
    tls_simulator.set_rate_limit(None)
    return tls_simulator


def make_client(sim, default_from=OWNER_EMAIL):
    """A RestApiV2Client pointed at the simulator: its url setter, the test CA, no proxy settings."""
    client = pagerduty.RestApiV2Client(sim.token, default_from=default_from,
                                       verify=ssl.create_default_context(cafile=sim.ca_file), trust_env=False)
    client.url = sim.url
    client.max_network_attempts = 0  # a simulator that does not answer is a failure, not something to wait for
    return client


@pytest.fixture(name='client')
def client_fixture(sim):
    with make_client(sim) as client:
        yield client


def api_log(sim):
    """(method, path, status) of every logged request."""
    return [(entry['method'], entry['path'], entry['status']) for entry in sim.requests()]


def deviations(sim):
    """(method, path, spec_deviations) of the logged requests that recorded any."""
    return [(entry['method'], entry['path'], entry['spec_deviations']) for entry in sim.requests() if entry['spec_deviations']]


def assert_nothing_refused(sim):
    refused = [(entry['method'], entry['path'], entry['status'], entry['spec_violations'])
               for entry in sim.requests() if entry['status'] >= 400 or entry['spec_violations']]
    assert not refused


def ref(kind, object_id):
    return {'id': object_id, 'type': f'{kind}_reference'}


def seed_people(sim):
    sim.seed({'users': [{'id': 'PUSER01', 'name': 'Ann', 'email': 'ann@example.com'},
                        {'id': 'PUSER02', 'name': 'Bob', 'email': 'bob@example.com'}],
              'teams': [{'id': 'PTEAM01', 'name': 'Ops'}]})


def layer(users, start='2099-01-01T00:00:00Z', **fields):
    """A daily layer as the API takes it (users: references)."""
    return dict({'start': start, 'rotation_virtual_start': start, 'rotation_turn_length_seconds': 86400,
                 'users': [{'user': user} for user in users]}, **fields)


def seed_layer(user_ids, start='2099-01-01T00:00:00Z'):
    """A daily layer as the admin seed takes it (users: bare ids)."""
    return {'start': start, 'rotation_virtual_start': start, 'rotation_turn_length_seconds': 86400, 'users': list(user_ids)}


# -- reading -------------------------------------------------------------------------------------


def test_iter_all_users_over_pages(sim, client):
    sim.set_strict(False)
    seeded = sim.seed({'count_users': 30})['users']
    users = list(client.iter_all('users', page_size=10))
    assert [user['id'] for user in users] == ['PSOWNER'] + seeded
    assert [user['name'] for user in users] == ['Sim Owner'] + [f'User {index:05d}' for index in range(1, 31)]
    assert [user['email'] for user in users[1:3]] == ['user00001@example.com', 'user00002@example.com']
    entries = sim.requests()
    assert [(entry['method'], entry['path'], entry['query']) for entry in entries] == [
        ('GET', '/users', {'limit': ['10'], 'total': ['false'], 'offset': [str(offset)]}) for offset in (0, 10, 20, 30)]
    assert [entry['status'] for entry in entries] == [200, 200, 200, 200]
    assert not deviations(sim)
    assert_nothing_refused(sim)


def test_list_all_and_dict_all_with_the_default_page_size(sim, client):
    sim.set_strict(False)
    sim.seed({'count_users': 120, 'count_teams': 3})
    users = client.list_all('users')
    assert len(users) == 121
    assert users[-1]['email'] == 'user00120@example.com'
    teams = client.dict_all('teams', by='name')
    assert sorted(teams) == ['Team 00001', 'Team 00002', 'Team 00003']
    assert [(entry['path'], entry['query']) for entry in sim.requests()] == [
        ('/users', {'limit': ['100'], 'total': ['false'], 'offset': ['0']}),
        ('/users', {'limit': ['100'], 'total': ['false'], 'offset': ['100']}),
        ('/teams', {'limit': ['100'], 'total': ['false'], 'offset': ['0']}),
    ]
    assert not deviations(sim)
    assert_nothing_refused(sim)


def test_iter_all_with_list_filters_and_include(sim, client):
    """A list value gets ``[]`` appended to its name (RestApiV2Client.normalize_params)."""
    sim.set_strict(False)
    sim.seed({'teams': [{'id': 'PTEAM01', 'name': 'Ops'}],
              'users': [{'id': 'PUSER01', 'name': 'Ann', 'email': 'ann@example.com', 'teams': [{'team': 'PTEAM01', 'role': 'responder'}]},
                        {'id': 'PUSER02', 'name': 'Bob', 'email': 'bob@example.com'}]})
    users = list(client.iter_all('users', params={'team_ids': ['PTEAM01'], 'include': ['teams']}))
    assert [user['id'] for user in users] == ['PUSER01']
    assert users[0]['teams'][0]['id'] == 'PTEAM01'
    assert users[0]['teams'][0]['type'] == 'team'
    assert users[0]['teams'][0]['name'] == 'Ops'
    (entry,) = sim.requests()
    assert entry['query'] == {'limit': ['100'], 'total': ['false'], 'team_ids[]': ['PTEAM01'], 'include[]': ['teams'], 'offset': ['0']}
    assert not entry['spec_deviations']
    assert_nothing_refused(sim)


def test_find_user_by_email(sim, client):
    sim.set_strict(False)
    sim.seed({'count_users': 30})
    found = client.find('users', 'USER00017@example.com', attribute='email')
    assert found['name'] == 'User 00017'
    assert found['email'] == 'user00017@example.com'
    assert found['type'] == 'user'
    assert client.find('users', 'nobody@example.com', attribute='email') is None
    assert client.find('users', 'User 00003')['email'] == 'user00003@example.com'
    assert [entry['query'] for entry in sim.requests()] == [
        {'limit': ['100'], 'total': ['false'], 'query': [query], 'offset': ['0']}
        for query in ('USER00017@example.com', 'nobody@example.com', 'User 00003')]
    assert not deviations(sim)
    assert_nothing_refused(sim)


def test_get_total(sim, client):
    sim.set_strict(False)
    sim.seed({'count_users': 30, 'count_teams': 4})
    assert client.get_total('users') == 31
    assert client.get_total('teams') == 4
    assert client.get_total('teams', params={'query': 'Team 0000'}) == 4
    assert client.get_total('teams', params={'query': 'Team 00002'}) == 1
    assert [entry['query'] for entry in sim.requests()][:2] == [{'total': ['true'], 'limit': ['1'], 'offset': ['0']}] * 2
    assert not deviations(sim)
    assert_nothing_refused(sim)


def test_subdomain_and_jget(sim, client):
    sim.set_strict(False)
    assert client.subdomain == 'simulator'
    body = client.jget('users/PSOWNER')
    assert body['user']['email'] == OWNER_EMAIL
    assert body['user']['role'] == 'owner'
    assert [(entry['path'], entry['query']) for entry in sim.requests()] == [('/users', {'limit': ['1']}), ('/users/PSOWNER', {})]
    assert_nothing_refused(sim)


def test_request_headers(sim, client):
    """What the client sends: its own Accept, User-Agent and From on every request, Content-Type on writes."""
    sim.set_strict(False)
    client.rget('users/PSOWNER')
    client.rpost('teams', json={'name': 'Ops'})
    get, post = sim.requests()
    for entry in (get, post):
        headers = entry['headers']
        assert headers['accept'] == ACCEPT
        assert headers['authorization'] == 'Token token=sim-write-token'
        assert headers['from'] == OWNER_EMAIL
        assert headers['user-agent'].startswith('python-pagerduty/7.2.0 httpx2/')
    assert 'content-type' not in get['headers']
    assert post['headers']['content-type'] == 'application/json'
    assert post['body'] == {'team': {'name': 'Ops'}}
    assert_nothing_refused(sim)


def test_iter_all_of_a_plain_list_sends_unknown_query_parameters(sim, client):
    """iter_all always sends limit, total and offset; GET /users/{id}/contact_methods defines none of them.

    PagerDuty ignores them (recorded as deviations); the answer has no ``more``, so the client warns and
    stops after the first page.
    """
    sim.set_strict(False)
    sim.seed({'users': [{'id': 'PUSER01', 'name': 'Ann', 'email': 'ann@example.com',
                         'contact_methods': [{'id': 'PCM0001', 'type': 'email_contact_method', 'label': 'Default', 'address': 'ann@example.com'},
                                             {'id': 'PCM0002', 'type': 'sms_contact_method', 'label': 'Mobile', 'address': '5555550100'}]}]})
    with pytest.warns(UserWarning, match='lacks a "more" property'):
        methods = list(client.iter_all('users/PUSER01/contact_methods'))
    assert [(method['id'], method['type'], method['label']) for method in methods] == [
        ('PCM0001', 'email_contact_method', 'Default'), ('PCM0002', 'sms_contact_method', 'Mobile')]
    assert client.rget('users/PUSER01/contact_methods') == methods
    assert [entry['query'] for entry in sim.requests()] == [{'limit': ['100'], 'total': ['false'], 'offset': ['0']}, {}]
    assert deviations(sim) == [('GET', '/users/PUSER01/contact_methods', [
        f"query parameter '{name}' is not defined for this operation" for name in ('limit', 'total', 'offset')])]
    assert_nothing_refused(sim)


def test_api_key_access_of_an_account_token(sim, client):
    """The client tells an account token by GET /users/me's plain-string 400 naming an "account-level access token"."""
    sim.set_strict(False)
    assert client.api_key_access == 'account'
    assert [(entry['method'], entry['path'], entry['status']) for entry in sim.requests()] == [('GET', '/users/me', 400)]


# -- creating, updating, deleting ----------------------------------------------------------------


def test_create_user_with_from(sim, client):
    sim.set_strict(False)
    user = client.rpost('users', json={'name': 'New Person', 'email': 'new@example.com', 'time_zone': 'Europe/Berlin'})
    assert user['type'] == 'user'
    assert (user['name'], user['email'], user['time_zone'], user['role']) == ('New Person', 'new@example.com', 'Europe/Berlin', 'user')
    assert user['invitation_sent'] is True
    assert user['self'] == f"{sim.url}/users/{user['id']}"
    assert client.rget(user)['email'] == 'new@example.com'
    (post, get) = sim.requests()
    assert post['body'] == {'user': {'name': 'New Person', 'email': 'new@example.com', 'time_zone': 'Europe/Berlin'}}
    assert post['headers']['from'] == OWNER_EMAIL
    assert (post['status'], get['status']) == (201, 200)
    assert deviations(sim) == [('POST', '/users', [missing_type('user')])]
    assert_nothing_refused(sim)


def test_create_user_without_from_is_refused(sim):
    """An account token creating a user without From: PagerDuty's 400 (code 2016), from the handler, not the spec."""
    sim.set_strict(False)
    with make_client(sim, default_from=None) as client:
        with pytest.raises(pagerduty.HttpError) as caught:
            client.rpost('users', json={'name': 'New Person', 'email': 'new@example.com'})
    assert caught.value.response.status_code == 400
    assert caught.value.response.json()['error']['code'] == 2016
    (entry,) = sim.requests()
    assert 'from' not in entry['headers']
    assert entry['spec_violations'] == []
    assert entry['spec_deviations'] == [missing_type('user')]


def test_team_create_update_delete(sim, client):
    sim.set_strict(False)
    team = client.rpost('teams', json={'name': 'Ops', 'description': 'Operations'})
    assert (team['type'], team['name'], team['description'], team['parent']) == ('team', 'Ops', 'Operations', None)
    child = client.rpost('teams', json={'name': 'Ops EU', 'parent': ref('team', team['id'])})
    assert child['parent']['id'] == team['id']
    updated = client.rput(team, json={'description': 'Run the show'})
    assert (updated['id'], updated['name'], updated['description']) == (team['id'], 'Ops', 'Run the show')
    response = client.rdelete(child)
    assert response.status_code == 204
    client.rdelete(f"teams/{team['id']}")
    with pytest.raises(pagerduty.HttpError) as caught:
        client.rget(team)
    assert caught.value.response.status_code == 404
    assert api_log(sim) == [('POST', '/teams', 201), ('POST', '/teams', 201), ('PUT', f"/teams/{team['id']}", 200),
                            ('DELETE', f"/teams/{child['id']}", 204), ('DELETE', f"/teams/{team['id']}", 204),
                            ('GET', f"/teams/{team['id']}", 404)]
    assert sim.requests()[2]['body'] == {'team': {'description': 'Run the show'}}
    assert deviations(sim) == [('POST', '/teams', [missing_type('team')])] * 2
    assert not any(entry['spec_violations'] for entry in sim.requests())


def test_schedule_create_update_delete(sim, client):
    sim.set_strict(False)
    seed_people(sim)
    schedule = client.rpost('schedules', json={
        'name': 'Primary', 'time_zone': 'Etc/UTC', 'teams': [ref('team', 'PTEAM01')],
        'schedule_layers': [layer([ref('user', 'PUSER01')], name='Day')]})
    assert (schedule['type'], schedule['name'], schedule['time_zone']) == ('schedule', 'Primary', 'Etc/UTC')
    assert [team['id'] for team in schedule['teams']] == ['PTEAM01']
    (day,) = schedule['schedule_layers']
    assert (day['name'], day['start'], day['end'], day['rotation_turn_length_seconds']) == ('Day', '2099-01-01T00:00:00Z', None, 86400)
    assert [entry['user']['id'] for entry in day['users']] == ['PUSER01']
    assert [user['id'] for user in schedule['users']] == ['PUSER01']

    # Layer users given as {"type": "user"} (the full object's type) instead of "user_reference".
    second = client.rpost('schedules', json={
        'name': 'Second', 'time_zone': 'Europe/Berlin',
        'schedule_layers': [layer([{'id': 'PUSER01', 'type': 'user'}, {'id': 'PUSER02', 'type': 'user'}])]})
    assert [entry['user'] for entry in second['schedule_layers'][0]['users']] == [
        {'id': user_id, 'type': 'user_reference', 'summary': name, 'self': f'{sim.url}/users/{user_id}', 'html_url': f'{HTML}/users/{user_id}'}
        for user_id, name in (('PUSER01', 'Ann'), ('PUSER02', 'Bob'))]

    updated = client.rput(schedule, json={'name': 'Primary (renamed)', 'description': 'On call'})
    assert (updated['name'], updated['description']) == ('Primary (renamed)', 'On call')
    assert [each['id'] for each in updated['schedule_layers']] == [day['id']]
    assert client.rdelete(second).status_code == 204
    assert client.rdelete(schedule).status_code == 204
    assert [entry['status'] for entry in sim.requests()] == [201, 201, 200, 204, 204]
    assert deviations(sim) == [
        ('POST', '/schedules', [missing_type('schedule')]),
        ('POST', '/schedules', [reference_type('body.schedule.schedule_layers[0].users[0].user', 'user_reference', 'user'),
                                reference_type('body.schedule.schedule_layers[0].users[1].user', 'user_reference', 'user'),
                                missing_type('schedule')]),
    ]
    assert_nothing_refused(sim)


def test_escalation_policy_targets_a_user_and_a_schedule(sim, client):
    sim.set_strict(False)
    seed_people(sim)
    sim.seed({'schedules': [{'id': 'PSCHED1', 'name': 'Primary', 'time_zone': 'Etc/UTC',
                             'schedule_layers': [seed_layer(['PUSER02'])]}]})
    policy = client.rpost('escalation_policies', json={
        'name': 'Primary', 'num_loops': 1, 'teams': [ref('team', 'PTEAM01')],
        'escalation_rules': [{'escalation_delay_in_minutes': 30, 'targets': [ref('user', 'PUSER01'), ref('schedule', 'PSCHED1')]}]})
    assert (policy['type'], policy['name'], policy['num_loops'], policy['on_call_handoff_notifications']) == (
        'escalation_policy', 'Primary', 1, 'if_has_services')
    (rule,) = policy['escalation_rules']
    assert [(target['id'], target['type']) for target in rule['targets']] == [('PUSER01', 'user_reference'), ('PSCHED1', 'schedule_reference')]
    assert rule['escalation_rule_assignment_strategy'] == {'type': 'assign_to_everyone'}
    assert [team['id'] for team in policy['teams']] == ['PTEAM01']
    assert [each['id'] for each in client.rget('schedules/PSCHED1')['escalation_policies']] == [policy['id']]

    rules = [dict(rule, escalation_delay_in_minutes=15),
             {'escalation_delay_in_minutes': 10, 'targets': [ref('user', 'PUSER02')]}]
    updated = client.rput(policy, json={'name': 'Primary policy', 'escalation_rules': rules})
    assert updated['name'] == 'Primary policy'
    assert updated['escalation_rules'][0]['id'] == rule['id']
    assert [each['escalation_delay_in_minutes'] for each in updated['escalation_rules']] == [15, 10]
    assert client.rdelete(policy).status_code == 204
    assert [entry['status'] for entry in sim.requests()] == [201, 200, 200, 204]
    assert deviations(sim) == [('POST', '/escalation_policies', [missing_type('escalation_policy')])]
    assert_nothing_refused(sim)


def test_service_with_an_escalation_policy(sim, client):
    sim.set_strict(False)
    seed_people(sim)
    sim.seed({'escalation_policies': [{'id': 'PEP0001', 'name': 'Primary', 'teams': ['PTEAM01'],
                                       'escalation_rules': [{'escalation_delay_in_minutes': 30, 'targets': ['PUSER01']}]}]})
    service = client.rpost('services', json={'name': 'Web', 'escalation_policy': ref('escalation_policy', 'PEP0001'),
                                             'acknowledgement_timeout': None})
    assert (service['type'], service['name'], service['status'], service['escalation_policy']['id']) == ('service', 'Web', 'active', 'PEP0001')
    assert (service['auto_resolve_timeout'], service['acknowledgement_timeout']) == (14400, None)
    assert [team['id'] for team in service['teams']] == ['PTEAM01']
    assert service['html_url'] == f"{HTML}/service-directory/{service['id']}"
    updated = client.rput(service, json={'description': 'Front end', 'status': 'disabled'})
    assert (updated['description'], updated['status']) == ('Front end', 'disabled')
    assert [each['id'] for each in client.rget('escalation_policies/PEP0001')['services']] == [service['id']]
    assert client.rdelete(service).status_code == 204
    assert client.rget('escalation_policies/PEP0001')['services'] == []
    assert [entry['status'] for entry in sim.requests()] == [201, 200, 200, 204, 200]
    assert deviations(sim) == [('POST', '/services', [missing_type('service')])]
    assert_nothing_refused(sim)


# -- GET and PUT back exactly what was answered ---------------------------------------------------

RICH_ACCOUNT = {
    'teams': [{'id': 'PTEAM01', 'name': 'Parent', 'description': 'Top'},
              {'id': 'PTEAM02', 'name': 'Child', 'description': 'Kid', 'parent': {'id': 'PTEAM01', 'type': 'team_reference'}}],
    'users': [{'id': 'PUSER01', 'name': 'Ann', 'email': 'ann@example.com', 'role': 'admin', 'time_zone': 'Asia/Tokyo',
               'description': 'Owner of things', 'job_title': 'SRE', 'teams': [{'team': 'PTEAM02', 'role': 'manager'}]},
              {'id': 'PUSER02', 'name': 'Bob', 'email': 'bob@example.com', 'description': 'Bob', 'job_title': 'Dev'}],
    'schedules': [{'id': 'PSCHED1', 'name': 'Primary', 'time_zone': 'Europe/Berlin', 'description': 'Rota', 'teams': ['PTEAM02'],
                   'schedule_layers': [
                       {'id': 'PLAYER1', 'name': 'Weekdays', 'start': '2099-01-07T09:00:00+01:00', 'rotation_virtual_start': '2099-01-07T09:00:00+01:00',
                        'rotation_turn_length_seconds': 604800, 'users': ['PUSER01', 'PUSER02'],
                        'restrictions': [{'type': 'daily_restriction', 'start_time_of_day': '09:00:00', 'duration_seconds': 28800}]},
                       {'id': 'PLAYER2', 'name': 'Weekend', 'start': '2099-01-07T09:00:00+01:00', 'end': '2100-01-04T09:00:00+01:00',
                        'rotation_virtual_start': '2099-01-07T09:00:00+01:00', 'rotation_turn_length_seconds': 86400, 'users': ['PUSER02'],
                        'restrictions': [{'type': 'weekly_restriction', 'start_day_of_week': 6, 'start_time_of_day': '00:00:00',
                                          'duration_seconds': 172800}]}]}],
    'escalation_policies': [{'id': 'PEP0001', 'name': 'Primary', 'description': 'Page', 'num_loops': 2,
                             'on_call_handoff_notifications': 'always', 'teams': ['PTEAM02'],
                             'escalation_rules': [
                                 {'escalation_delay_in_minutes': 30, 'targets': ['PUSER01', {'id': 'PSCHED1', 'type': 'schedule_reference'}]},
                                 {'escalation_delay_in_minutes': 10, 'targets': ['PUSER02'],
                                  'escalation_rule_assignment_strategy': {'type': 'round_robin'}}]}],
    'services': [{'id': 'PSVC001', 'name': 'Web', 'description': 'Front end', 'escalation_policy': 'PEP0001',
                  'auto_resolve_timeout': None, 'acknowledgement_timeout': 600,
                  'incident_urgency_rule': {'type': 'use_support_hours', 'during_support_hours': {'type': 'constant', 'urgency': 'high'},
                                            'outside_support_hours': {'type': 'constant', 'urgency': 'low'}},
                  'support_hours': {'type': 'fixed_time_per_day', 'time_zone': 'Europe/Berlin', 'start_time': '09:00:00',
                                    'end_time': '17:00:00', 'days_of_week': [1, 2, 3, 4, 5]},
                  'scheduled_actions': [{'type': 'urgency_change', 'at': {'type': 'named_time', 'name': 'support_hours_start'},
                                         'to_urgency': 'high'}],
                  'integrations': [{'id': 'PINT001', 'type': 'events_api_v2_inbound_integration', 'name': 'Events',
                                    'integration_key': '0123456789abcdef0123456789abcdef'}]}],
}

WRAPPERS = {'teams': 'team', 'users': 'user', 'services': 'service', 'escalation_policies': 'escalation_policy', 'schedules': 'schedule'}
ROUND_TRIP_PATHS = ['teams/PTEAM02', 'users/PUSER01', 'services/PSVC001', 'escalation_policies/PEP0001', 'schedules/PSCHED1']


def comparable(obj):
    """A schedule with its layers and users sorted by id.

    PagerDuty answers layers in the reverse of the order they were sent (highest priority first), so
    a GET sent back unchanged by PUT swaps the layers' order, and the schedule's users, listed layer by
    layer, follow (the simulator's layer rule; PagerDuty/public-support-scripts pull request 60: "a GET
    request and a POST or PUT request for a schedule will have schedule layers in opposite order").
    """
    obj = copy.deepcopy(obj)
    for key in ('schedule_layers', 'users'):
        if key in obj and obj.get('type') == 'schedule':
            obj[key] = sorted(obj[key], key=lambda each: each['id'])
    return obj


def round_trip(sim, client, account, path):
    """In the default mode, seed ``account``, GET ``path`` and PUT it back as it came; the answer equals it."""
    sim.set_strict(False)
    sim.seed(account)
    before = client.rget(path)
    answer = client.rput(before, json=before)
    assert comparable(answer) == comparable(before)
    return before, answer


@pytest.mark.parametrize('path', ROUND_TRIP_PATHS)
def test_round_trip_of_a_full_object(sim, client, path):
    """rget, then rput(obj, json=obj): every read-only and rendered field goes back, nothing is refused or changed."""
    before, answer = round_trip(sim, client, RICH_ACCOUNT, path)
    assert comparable(client.rget(path)) == comparable(before)
    if path.startswith('schedules/'):
        assert [each['id'] for each in before['schedule_layers']] == ['PLAYER2', 'PLAYER1']
        assert [each['id'] for each in answer['schedule_layers']] == ['PLAYER1', 'PLAYER2']
    get, put, again = sim.requests()
    assert (get['status'], put['status'], again['status']) == (200, 200, 200)
    assert put['path'] == f'/{path}'
    assert put['body'] == {WRAPPERS[path.split('/')[0]]: before}
    assert put['spec_deviations'] == []
    assert_nothing_refused(sim)


INCLUDED_REFERENCES = {
    'escalation_policies/PEP0001': (['targets', 'services', 'teams'], [
        reference_type('body.escalation_policy.teams[0]', 'team_reference', 'team')]),
    'services/PSVC001': (['escalation_policies', 'teams', 'integrations'], [
        reference_type('body.service.escalation_policy', 'escalation_policy_reference', 'escalation_policy')]),
    'users/PUSER01': (['contact_methods', 'notification_rules', 'teams'], []),
}


@pytest.mark.parametrize('path', sorted(INCLUDED_REFERENCES))
def test_round_trip_with_included_objects(sim, client, path):
    """GET with include[] (full objects instead of references) and PUT back: accepted, the full types recorded."""
    sim.set_strict(False)
    sim.seed(RICH_ACCOUNT)
    include, expected = INCLUDED_REFERENCES[path]
    before = client.rget(path, params={'include': include})
    answer = client.rput(before, json=before)
    assert answer['id'] == before['id']
    assert answer == client.rget(path)
    get, put, dummy = sim.requests()
    assert get['query'] == {'include[]': include}
    assert put['status'] == 200
    assert put['spec_deviations'] == expected
    assert_nothing_refused(sim)


MINIMAL_ACCOUNT = {
    'teams': [{'id': 'PTEAM01', 'name': 'Ops'}],
    'users': [{'id': 'PUSER01', 'name': 'Ann', 'email': 'ann@example.com'}],
    'schedules': [{'id': 'PSCHED1', 'time_zone': 'Etc/UTC', 'schedule_layers': [seed_layer(['PUSER01'])]}],
    'escalation_policies': [{'id': 'PEP0001', 'name': 'Primary', 'escalation_rules': [{'escalation_delay_in_minutes': 5, 'targets': ['PUSER01']}]}],
    'services': [{'id': 'PSVC001', 'name': 'Web', 'escalation_policy': 'PEP0001'}],
}

# The null fields of objects left with their defaults; PagerDuty answers them null and takes them back.
NULLS_SENT_BACK = {
    'teams/PTEAM01': [null_field('body.team.description')],
    'users/PUSER01': [null_field('body.user.job_title')],
    'services/PSVC001': [null_field('body.service.description'), null_field('body.service.support_hours')],
    'escalation_policies/PEP0001': [null_field('body.escalation_policy.description')],
    'schedules/PSCHED1': [null_field('body.schedule.description')],
}


@pytest.mark.parametrize('path', sorted(NULLS_SENT_BACK))
def test_round_trip_of_an_object_with_defaults(sim, client, path):
    """The same round trip with the defaults' nulls: accepted, each null recorded as a deviation."""
    round_trip(sim, client, MINIMAL_ACCOUNT, path)
    assert [entry['status'] for entry in sim.requests()] == [200, 200]
    assert sim.requests()[1]['spec_deviations'] == NULLS_SENT_BACK[path]
    assert_nothing_refused(sim)


# -- persist ---------------------------------------------------------------------------------------


def test_persist_is_idempotent(sim, client):
    sim.set_strict(False)
    first = client.persist('teams', 'name', {'name': 'Ops', 'description': 'Operations'})
    second = client.persist('teams', 'name', {'name': 'Ops', 'description': 'Operations'})
    assert second == first
    assert (first['name'], first['description']) == ('Ops', 'Operations')
    assert [(entry['method'], entry['path'], entry['status']) for entry in sim.requests()] == [
        ('GET', '/teams', 200), ('POST', '/teams', 201), ('GET', '/teams', 200)]
    assert sim.requests()[0]['query'] == {'limit': ['100'], 'total': ['false'], 'query': ['Ops'], 'offset': ['0']}
    updated = client.persist('teams', 'name', {'name': 'OPS', 'description': 'Run the show'}, update=True)
    assert (updated['id'], updated['name'], updated['description']) == (first['id'], 'OPS', 'Run the show')
    assert client.persist('teams', 'name', {'name': 'OPS', 'description': 'Run the show'}, update=True) == updated
    assert [entry['method'] for entry in sim.requests()] == ['GET', 'POST', 'GET', 'GET', 'PUT', 'GET']
    assert sim.requests()[4]['body'] == {'team': dict(first, name='OPS', description='Run the show')}
    assert deviations(sim) == [('POST', '/teams', [missing_type('team')])]
    assert_nothing_refused(sim)


# -- refusals ----------------------------------------------------------------------------------------


def test_duplicate_team_name_is_refused(sim, client):
    sim.set_strict(False)
    client.rpost('teams', json={'name': 'Ops'})
    with pytest.raises(pagerduty.HttpError) as caught:
        client.rpost('teams', json={'name': 'ops'})
    response = caught.value.response
    assert response.status_code == 400
    assert response.json() == {'error': {'message': INVALID, 'code': 2001, 'errors': ['Name has already been taken']}}
    assert api_log(sim) == [('POST', '/teams', 201), ('POST', '/teams', 400)]
    assert sim.requests()[1]['spec_violations'] == []


def test_strict_mode_refuses_the_deviations(sim, client):
    """The same client calls in strict mode: each deviation is a 400 listing it in spec_violations."""
    sim.set_strict(True)
    sim.seed(MINIMAL_ACCOUNT)

    with pytest.raises(pagerduty.HttpError) as caught:
        client.rpost('teams', json={'name': 'Platform'})
    assert caught.value.response.status_code == 400
    assert caught.value.response.json() == {'error': {'message': INVALID, 'code': 2001, 'errors': [missing_type('team')]}}

    with pytest.raises(pagerduty.HttpError) as caught:
        client.rpost('schedules', json={'type': 'schedule', 'time_zone': 'Etc/UTC',
                                        'schedule_layers': [layer([{'id': 'PUSER01', 'type': 'user'}])]})
    assert caught.value.response.status_code == 400

    service = client.rget('services/PSVC001')
    with pytest.raises(pagerduty.HttpError) as caught:
        client.rput(service, json=service)
    assert caught.value.response.status_code == 400

    with pytest.raises(pagerduty.HttpError) as caught:
        list(client.iter_all('users/PUSER01/contact_methods'))
    assert caught.value.response.status_code == 400

    # The same create with its type is accepted, and so is a paginated list.
    assert client.rpost('teams', json={'type': 'team', 'name': 'Platform'})['name'] == 'Platform'
    assert [team['name'] for team in client.iter_all('teams')] == ['Ops', 'Platform']

    entries = sim.requests()
    assert [(entry['method'], entry['path'], entry['status']) for entry in entries] == [
        ('POST', '/teams', 400), ('POST', '/schedules', 400), ('GET', '/services/PSVC001', 200), ('PUT', '/services/PSVC001', 400),
        ('GET', '/users/PUSER01/contact_methods', 400), ('POST', '/teams', 201), ('GET', '/teams', 200)]
    assert [entry['spec_violations'] for entry in entries] == [
        [missing_type('team')],
        [reference_type('body.schedule.schedule_layers[0].users[0].user', 'user_reference', 'user')],
        [],
        [null_field('body.service.description'), null_field('body.service.support_hours')],
        [f"query parameter '{name}' is not defined for this operation" for name in ('limit', 'total', 'offset')],
        [],
        [],
    ]
    assert not any(entry['spec_deviations'] for entry in entries)
