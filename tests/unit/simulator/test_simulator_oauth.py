"""Scoped OAuth in the PagerDuty simulator: the client credentials token endpoint (POST /oauth/token),
scope enforcement on the API, token expiry, and the admin calls that set them up."""

import json
import os
import re

import pytest
import requests

# tests/unit/conftest.py puts tests/simulator on sys.path.
import control  # pylint: disable=import-error

CLIENT_ID = 'sim-app-client'
SECRET = 'sim-app-secret-0123456789'
ACCOUNT = 'as_account-us.simulator'
FORM = 'application/x-www-form-urlencoded'
TOKEN_PATTERN = re.compile(r'^pdus\+_[A-Z0-9]{7}_[0-9a-f-]{36}$')


@pytest.fixture(name='http')
def http_fixture():
    with requests.Session() as session:
        session.trust_env = False  # loopback only: no proxies, no netrc
        yield session


@pytest.fixture(name='app')
def app_fixture(sim):
    """An app client granted teams.read, teams.write, services.read and schedules.read."""
    sim.add_oauth_client(CLIENT_ID, SECRET, ['teams.read', 'teams.write', 'services.read', 'schedules.read'])
    return sim


def request_token(sim, http, requested, **form):
    """POST /oauth/token with the app's credentials and ``scope=requested``; ``form`` overrides (None: leave out)."""
    fields = {'grant_type': 'client_credentials', 'client_id': CLIENT_ID, 'client_secret': SECRET, 'scope': requested}
    fields.update(form)
    return http.post(sim.url + '/oauth/token', data={name: value for name, value in fields.items() if value is not None})


def token_for(sim, http, *scopes):
    response = request_token(sim, http, ' '.join((ACCOUNT,) + scopes))
    assert response.status_code == 200, response.text
    return response.json()['access_token']


def call(sim, http, method, path, token, body=None):
    headers = {'Accept': control.ACCEPT, 'Authorization': f'Bearer {token}'}
    return http.request(method, sim.url + path, headers=headers, json=body)


def access_denied(scope, token_scopes):
    """PagerDuty's 403 for a missing scope: terraform-provider-pagerduty#1027 and #1078 quote it."""
    return {'error': {'message': 'Token missing required scopes', 'required_scopes': scope, 'token_scopes': token_scopes}}


# --- the token endpoint ---------------------------------------------------------------------------

def test_token_is_issued_with_the_documented_answer(app, http):
    response = request_token(app, http, f'{ACCOUNT} teams.read services.read')
    assert response.status_code == 200
    assert response.headers['Content-Type'].startswith('application/json')
    assert response.headers['Cache-Control'] == 'no-store'
    answer = response.json()
    assert set(answer) == {'access_token', 'scope', 'token_type', 'expires_in'}
    assert TOKEN_PATTERN.match(answer['access_token'])
    assert answer['scope'] == f'{ACCOUNT} teams.read services.read'
    assert answer['token_type'] == 'bearer'
    assert answer['expires_in'] == 86400  # "access token expiry of 1 day" (developer docs, Private Apps)
    # Every request gets a new token.
    assert request_token(app, http, f'{ACCOUNT} teams.read').json()['access_token'] != answer['access_token']


def test_the_client_chooses_the_lifetime_and_region(sim, http):
    sim.add_oauth_client('eu-client', SECRET, ['teams.read'], subdomain='acme', region='eu', expires_in=3600)
    response = request_token(sim, http, 'as_account-eu.acme teams.read', client_id='eu-client')
    assert response.status_code == 200
    assert response.json()['scope'] == 'as_account-eu.acme teams.read'
    assert response.json()['expires_in'] == 3600
    # The us account of the same subdomain is another account.
    refused = request_token(sim, http, 'as_account-us.acme teams.read', client_id='eu-client')
    assert (refused.status_code, refused.json()['error']) == (400, 'invalid_scope')


@pytest.mark.parametrize('form, status, error', [
    ({'client_secret': 'wrong'}, 401, 'invalid_client'),
    ({'client_id': 'no-such-client'}, 401, 'invalid_client'),
    ({'client_secret': None}, 401, 'invalid_client'),
    ({'grant_type': 'password'}, 400, 'unsupported_grant_type'),
    ({'grant_type': 'authorization_code'}, 400, 'unsupported_grant_type'),
    ({'grant_type': None}, 400, 'invalid_request'),
    ({'scope': 'teams.read'}, 400, 'invalid_scope'),
    ({'scope': None}, 400, 'invalid_request'),  # PagerDuty: "invalid_request" "Invalid scope" (terraform-provider-pagerduty#936)
    ({'scope': ''}, 400, 'invalid_request'),
    ({'scope': 'as_account-us.other teams.read'}, 400, 'invalid_scope'),
    ({'scope': 'as_account-eu.simulator teams.read'}, 400, 'invalid_scope'),
    ({'scope': f'{ACCOUNT} as_account-us.other teams.read'}, 400, 'invalid_scope'),
    ({'scope': f'{ACCOUNT} teams.read users.read'}, 400, 'invalid_scope'),
])
def test_refused_token_requests(app, http, form, status, error):
    response = request_token(app, http, f'{ACCOUNT} teams.read', **form)
    assert response.status_code == status
    assert response.json()['error'] == error
    assert response.json()['error_description']
    assert app.state()['oauth_tokens'] == {'count': 0, 'tokens': []}


