"""Tags in the PagerDuty simulator: /tags, the entities a tag is assigned to, an entity's tags and change_tags."""

import pytest


def invalid(*errors):
    return {'error': {'message': 'Invalid Input Provided', 'code': 2001, 'errors': list(errors)}}


def tag_ref(tag_id):
    return {'type': 'tag_reference', 'id': tag_id}


@pytest.fixture(name='sim')
def seeded_sim_fixture(sim):
    """The fresh simulator with two users, a team and an escalation policy to tag."""
    sim.seed({'users': [{'id': 'PUSER01', 'name': 'Ann', 'email': 'ann@example.com'},
                        {'id': 'PUSER02', 'name': 'Bob', 'email': 'bob@example.com'}],
              'teams': [{'id': 'PTEAM01', 'name': 'Ops'}],
              'escalation_policies': [{'id': 'PEP0001', 'name': 'Primary',
                                       'escalation_rules': [{'escalation_delay_in_minutes': 30, 'targets': ['PUSER01']}]}]})
    sim.clear_requests()
    return sim


def create_tag(sim, api, label):
    response = api.post(sim.url + '/tags', json={'tag': {'type': 'tag', 'label': label}})
    assert response.status_code == 201, response.text
    return response.json()['tag']


def assigned(sim, api, tag_id, entity_type):
    response = api.get(f'{sim.url}/tags/{tag_id}/{entity_type}')
    assert response.status_code == 200, response.text
    return [item['id'] for item in response.json()[entity_type]]


def test_create_show_list_and_delete(sim, api):
    tag = create_tag(sim, api, 'production')
    assert tag == {'id': tag['id'], 'type': 'tag', 'summary': 'production', 'self': f"{sim.url}/tags/{tag['id']}",
                   'html_url': None, 'label': 'production'}
    create_tag(sim, api, 'staging')
    assert api.get(f"{sim.url}/tags/{tag['id']}").json() == {'tag': tag}
    listed = api.get(sim.url + '/tags', params={'query': 'prod', 'total': 'true'}).json()
    assert [item['label'] for item in listed['tags']] == ['production']
    assert listed['total'] == 1 and listed['more'] is False
    assert [item['label'] for item in api.get(sim.url + '/tags').json()['tags']] == ['production', 'staging']
    assert api.delete(f"{sim.url}/tags/{tag['id']}").status_code == 204
    assert api.get(f"{sim.url}/tags/{tag['id']}").status_code == 404
    assert not any(entry['spec_violations'] for entry in sim.requests())


def test_no_update_route(sim, api):
    tag = create_tag(sim, api, 'production')
    response = api.put(f"{sim.url}/tags/{tag['id']}", json={'tag': {'type': 'tag', 'label': 'prod'}})
    assert response.status_code == 404


def test_label_is_required_unique_and_bounded(sim, api):
    create_tag(sim, api, 'production')
    response = api.post(sim.url + '/tags', json={'tag': {'type': 'tag', 'label': 'Production'}})
    assert (response.status_code, response.json()) == (400, invalid('Label has already been taken'))
    response = api.post(sim.url + '/tags', json={'tag': {'type': 'tag', 'label': ' '}})
    assert (response.status_code, response.json()) == (400, invalid("Label can't be blank"))


