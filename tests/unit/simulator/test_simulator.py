"""Behaviour of the PagerDuty simulator (tests/simulator), driven through control.py."""

import os
import re
import signal
import subprocess
import sys
import time

import pytest
import requests

# tests/unit/conftest.py puts tests/simulator on sys.path.
import control  # pylint: disable=import-error

ID_PATTERN = re.compile(r'^P[A-Z0-9]{6}$')
NOT_FOUND = {'error': {'message': 'Not Found', 'code': 2100}}
AUTH_FAILED = {'error': {'message': 'Authentication failed', 'code': 2006}}


def make_session(sim, token=control.WRITE_TOKEN, auth='token'):
    session = requests.Session()
    session.trust_env = False  # no proxies, no netrc: loopback only
    session.headers.update(sim.headers(token, auth))
    return session


@pytest.fixture(name='api')
def api_fixture(sim):
    with make_session(sim) as session:
        yield session


def url(sim, path):
    return sim.url + path


def team_body(name, **fields):
    team = {'type': 'team', 'name': name}
    team.update(fields)
    return {'team': team}


# --- teams CRUD ---------------------------------------------------------------

def test_create_team_returns_the_full_object(sim, api):
    response = api.post(url(sim, '/teams'), json=team_body('Engineering', description='All engineering'))
    assert response.status_code == 201
    team = response.json()['team']
    assert ID_PATTERN.match(team['id'])
    assert response.json() == {'team': {
        'id': team['id'],
        'type': 'team',
        'summary': 'Engineering',
        'self': '%s/teams/%s' % (sim.url, team['id']),
        'html_url': 'https://simulator.pagerduty.invalid/teams/%s' % team['id'],
        'name': 'Engineering',
        'description': 'All engineering',
        'default_role': 'manager',
        'parent': None,
    }}
    for name in ('ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'):
        assert response.headers[name].isdigit()


def test_get_update_delete_team(sim, api):
    created = api.post(url(sim, '/teams'), json=team_body('Ops', description='old', default_role='none')).json()['team']
    path = url(sim, '/teams/' + created['id'])
    assert api.get(path).json() == {'team': created}

    updated = api.put(path, json={'team': {'description': 'new'}})
    assert updated.status_code == 200
    assert updated.json()['team'] == dict(created, description='new')

    renamed = api.put(path, json={'team': {'name': 'Operations', 'default_role': 'manager'}}).json()['team']
    assert (renamed['name'], renamed['summary'], renamed['description'], renamed['default_role']) == ('Operations', 'Operations', 'new', 'manager')

    deleted = api.delete(path)
    assert deleted.status_code == 204
    assert deleted.content == b''
    missing = api.get(path)
    assert missing.status_code == 404
    assert missing.json() == NOT_FOUND
    assert api.put(path, json={'team': {'description': 'x'}}).status_code == 404
    assert api.delete(path).status_code == 404


def test_duplicate_and_missing_name_are_rejected(sim, api):
    assert api.post(url(sim, '/teams'), json=team_body('Dup')).status_code == 201
    duplicate = api.post(url(sim, '/teams'), json=team_body('dup'))
    assert duplicate.status_code == 400
    assert duplicate.json() == {'error': {'message': 'Invalid Input Provided', 'code': 2001, 'errors': ['Name has already been taken']}}

    missing = api.post(url(sim, '/teams'), json={'team': {'type': 'team', 'description': 'no name'}})
    assert missing.status_code == 400
    assert missing.json()['error']['code'] == 2001
    other = api.post(url(sim, '/teams'), json=team_body('Other')).json()['team']
    rename = api.put(url(sim, '/teams/' + other['id']), json={'team': {'name': 'DUP'}})
    assert rename.status_code == 400
    assert rename.json()['error']['errors'] == ['Name has already been taken']


