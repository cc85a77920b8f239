"""Business services, their subscribers and service dependencies in the PagerDuty simulator."""

import pytest


def invalid(*errors):
    return {'error': {'message': 'Invalid Input Provided', 'code': 2001, 'errors': list(errors)}}


@pytest.fixture(name='sim')
def seeded_sim_fixture(sim):
    """The fresh simulator with a user, two teams, a policy and two technical services."""
    sim.seed({'users': [{'id': 'PUSER01', 'name': 'Ann', 'email': 'ann@example.com'}],
              'teams': [{'id': 'PTEAM01', 'name': 'Ops'}, {'id': 'PTEAM02', 'name': 'Dev'}],
              'escalation_policies': [{'id': 'PPOL001', 'name': 'Primary',
                                       'escalation_rules': [{'escalation_delay_in_minutes': 30, 'targets': ['PUSER01']}]}],
              'services': [{'id': 'PSVC001', 'name': 'Web', 'escalation_policy': 'PPOL001'},
                           {'id': 'PSVC002', 'name': 'Database', 'escalation_policy': 'PPOL001'}]})
    sim.clear_requests()
    return sim


def create(sim, api, **fields):
    response = api.post(sim.url + '/business_services', json={'business_service': dict({'name': 'Shop'}, **fields)})
    assert response.status_code == 200, response.text
    return response.json()['business_service']


def relationship(supporting, dependent):
    return {'supporting_service': {'id': supporting[1], 'type': supporting[0]}, 'dependent_service': {'id': dependent[1], 'type': dependent[0]}}


def test_business_service_crud_with_exact_bodies(sim, api):
    created = create(sim, api, description='Buying things', point_of_contact='Ann', team={'id': 'PTEAM01'})
    assert created == {
        'id': created['id'], 'type': 'business_service', 'summary': 'Shop',
        'self': f"{sim.url}/business_services/{created['id']}", 'html_url': None,
        'name': 'Shop', 'description': 'Buying things', 'point_of_contact': 'Ann',
        'team': {'id': 'PTEAM01', 'type': 'team_reference', 'self': f'{sim.url}/teams/PTEAM01'},
    }
    change = {'business_service': {'team': {'id': 'PTEAM02'}, 'description': 'Shopping'}}
    response = api.put(f"{sim.url}/business_services/{created['id']}", json=change)
    assert response.status_code == 200
    updated = response.json()['business_service']
    assert updated['team']['id'] == 'PTEAM02' and updated['description'] == 'Shopping' and updated['point_of_contact'] == 'Ann'
    listed = api.get(sim.url + '/business_services', params={'total': 'true'}).json()
    assert [item['name'] for item in listed['business_services']] == ['Shop'] and listed['total'] == 1
    assert api.delete(f"{sim.url}/business_services/{created['id']}").status_code == 204
    assert api.get(f"{sim.url}/business_services/{created['id']}").status_code == 404
    assert not any(entry['spec_violations'] for entry in sim.requests())


def test_business_service_refusals(sim, api):
    create(sim, api)
    response = api.post(sim.url + '/business_services', json={'business_service': {'name': 'shop'}})
    assert response.status_code == 400 and response.json() == invalid('Name has already been taken')
    response = api.post(sim.url + '/business_services', json={'business_service': {'name': 'Other', 'team': {'id': 'PNOPE01'}}})
    assert response.status_code == 400 and response.json() == invalid('Team PNOPE01 not found')
    # The list takes no query parameter: strict mode refuses it.
    assert api.get(sim.url + '/business_services', params={'query': 'Shop'}).status_code == 400


def test_subscribers_are_listed_in_one_answer_and_removed(sim, api):
    shop = create(sim, api)
    url = f"{sim.url}/business_services/{shop['id']}"
    body = {'subscribers': [{'subscriber_id': 'PUSER01', 'subscriber_type': 'user'}, {'subscriber_id': 'PTEAM01', 'subscriber_type': 'team'}]}
    answer = api.post(url + '/subscribers', json=body).json()
    assert [item['result'] for item in answer['subscriptions']] == ['success', 'success']
    assert answer['subscriptions'][0] == {'account_id': 'PSIMACC', 'subscribable_id': shop['id'], 'subscribable_type': 'business_service',
                                          'subscriber_id': 'PUSER01', 'subscriber_type': 'user', 'result': 'success'}
    again = api.post(url + '/subscribers', json={'subscribers': body['subscribers'][:1]}).json()
    assert again['subscriptions'][0]['result'] == 'duplicate'
    listed = api.get(url + '/subscribers').json()
    assert listed['subscribers'] == body['subscribers'] and listed['more'] is False and listed['total'] == 2
    response = api.post(url + '/subscribers', json={'subscribers': [{'subscriber_id': 'PNOPE01', 'subscriber_type': 'team'}]})
    assert response.status_code == 400 and response.json() == invalid('Team PNOPE01 not found')
    removed = api.post(url + '/unsubscribe', json={'subscribers': [body['subscribers'][1], {'subscriber_id': 'PTEAM02', 'subscriber_type': 'team'}]})
    assert removed.json() == {'deleted_count': 1, 'unauthorized_count': 0, 'non_existent_count': 1}
    assert api.get(url + '/subscribers').json()['subscribers'] == body['subscribers'][:1]
    assert not any(entry['spec_violations'] for entry in sim.requests())