def test_an_ungranted_scope_is_named(app, http):
    response = request_token(app, http, f'{ACCOUNT} teams.read users.read oncalls.read')
    assert response.json() == {'error': 'invalid_scope', 'error_description': 'Scopes not granted to this client: users.read, oncalls.read'}


def test_the_token_request_must_be_a_form_post(app, http):
    as_json = http.post(app.url + '/oauth/token', json={'grant_type': 'client_credentials', 'client_id': CLIENT_ID,
                                                        'client_secret': SECRET, 'scope': f'{ACCOUNT} teams.read'})
    assert (as_json.status_code, as_json.json()['error']) == (400, 'invalid_request')
    as_get = http.get(app.url + '/oauth/token')
    assert (as_get.status_code, as_get.json()['error'], as_get.headers['Allow']) == (405, 'invalid_request', 'POST')
    repeated = http.post(app.url + '/oauth/token', headers={'Content-Type': FORM},
                         data=f'grant_type=client_credentials&client_id={CLIENT_ID}&client_id={CLIENT_ID}&client_secret={SECRET}&scope={ACCOUNT}')
    assert (repeated.status_code, repeated.json()['error']) == (400, 'invalid_request')


def test_the_secret_never_appears_in_the_log(app, http):
    request_token(app, http, f'{ACCOUNT} teams.read')
    request_token(app, http, f'{ACCOUNT} teams.read', client_secret=SECRET + '-wrong')
    http.post(app.url + '/oauth/token', params={'client_secret': SECRET}, json={'client_secret': SECRET})
    http.post(app.url + '/oauth/token', auth=(CLIENT_ID, SECRET), data={'grant_type': 'client_credentials'})
    log = app.requests()
    assert [(entry['method'], entry['path'], entry['status']) for entry in log] == [
        ('POST', '/oauth/token', 200), ('POST', '/oauth/token', 401), ('POST', '/oauth/token', 400), ('POST', '/oauth/token', 401)]
    assert log[0]['body'] == {'grant_type': 'client_credentials', 'client_id': CLIENT_ID, 'client_secret': '********',
                              'scope': f'{ACCOUNT} teams.read'}
    assert log[0]['headers']['content-type'] == FORM
    assert log[2]['query'] == {'client_secret': ['********']}
    assert log[3]['headers']['authorization'] == '********'
    assert SECRET not in json.dumps(log)
    # Nor does the state show secrets or issued tokens.
    state = json.dumps(app.state())
    assert SECRET not in state and 'pdus+_' not in state


def test_token_requests_are_not_rate_limited(app, http):
    app.set_rate_limit(1)
    token = token_for(app, http, 'teams.read')
    token_for(app, http, 'teams.read')
    assert call(app, http, 'GET', '/teams', token).status_code == 200
    assert call(app, http, 'GET', '/teams', token).status_code == 429


def test_faults_apply_to_the_token_endpoint(app, http):
    app.fault(path='/oauth/token', status=503)
    assert request_token(app, http, f'{ACCOUNT} teams.read').status_code == 503
    assert request_token(app, http, f'{ACCOUNT} teams.read').status_code == 200


# --- scopes on the API ----------------------------------------------------------------------------

def test_a_read_scope_reads_but_does_not_write(app, http):
    token = token_for(app, http, 'teams.read')
    assert call(app, http, 'GET', '/teams', token).json()['teams'] == []
    refused = call(app, http, 'POST', '/teams', token, {'team': {'type': 'team', 'name': 'Ops'}})
    assert refused.status_code == 403
    assert refused.json() == access_denied('teams.write', 'teams.read')
    assert app.state()['teams'] == []


def test_a_write_scope_writes(app, http):
    token = token_for(app, http, 'teams.read', 'teams.write')
    created = call(app, http, 'POST', '/teams', token, {'team': {'type': 'team', 'name': 'Ops'}})
    assert created.status_code == 201
    team_id = created.json()['team']['id']
    assert call(app, http, 'PUT', f'/teams/{team_id}', token, {'team': {'description': 'on call'}}).status_code == 200
    assert call(app, http, 'DELETE', f'/teams/{team_id}', token).status_code == 204


def test_a_scope_of_another_area_does_not_help(app, http):
    token = token_for(app, http, 'teams.read', 'teams.write')
    refused = call(app, http, 'GET', '/services', token)
    assert refused.status_code == 403
    assert refused.json() == access_denied('services.read', 'teams.read teams.write')


def test_an_app_token_is_a_bearer_token_only(app, http):
    token = token_for(app, http, 'teams.read')
    as_api_key = http.get(app.url + '/teams', headers={'Accept': control.ACCEPT, 'Authorization': f'Token token={token}'})
    assert as_api_key.status_code == 401
    assert call(app, http, 'GET', '/teams', token + 'x').status_code == 401