def test_sub_teams_and_delete_refusal(sim, api):
    parent = api.post(url(sim, '/teams'), json=team_body('Parent')).json()['team']
    child = api.post(url(sim, '/teams'), json=team_body('Child', parent={'id': parent['id'], 'type': 'team_reference'}))
    assert child.status_code == 201
    assert child.json()['team']['parent'] == {
        'id': parent['id'], 'type': 'team_reference', 'summary': 'Parent', 'self': '%s/teams/%s' % (sim.url, parent['id'])}

    refused = api.delete(url(sim, '/teams/' + parent['id']))
    assert refused.status_code == 400
    assert refused.json()['error']['code'] == 6006
    assert refused.json()['error']['message'] == 'Team has existing associations'

    child_id = child.json()['team']['id']
    assert api.put(url(sim, '/teams/' + child_id), json={'team': {'parent': None}}).json()['team']['parent'] is None
    assert api.delete(url(sim, '/teams/' + parent['id'])).status_code == 204
    bad_parent = api.post(url(sim, '/teams'), json=team_body('Orphan', parent={'id': 'PNOPE00', 'type': 'team_reference'}))
    assert bad_parent.status_code == 400


def test_query_filter_is_case_insensitive_substring(sim, api):
    sim.seed({'teams': [{'name': 'Alpha'}, {'name': 'alphabet soup'}, {'name': 'Beta'}]})
    names = [team['name'] for team in api.get(url(sim, '/teams'), params={'query': 'ALPHA'}).json()['teams']]
    assert names == ['Alpha', 'alphabet soup']
    assert api.get(url(sim, '/teams'), params={'query': 'zzz'}).json()['teams'] == []


# --- pagination -------------------------------------------------------------------

def test_pagination_limit_more_and_total(sim, api):
    sim.seed({'count_teams': 120})
    first = api.get(url(sim, '/teams')).json()
    assert (len(first['teams']), first['limit'], first['offset'], first['more'], first['total']) == (25, 25, 0, True, None)
    assert first['teams'][0]['name'] == 'Team 00001'

    capped = api.get(url(sim, '/teams'), params={'limit': 500, 'total': 'true'}).json()
    assert (len(capped['teams']), capped['limit'], capped['more'], capped['total']) == (100, 100, True, 120)

    last = api.get(url(sim, '/teams'), params={'limit': 100, 'offset': 100}).json()
    assert (len(last['teams']), last['offset'], last['more']) == (20, 100, False)
    assert last['teams'][-1]['name'] == 'Team 00120'


def test_offset_plus_limit_cap(sim, api):
    assert api.get(url(sim, '/teams'), params={'limit': 100, 'offset': 9900}).status_code == 200
    response = api.get(url(sim, '/teams'), params={'limit': 100, 'offset': 9901})
    assert response.status_code == 400
    assert response.json() == {'error': {
        'message': 'Arguments Caused Error',
        'code': 2002,
        'errors': ['Offset+limit exceeds maximum allowed value of 10000. Please try to refine your search to reduce '
                   'the returned set of records below this number, like adding a date range.'],
    }}


# --- auth and headers -----------------------------------------------------------------

def test_missing_or_unknown_token_is_401(sim, api):
    no_auth = requests.Session()
    no_auth.trust_env = False
    response = no_auth.get(url(sim, '/teams'), headers={'Accept': control.ACCEPT})
    assert response.status_code == 401
    assert response.json() == AUTH_FAILED
    with make_session(sim, token='not-a-token') as bad:
        assert bad.get(url(sim, '/teams')).json() == AUTH_FAILED
    # The OAuth token is only valid as a bearer token.
    with make_session(sim, token=control.OAUTH_TOKEN) as wrong_scheme:
        assert wrong_scheme.get(url(sim, '/teams')).status_code == 401
    assert api.get(url(sim, '/teams')).status_code == 200


def test_read_only_token_cannot_write(sim):
    with make_session(sim, token=control.READ_TOKEN) as reader:
        assert reader.get(url(sim, '/teams')).status_code == 200
        response = reader.post(url(sim, '/teams'), json=team_body('Nope'))
        assert response.status_code == 403
        assert response.json()['error']['code'] == 2010
        assert response.json()['error']['message'] == 'Access Denied'
    assert sim.state()['teams'] == []


