"""The account's abilities: GET /abilities and GET /abilities/{id} (``ROUTES``).

The abilities an account has come from its plan; the simulator's account has ``DEFAULT_ABILITIES``
(the spec's example answer) unless the admin API sets others (``POST /__sim__/config {"abilities": [...]}``).
"""

from pdsim.core import ApiError, Route

# The example answer of GET /abilities in PagerDuty's OpenAPI document.
DEFAULT_ABILITIES = ('teams', 'read_only_users', 'service_support_hours', 'urgencies')
# The developer docs' error codes: 2014 "Missing Account Ability"; their HTTP page: 402 when the account
# "does not have access to one or more abilities needed to complete this request".
MISSING_ABILITY = (2014, 'Missing Account Ability')


def list_abilities(ctx, request):  # pylint: disable=unused-argument
    """GET /abilities: {"abilities": [names]} (no pagination, as the spec says)."""
    return 200, {'abilities': list(ctx.store.abilities)}


def test_ability(ctx, request):
    """GET /abilities/{id}: 204 (no body) when the account has it, else 402."""
    name = request.params[0]
    if name in ctx.store.abilities:
        return 204, None
    raise ApiError(402, MISSING_ABILITY, [f'The account does not have the ability {name}'])


ROUTES = [
    Route('GET', '/abilities', list_abilities),
    Route('GET', '/abilities/{id}', test_ability),
]