def test_an_expired_token_gets_401_and_a_new_one_works(app, http):
    token = token_for(app, http, 'teams.read')
    assert call(app, http, 'GET', '/teams', token).status_code == 200
    expired = app.expire_oauth_tokens()
    assert expired == {'oauth_tokens': {'count': 1, 'tokens': [{'client_id': CLIENT_ID, 'scopes': ['teams.read'], 'expired': True}]}}
    refused = call(app, http, 'GET', '/teams', token)
    assert refused.status_code == 401
    assert refused.json() == {'error': {'message': 'Authentication failed', 'code': 2006}}
    renewed = token_for(app, http, 'teams.read')
    assert call(app, http, 'GET', '/teams', renewed).status_code == 200
    assert [token['expired'] for token in app.state()['oauth_tokens']['tokens']] == [True, False]


def test_the_default_tokens_are_unchanged(app, http):
    token_for(app, http, 'teams.read')
    assert call(app, http, 'POST', '/teams', control.OAUTH_TOKEN, {'team': {'type': 'team', 'name': 'Ops'}}).status_code == 201
    write = http.get(app.url + '/teams', headers=app.headers(control.WRITE_TOKEN))
    assert write.status_code == 200
    read_only = http.post(app.url + '/teams', headers=app.headers(control.READ_TOKEN), json={'team': {'type': 'team', 'name': 'Dev'}})
    assert read_only.status_code == 403


def test_reset_forgets_clients_and_tokens(app, http):
    token = token_for(app, http, 'teams.read')
    app.reset()
    assert call(app, http, 'GET', '/teams', token).status_code == 401
    assert request_token(app, http, f'{ACCOUNT} teams.read').status_code == 401
    assert app.state()['oauth_clients'] == [] and app.state()['oauth_tokens'] == {'count': 0, 'tokens': []}


def test_admin_refuses_bad_clients(sim):
    for bad in ({'client_secret': SECRET}, {'client_id': CLIENT_ID, 'client_secret': SECRET, 'region': 'ap'},
                {'client_id': CLIENT_ID, 'client_secret': SECRET, 'scopes': 'teams.read'},
                {'client_id': CLIENT_ID, 'client_secret': SECRET, 'scopes': [ACCOUNT]},
                {'client_id': CLIENT_ID, 'client_secret': SECRET, 'expires_in': 0}):
        with pytest.raises(control.SimulatorError, match='400'):
            sim.admin('POST', 'oauth_clients', bad)
    listed = sim.add_oauth_client(CLIENT_ID, SECRET, ['teams.read'])
    assert listed == {'oauth_clients': [{'client_id': CLIENT_ID, 'scopes': ['teams.read'], 'region': 'us', 'subdomain': 'simulator',
                                         'expires_in': 86400}]}
    assert sim.admin('GET', 'oauth_clients') == listed


@pytest.mark.needs_spec
@pytest.mark.parametrize('method, path, scope', [
    ('GET', '/maintenance_windows', 'services.read'),
    ('POST', '/maintenance_windows', 'services.write'),
    ('GET', '/schedules/PXXXXXX/users', 'users.read'),
    ('POST', '/schedules/PXXXXXX/overrides', 'schedules.write'),
    ('GET', '/oncalls', 'oncalls.read'),
    ('GET', '/users/PXXXXXX/contact_methods', 'users:contact_methods.read'),
])
def test_the_required_scope_comes_from_the_spec(app, http, method, path, scope):
    token = token_for(app, http, 'teams.read')
    refused = call(app, http, method, path, token, {} if method == 'POST' else None)
    assert refused.status_code == 403
    assert refused.json() == access_denied(scope, 'teams.read')


@pytest.mark.needs_spec
def test_services_read_lists_maintenance_windows(app, http):
    token = token_for(app, http, 'services.read')
    assert call(app, http, 'GET', '/maintenance_windows', token).json()['maintenance_windows'] == []
    # schedules.read is not users.read: the spec asks for users.read here.
    schedules = token_for(app, http, 'schedules.read')
    assert call(app, http, 'GET', '/schedules/PXXXXXX/users', schedules).status_code == 403


def test_without_the_spec_the_first_path_segment_names_the_scope(tmp_path):
    with control.Simulator(spec=os.path.join(tmp_path, 'missing.json')) as sim, requests.Session() as http:
        http.trust_env = False
        sim.add_oauth_client(CLIENT_ID, SECRET, ['services.read', 'schedules.read'])
        token = token_for(sim, http, 'services.read', 'schedules.read')
        assert call(sim, http, 'GET', '/maintenance_windows', token).status_code == 200
        assert call(sim, http, 'GET', '/schedules/PXXXXXX/users', token).status_code == 404  # schedules.read, then no such schedule
        refused = call(sim, http, 'POST', '/maintenance_windows', token, {})
        assert refused.json() == access_denied('services.write', 'services.read schedules.read')
        assert call(sim, http, 'GET', '/oncalls', token).json() == access_denied('oncalls.read', 'services.read schedules.read')
        assert call(sim, http, 'GET', '/no_such_area', token).status_code == 404