def test_bearer_token_and_configured_tokens(sim):
    with make_session(sim, token=control.OAUTH_TOKEN, auth='bearer') as oauth:
        assert oauth.post(url(sim, '/teams'), json=team_body('Via OAuth')).status_code == 201
    sim.set_token('custom-read', access='read')
    with make_session(sim, token='custom-read') as custom:
        assert custom.get(url(sim, '/teams')).status_code == 200
        assert custom.delete(url(sim, '/teams/PXXXXXX')).status_code == 403


@pytest.mark.parametrize('accept', [None, 'application/json', 'application/vnd.pagerduty+json;version=1'])
def test_accept_header_must_ask_for_version_2(sim, api, accept):
    headers = {'Accept': accept} if accept else {'Accept': None}
    response = api.get(url(sim, '/teams'), headers=headers)
    assert response.status_code == 400
    assert response.json()['error']['code'] == 2001
    assert 'Accept header' in response.json()['error']['errors'][0]
    assert sim.requests()[-1]['status'] == 400


# --- spec validation ---------------------------------------------------------------------

@pytest.mark.needs_spec
def test_spec_violations_are_rejected_and_recorded(sim, api):
    response = api.post(url(sim, '/teams'), json=team_body('Enum', default_role='owner'))
    assert response.status_code == 400
    assert response.json()['error']['code'] == 2001
    entry = sim.requests()[-1]
    assert entry['status'] == 400
    assert entry['spec_violations'] == ['body.team.default_role must be one of "manager", "none", got "owner"']

    sim.clear_requests()
    assert api.get(url(sim, '/teams'), params={'bogus': '1'}).status_code == 400
    assert api.get(url(sim, '/teams'), params={'limit': 'ten'}).status_code == 400
    assert api.post(url(sim, '/teams'), json=team_body('x' * 101)).status_code == 400
    assert api.get(url(sim, '/no-such-endpoint')).json() == NOT_FOUND
    assert all(entry['spec_violations'] for entry in sim.requests())


@pytest.mark.needs_spec
def test_valid_requests_have_no_spec_violations(sim, api):
    created = api.post(url(sim, '/teams'), json=team_body('Clean', description='d', default_role='none')).json()['team']
    api.get(url(sim, '/teams'), params={'query': 'cl', 'limit': 10, 'offset': 0, 'total': 'true'})
    api.get(url(sim, '/teams/' + created['id']), params={'include[]': 'privileges'})
    # PUT bodies are partial: the create schema's "required" does not apply.
    api.put(url(sim, '/teams/' + created['id']), json={'team': {'description': 'e'}})
    api.delete(url(sim, '/teams/' + created['id']))
    log = sim.requests()
    assert [entry['status'] for entry in log] == [201, 200, 200, 200, 204]
    assert [entry['spec_violations'] for entry in log] == [[]] * 5


def test_without_spec_the_simulator_warns_and_still_works(tmp_path):
    missing = str(tmp_path / 'absent.json')
    with control.Simulator(spec=missing) as bare:
        assert 'OpenAPI spec not found at %s; request validation disabled' % missing in bare.stderr_text()
        with make_session(bare) as session:
            assert session.post(bare.url + '/teams', json=team_body('NoSpec')).status_code == 201
            assert session.post(bare.url + '/teams', json={'team': {'default_role': 'bogus', 'name': 'B'}}).status_code == 400
            assert session.get(bare.url + '/teams', params={'query': 'nos'}).json()['teams'][0]['name'] == 'NoSpec'
        assert bare.state()['spec_validation'] is False


# --- rate limits and faults ---------------------------------------------------------------

def test_429_fault_sends_ratelimit_headers(sim, api):
    sim.fault(method='GET', path='/teams', status=429, count=2)
    for dummy in range(2):
        limited = api.get(url(sim, '/teams'))
        assert limited.status_code == 429
        assert limited.json() == {'error': {'message': 'Rate Limit Exceeded', 'code': 2020}}
        assert limited.headers['ratelimit-reset'] == '1'
        assert limited.headers['ratelimit-remaining'] == '0'
    assert api.get(url(sim, '/teams')).status_code == 200
    assert [entry['status'] for entry in sim.requests()] == [429, 429, 200]