def test_dependencies_associate_read_and_disassociate(sim, api):
    shop = create(sim, api)
    wanted = [relationship(('service', 'PSVC001'), ('business_service', shop['id'])),
              relationship(('service', 'PSVC002'), ('service', 'PSVC001'))]
    answer = api.post(sim.url + '/service_dependencies/associate', json={'relationships': wanted}).json()
    first = answer['relationships'][0]
    assert first['supporting_service'] == {'id': 'PSVC001', 'type': 'technical_service_reference'}
    assert first['dependent_service'] == {'id': shop['id'], 'type': 'business_service_reference'}
    assert first['type'] == 'service_dependency' and len(first['id']) == 16
    # An association made twice is the same relationship.
    again = api.post(sim.url + '/service_dependencies/associate', json={'relationships': wanted[:1]}).json()
    assert again['relationships'][0]['id'] == first['id']
    of_shop = api.get(f"{sim.url}/service_dependencies/business_services/{shop['id']}").json()['relationships']
    assert [item['id'] for item in of_shop] == [first['id']]
    # The immediate dependencies of a technical service: where it depends and where it supports.
    of_web = api.get(sim.url + '/service_dependencies/technical_services/PSVC001').json()['relationships']
    assert len(of_web) == 2
    removed = api.post(sim.url + '/service_dependencies/disassociate', json={'relationships': wanted[:1]}).json()
    assert [item['id'] for item in removed['relationships']] == [first['id']]
    assert api.get(f"{sim.url}/service_dependencies/business_services/{shop['id']}").json() == {'relationships': []}
    assert not any(entry['spec_violations'] for entry in sim.requests())


def test_dependency_refusals(sim, api):
    shop = create(sim, api)
    url = sim.url + '/service_dependencies/associate'
    response = api.post(url, json={'relationships': [relationship(('service', 'PNOPE01'), ('business_service', shop['id']))]})
    assert response.status_code == 404 and response.json()['error']['errors'] == ['Service PNOPE01 not found']
    response = api.post(url, json={'relationships': [relationship(('business_service', shop['id']), ('business_service', shop['id']))]})
    assert response.status_code == 400 and response.json() == invalid(f"A service cannot depend on itself ({shop['id']})")
    response = api.post(url, json={'relationships': [relationship(('widget', 'PSVC001'), ('business_service', shop['id']))]})
    assert response.status_code == 400
    assert api.get(sim.url + '/service_dependencies/business_services/PNOPE01').status_code == 404


def test_deletes_drop_dependencies_and_subscribers(sim, api):
    shop = create(sim, api)
    other = create(sim, api, name='Other')
    api.post(sim.url + '/service_dependencies/associate', json={'relationships': [
        relationship(('service', 'PSVC001'), ('business_service', shop['id'])),
        relationship(('business_service', shop['id']), ('business_service', other['id'])),
        relationship(('service', 'PSVC002'), ('business_service', other['id']))]})
    api.post(f"{sim.url}/business_services/{shop['id']}/subscribers", json={'subscribers': [{'subscriber_id': 'PUSER01', 'subscriber_type': 'user'}]})
    assert api.delete(f"{sim.url}/business_services/{shop['id']}").status_code == 204
    assert api.delete(sim.url + '/services/PSVC002').status_code == 204
    state = sim.state()
    assert state['service_dependencies'] == [] and state['business_service_subscribers'] == []


def test_seed_business_services_with_subscribers_and_dependencies(sim):
    created = sim.seed({'business_services': [{'id': 'PBIZ001', 'name': 'Online shopping', 'team': 'PTEAM01', 'point_of_contact': 'Ann',
                                               'subscribers': [{'team': 'PTEAM02'}, {'user': 'PUSER01'}],
                                               'supporting_services': ['PSVC001']}]})
    assert created['business_services'] == ['PBIZ001']
    state = sim.state()
    [shop] = state['business_services']
    assert shop['team']['id'] == 'PTEAM01' and shop['point_of_contact'] == 'Ann'
    assert state['business_service_subscribers'] == [{'subscriber_id': 'PTEAM02', 'subscriber_type': 'team'},
                                                     {'subscriber_id': 'PUSER01', 'subscriber_type': 'user'}]
    [dependency] = state['service_dependencies']
    assert dependency['supporting_service'] == {'id': 'PSVC001', 'type': 'technical_service_reference'}
    assert dependency['dependent_service'] == {'id': 'PBIZ001', 'type': 'business_service_reference'}
