"""GET /users/me (the user a user-level token acts as) and the account's abilities (GET /abilities, /abilities/{id})."""

import pytest
import requests

# tests/unit/conftest.py puts tests/simulator on sys.path.
import control  # pylint: disable=import-error


@pytest.fixture(name='http')
def http_fixture():
    with requests.Session() as session:
        session.trust_env = False  # loopback only
        yield session


def get(sim, http, path, token=control.WRITE_TOKEN, auth='token'):
    return http.get(sim.url + path, headers=sim.headers(token, auth))


def test_users_me_with_an_account_token_is_a_400_with_pagerdutys_plain_string_error(sim, http):
    answer = get(sim, http, '/users/me')
    assert answer.status_code == 400
    assert answer.json() == {'error': "Because this request was made using an account-level access token, we were unable to "
                                      "determine the user's identity. Please use a user-level token."}


def test_users_me_with_a_users_oauth_token_is_that_user(sim, http):
    answer = get(sim, http, '/users/me', control.OAUTH_TOKEN, 'bearer')
    assert answer.status_code == 200
    user = answer.json()['user']
    assert (user['id'], user['email'], user['type']) == ('PSOWNER', 'owner@example.com', 'user')


def test_users_me_with_a_user_level_api_key_is_its_user_with_includes(sim, http):
    user_id = sim.seed({'users': [{'name': 'Ada', 'email': 'ada@example.com'}]})['users'][0]
    sim.set_token('ada-user-key', user=user_id)
    answer = http.get(sim.url + '/users/me', params={'include[]': 'contact_methods'}, headers=sim.headers('ada-user-key'))
    assert answer.status_code == 200
    user = answer.json()['user']
    assert (user['id'], user['email']) == (user_id, 'ada@example.com')
    assert [method['type'] for method in user['contact_methods']] == ['email_contact_method']


def test_a_token_for_a_user_that_does_not_exist_is_refused(sim):
    with pytest.raises(control.SimulatorError, match='user PNOSUCH does not exist'):
        sim.set_token('ghost', user='PNOSUCH')


def test_users_me_is_not_taken_for_a_user_id(sim, http):
    """GET /users/{id} still answers other paths: /users/me is its own route."""
    assert get(sim, http, '/users/PSOWNER').json()['user']['id'] == 'PSOWNER'
    assert sim.requests()[-1]['spec_violations'] == []


def test_abilities_lists_the_accounts_abilities(sim, http):
    answer = get(sim, http, '/abilities')
    assert answer.status_code == 200
    assert answer.json() == {'abilities': ['teams', 'read_only_users', 'service_support_hours', 'urgencies']}


def test_an_ability_the_account_has_is_a_204_without_a_body(sim, http):
    answer = get(sim, http, '/abilities/teams')
    assert (answer.status_code, answer.content) == (204, b'')


def test_an_ability_the_account_lacks_is_a_402(sim, http):
    sim.set_abilities(['urgencies'])
    answer = get(sim, http, '/abilities/teams')
    assert answer.status_code == 402
    assert answer.json() == {'error': {'message': 'Missing Account Ability', 'code': 2014,
                                       'errors': ['The account does not have the ability teams']}}
    assert get(sim, http, '/abilities').json() == {'abilities': ['urgencies']}
    sim.reset()
    assert get(sim, http, '/abilities/teams').status_code == 204


def test_abilities_need_the_abilities_read_scope_with_a_scoped_oauth_token(sim, http):
    sim.add_oauth_client('app', 'secret', ['abilities.read', 'teams.read'])
    tokens = {}
    for scope in ('abilities.read', 'teams.read'):
        form = {'grant_type': 'client_credentials', 'client_id': 'app', 'client_secret': 'secret', 'scope': f'as_account-us.simulator {scope}'}
        answer = http.post(sim.url + '/oauth/token', data=form)
        tokens[scope] = answer.json()['access_token']
    assert get(sim, http, '/abilities', tokens['abilities.read'], 'bearer').status_code == 200
    refused = get(sim, http, '/abilities', tokens['teams.read'], 'bearer')
    assert refused.status_code == 403
    assert refused.json() == {'error': {'message': 'Token missing required scopes', 'required_scopes': 'abilities.read',
                                        'token_scopes': 'teams.read'}}


def test_a_user_level_api_key_creates_users_without_from(sim, http):
    """A user-level key acts as its user, so the From rule (for account tokens) does not apply to it."""
    sim.set_token('owner-user-key', user='PSOWNER')
    body = {'user': {'type': 'user', 'name': 'Bo', 'email': 'bo@example.com'}}
    assert http.post(sim.url + '/users', json=body, headers=sim.headers('owner-user-key')).status_code == 201
    refused = http.post(sim.url + '/users', json={'user': dict(body['user'], email='cy@example.com')}, headers=sim.headers(control.WRITE_TOKEN))
    assert refused.status_code == 400
    assert refused.json()['error']['code'] == 2016