def test_rate_limit_budget(sim, api):
    sim.set_rate_limit(2)
    try:
        statuses = [api.get(url(sim, '/teams')).status_code for dummy in range(3)]
        assert statuses == [200, 200, 429]
        limited = api.get(url(sim, '/teams'))
        assert limited.headers['ratelimit-limit'] == '2'
        assert limited.headers['ratelimit-remaining'] == '0'
        assert limited.json()['error']['code'] == 2020
    finally:
        sim.set_rate_limit(None)


def test_5xx_faults_are_consumed_in_order(sim, api):
    sim.fault({'status': 500, 'path': '/teams', 'method': 'POST'}, {'status': 503, 'count': 2})
    assert api.get(url(sim, '/teams')).status_code == 503
    failed = api.post(url(sim, '/teams'), json=team_body('After faults'))
    assert failed.status_code == 500
    assert failed.json() == {'error': {'message': 'An internal error has occurred. PagerDuty team has been notified.', 'code': 2000}}
    assert api.post(url(sim, '/teams'), json=team_body('After faults')).status_code == 503
    assert api.post(url(sim, '/teams'), json=team_body('After faults')).status_code == 201
    assert sim.state()['faults'] == []
    assert [entry['status'] for entry in sim.requests()] == [503, 500, 503, 201]


def test_fault_with_custom_body_and_headers(sim, api):
    sim.fault(status=502, headers={'Retry-After': '0'}, body={'custom': True})
    response = api.get(url(sim, '/teams'))
    assert (response.status_code, response.headers['Retry-After'], response.json()) == (502, '0', {'custom': True})


def test_dropped_connection(sim, api):
    sim.fault(drop=True, path='/teams')
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get(url(sim, '/teams'))
    assert api.get(url(sim, '/teams')).status_code == 200
    log = sim.requests()
    assert log[0]['dropped'] is True and log[0]['status'] is None
    assert log[1]['status'] == 200


def test_latency(sim, api):
    sim.fault(latency=0.3)
    started = time.monotonic()
    assert api.get(url(sim, '/teams')).status_code == 200
    assert time.monotonic() - started >= 0.3


# --- admin API --------------------------------------------------------------------------------

def test_request_log_content(sim, api):
    api.post(url(sim, '/teams'), json=team_body('Logged'), params={})
    api.get(url(sim, '/teams'), params={'query': 'log', 'include[]': ['a', 'b']})
    sim.state()  # admin calls are not logged
    log = sim.requests()
    assert len(log) == 2
    post, get = log
    assert (post['method'], post['path'], post['status'], post['body']) == ('POST', '/teams', 201, team_body('Logged'))
    assert post['headers']['authorization'] == 'Token token=sim-write-token'
    assert post['headers']['accept'] == control.ACCEPT
    assert (get['method'], get['query'], get['body']) == ('GET', {'query': ['log'], 'include[]': ['a', 'b']}, None)
    sim.clear_requests()
    assert sim.requests() == []


def test_reset_clears_everything(sim, api):
    api.post(url(sim, '/teams'), json=team_body('Gone'))
    sim.fault(status=500, count=5)
    sim.set_token('temp-token')
    sim.reset()
    state = sim.state()
    assert (state['teams'], state['faults'], sim.requests()) == ([], [], [])
    assert 'temp-token' not in state['tokens']


def test_seed_and_bulk_seed(sim, api):
    result = sim.seed({'teams': [{'id': 'PSEED01', 'name': 'Seeded', 'description': 'from seed'},
                                 {'name': 'Seeded child', 'parent': {'id': 'PSEED01', 'type': 'team_reference'}}]})
    assert result['teams'][0] == 'PSEED01' and ID_PATTERN.match(result['teams'][1])
    team = api.get(url(sim, '/teams/PSEED01')).json()['team']
    assert (team['name'], team['description'], team['default_role']) == ('Seeded', 'from seed', 'manager')

    started = time.monotonic()
    bulk = sim.seed({'count_teams': 10000})
    assert len(bulk['teams']) == 10000
    assert time.monotonic() - started < 5
    page = api.get(url(sim, '/teams'), params={'limit': 100, 'offset': 9900, 'total': 'true'}).json()
    assert (page['total'], page['more']) == (10002, True)