def test_change_tags_adds_removes_and_lists(sim, api):
    tag = create_tag(sim, api, 'production')
    response = api.post(sim.url + '/users/PUSER01/change_tags', json={'add': [tag_ref(tag['id'])]})
    assert response.status_code == 200, response.text
    assert response.json() == {'add': [tag_ref(tag['id'])]}
    api.post(sim.url + '/users/PUSER02/change_tags', json={'add': [tag_ref(tag['id'])]})
    api.post(sim.url + '/users/PUSER02/change_tags', json={'add': [tag_ref(tag['id'])]})  # again: no second assignment
    api.post(sim.url + '/teams/PTEAM01/change_tags', json={'add': [tag_ref(tag['id'])]})
    api.post(sim.url + '/escalation_policies/PEP0001/change_tags', json={'add': [tag_ref(tag['id'])]})
    users = api.get(f"{sim.url}/tags/{tag['id']}/users").json()
    assert users['users'][0] == {'id': 'PUSER01', 'type': 'user_reference', 'summary': 'Ann', 'self': f'{sim.url}/users/PUSER01',
                                 'html_url': 'https://simulator.pagerduty.invalid/users/PUSER01'}
    assert [user['id'] for user in users['users']] == ['PUSER01', 'PUSER02']
    assert assigned(sim, api, tag['id'], 'teams') == ['PTEAM01']
    assert assigned(sim, api, tag['id'], 'escalation_policies') == ['PEP0001']
    assert api.get(sim.url + '/users/PUSER01/tags').json()['tags'] == [tag]
    api.post(sim.url + '/users/PUSER01/change_tags', json={'remove': [tag_ref(tag['id'])]})
    assert assigned(sim, api, tag['id'], 'users') == ['PUSER02']
    assert api.get(sim.url + '/users/PUSER01/tags').json()['tags'] == []
    assert not any(entry['spec_violations'] for entry in sim.requests())


def test_change_tags_by_label_uses_or_creates_the_tag(sim, api):
    tag = create_tag(sim, api, 'production')
    response = api.post(sim.url + '/teams/PTEAM01/change_tags',
                        json={'add': [{'type': 'tag', 'label': 'production'}, {'type': 'tag', 'label': 'new one'}]})
    assert response.status_code == 200, response.text
    labels = [item['label'] for item in api.get(sim.url + '/teams/PTEAM01/tags').json()['tags']]
    assert labels == ['new one', 'production']
    assert assigned(sim, api, tag['id'], 'teams') == ['PTEAM01']


def test_change_tags_refusals_change_nothing(sim, api):
    tag = create_tag(sim, api, 'production')
    response = api.post(sim.url + '/users/PUSER01/change_tags', json={'add': [tag_ref(tag['id']), tag_ref('PNOSUCH')]})
    assert (response.status_code, response.json()) == (400, invalid('Tag PNOSUCH not found'))
    assert assigned(sim, api, tag['id'], 'users') == []
    assert api.post(sim.url + '/users/PNOSUCH/change_tags', json={'add': [tag_ref(tag['id'])]}).status_code == 404
    assert api.get(f"{sim.url}/tags/{tag['id']}/services").status_code == 404
    assert api.get(sim.url + '/tags/PNOSUCH/users').status_code == 404


def test_deletes_drop_assignments(sim, api):
    tag = create_tag(sim, api, 'production')
    other = create_tag(sim, api, 'staging')
    for path in ('/users/PUSER02', '/teams/PTEAM01', '/escalation_policies/PEP0001'):
        api.post(f'{sim.url}{path}/change_tags', json={'add': [tag_ref(tag['id']), tag_ref(other['id'])]})
    assert api.delete(sim.url + '/users/PUSER02').status_code == 204
    assert api.delete(sim.url + '/escalation_policies/PEP0001').status_code == 204
    assert api.delete(sim.url + '/teams/PTEAM01').status_code == 204
    for entity_type in ('users', 'teams', 'escalation_policies'):
        assert assigned(sim, api, tag['id'], entity_type) == []
    assert api.delete(f"{sim.url}/tags/{other['id']}").status_code == 204
    assert sim.state()['tags'] == [tag]


def test_seed_with_assignments(sim, api):
    created = sim.seed({'tags': [{'id': 'PTAG001', 'label': 'seeded', 'users': ['PUSER01'], 'teams': ['PTEAM01']}]})
    assert created == {'tags': ['PTAG001']}
    assert assigned(sim, api, 'PTAG001', 'users') == ['PUSER01']
    assert assigned(sim, api, 'PTAG001', 'teams') == ['PTEAM01']
    assert assigned(sim, api, 'PTAG001', 'escalation_policies') == []