# --- process and TLS -----------------------------------------------------------------------------

def test_https_with_test_ca(tmp_path):
    with control.Simulator(tls=True) as secure:
        assert secure.url.startswith('https://127.0.0.1:')
        with make_session(secure) as session:
            response = session.get(secure.url + '/teams', verify=secure.ca_file)
            assert response.status_code == 200
            with pytest.raises(requests.exceptions.SSLError):
                session.get(secure.url + '/teams', verify=True)
            localhost = secure.url.replace('127.0.0.1', 'localhost')
            assert session.get(localhost + '/teams', verify=secure.ca_file).status_code == 200
        with open(secure.ca_file, encoding='ascii') as pem:
            assert pem.read().startswith('-----BEGIN CERTIFICATE-----')
    assert tmp_path.exists()


def test_run_py_from_another_cwd_writes_url_file_and_stops_on_sigterm(tmp_path):
    url_file = tmp_path / 'url.txt'
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, control.RUN_PY, '--port', '0', '--url-file', str(url_file)],
        cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert re.match(r'^PD_SIMULATOR_URL=http://127\.0\.0\.1:\d+\n$', line)
        assert url_file.read_text(encoding='utf-8').strip() == line.strip().split('=', 1)[1]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert process.stdout.read() == ''
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_server_stops_when_the_controlling_process_dies():
    script = ('import sys, time\n'
              'sys.path.insert(0, sys.argv[1])\n'
              'import control\n'
              'sim = control.Simulator(spec="/nonexistent").start()\n'
              'print(sim.url, flush=True)\n'
              'time.sleep(60)\n')
    parent = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, '-c', script, os.path.dirname(control.RUN_PY)], stdout=subprocess.PIPE, text=True)
    try:
        server_url = parent.stdout.readline().strip()
        session = requests.Session()
        session.trust_env = False
        assert session.get(server_url + '/__sim__/state', timeout=5).status_code == 200
        parent.kill()
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                session.get(server_url + '/__sim__/state', timeout=1)
            except requests.exceptions.RequestException:  # refused, reset or no answer: it is gone
                break
            time.sleep(0.1)
        else:
            pytest.fail('the simulator outlived the process that started it')
    finally:
        if parent.poll() is None:
            parent.kill()
        parent.communicate()


def test_an_applied_fault_carries_out_the_request_and_loses_its_answer(sim, api):
    sim.fault(method='POST', path='/teams', drop=True, apply=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post(url(sim, '/teams'), json={'team': {'type': 'team', 'name': 'Applied'}})
    assert [team['name'] for team in sim.state()['teams']] == ['Applied']
    entry = sim.requests()[-1]
    assert entry['dropped'] is True and entry['applied'] == 201 and entry['status'] is None
    sim.fault(method='POST', path='/teams', status=502, apply=True)
    assert api.post(url(sim, '/teams'), json={'team': {'type': 'team', 'name': 'Also applied'}}).status_code == 502
    assert sorted(team['name'] for team in sim.state()['teams']) == ['Also applied', 'Applied']


def test_answers_on_a_kept_alive_connection_do_not_stall(sim, api):
    """Headers and body leave in two writes: without TCP_NODELAY each answer after the first on one connection
    waits for the client's delayed ACK (about 40 ms; 20 requests took 0.88 s). With it they take a few ms."""
    api.get(url(sim, '/teams'))  # open the connection
    started = time.perf_counter()
    for dummy in range(20):
        assert api.get(url(sim, '/teams')).status_code == 200
    elapsed = time.perf_counter() - started
    assert elapsed < 0.4, f'20 requests on one connection took {elapsed:.2f} s'
