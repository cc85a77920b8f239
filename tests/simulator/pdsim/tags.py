"""Tags: /tags and /tags/{id} (list, create, show, delete: the API has no update), the entities a tag is assigned
to (GET /tags/{id}/{entity_type}), the tags of an entity (GET /{entity_type}/{id}/tags) and assigning them
(POST /{entity_type}/{id}/change_tags), for the entity types users, teams and escalation_policies.

A tag keeps its assignments by entity type, as ids in the order they were made (``assigned``). Deleting a tag
forgets them; deleting a user, team or policy takes it off every tag (``forget_assignments``, wired in
``pdsim.api``). The entities come from ``ctx.resource(entity_type)``: this module imports only ``core``.
"""

from pdsim.core import NOT_FOUND, ApiError, Resource, Route, invalid_input, paginated_answer

ENTITY_TYPES = ('users', 'teams', 'escalation_policies')
LABEL_MAX_LENGTH = 191
TAG_TYPES = ('tag', 'tag_reference')


class Tags(Resource):
    collection = 'tags'
    wrapper = 'tag'
    type_name = 'tag'
    unique_field = 'label'
    query_field = 'label'
    sort_field = 'label'
    summary_field = 'label'
    operations = ('list', 'create', 'show', 'delete')

    def html_url(self, stored):
        return None  # the spec's examples show a tag's html_url as null

    def check_label(self, ctx, data):
        label = data.get('label')
        if not isinstance(label, str) or not label.strip():
            raise invalid_input("Label can't be blank")
        if len(label) > LABEL_MAX_LENGTH:
            raise invalid_input(f'Label is too long (maximum is {LABEL_MAX_LENGTH} characters)')
        if data.get('type', 'tag') != 'tag':
            raise invalid_input('Type must be tag')
        self.check_unique(ctx, label)
        return label

    def create(self, ctx, data, object_id=None, parent=None):
        label = self.check_label(ctx, data)
        stored = {'id': self.new_id(ctx, object_id), 'label': label, 'assigned': {entity_type: [] for entity_type in ENTITY_TYPES}}
        ctx.store[self.collection].put(stored)
        return stored

    def render(self, ctx, stored, includes=()):
        return {**self.header(ctx, stored), 'label': stored['label']}

    def seed(self, ctx, item):
        """A seeded tag may list the ids of the entities it is assigned to: {"label", "users": [ids], "teams": [...], ...}."""
        assigned = {entity_type: list(item.pop(entity_type, None) or []) for entity_type in ENTITY_TYPES}
        stored = self.create(ctx, item, object_id=item.pop('id', None))
        for entity_type, ids in assigned.items():
            for entity_id in ids:
                ctx.resource(entity_type).lookup(ctx, entity_id)
                assign(stored, entity_type, entity_id)
        return stored

    def bulk_item(self, index):
        return {'label': f'Tag {index:05d}'}


TAGS = Tags()


def assign(stored, entity_type, entity_id):
    if entity_id not in stored['assigned'][entity_type]:
        stored['assigned'][entity_type].append(entity_id)


def unassign(stored, entity_type, entity_id):
    if entity_id in stored['assigned'][entity_type]:
        stored['assigned'][entity_type].remove(entity_id)


def _entity_type(value):
    if value not in ENTITY_TYPES:
        raise ApiError(404, NOT_FOUND)
    return value


def list_assigned(ctx, request):
    """GET /tags/{id}/{entity_type}: the references of the entities of that type carrying the tag, paginated under
    the entity type's key, in the order they were tagged."""
    tag = TAGS.lookup(ctx, request.params[0])
    entity_type = _entity_type(request.params[1])
    resource = ctx.resource(entity_type)
    return paginated_answer(entity_type, tag['assigned'][entity_type], request.query, lambda entity_id: resource.reference_by_id(ctx, entity_id))


def entity_tags_handler(entity_type):
    def handle(ctx, request):
        """GET /{entity_type}/{id}/tags: the entity's tags (full tag objects), by label."""
        entity = ctx.resource(entity_type).lookup(ctx, request.params[0])
        tags = [tag for tag in ctx.store[TAGS.collection].values() if entity['id'] in tag['assigned'][entity_type]]
        tags.sort(key=lambda tag: (tag['label'].casefold(), tag['id']))
        return paginated_answer('tags', tags, request.query, lambda tag: TAGS.render(ctx, tag))
    return handle


def _items(body, key):
    items = body.get(key, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise invalid_input(f'{key.capitalize()} must be a list of tags or tag references')
    return items


def change_tags_handler(entity_type):
    def handle(ctx, request):
        """POST /{entity_type}/{id}/change_tags: {"add": [tag references, or {"type": "tag", "label"} (the tag with that
        label, created when none has it)], "remove": [tag references]}; everything is checked before anything changes."""
        entity = ctx.resource(entity_type).lookup(ctx, request.params[0])
        body = request.body
        if not isinstance(body, dict):
            raise invalid_input('The request body must be a JSON object with add and/or remove lists')
        tags = ctx.store[TAGS.collection]
        to_add, to_create = [], []
        for item in _items(body, 'add'):
            if item.get('type') not in TAG_TYPES:
                raise invalid_input(f"Tag type must be one of {', '.join(TAG_TYPES)}")
            if item['type'] == 'tag_reference':
                to_add.append(_existing_tag(tags, item.get('id')))
            else:
                label = item.get('label')
                found = tags.find_unique(label)
                if found is None:
                    if not isinstance(label, str) or not label.strip() or len(label) > LABEL_MAX_LENGTH:
                        TAGS.check_label(ctx, {'label': label})
                    to_create.append(label)
                else:
                    to_add.append(found)
        to_remove = []
        for item in _items(body, 'remove'):
            if item.get('type') != 'tag_reference':
                raise invalid_input('Tags to remove must be tag references')
            to_remove.append(_existing_tag(tags, item.get('id')))
        for tag in to_remove:
            unassign(tag, entity_type, entity['id'])
        for label in dict.fromkeys(to_create):
            to_add.append(tags.find_unique(label) or TAGS.create(ctx, {'label': label}))
        for tag in to_add:
            assign(tag, entity_type, entity['id'])
        return 200, {key: body[key] for key in ('add', 'remove') if key in body}
    return handle


def _existing_tag(tags, tag_id):
    tag = tags.get(tag_id) if isinstance(tag_id, str) else None
    if tag is None:
        raise invalid_input(f'Tag {tag_id} not found')
    return tag


def forget_assignments(entity_type):
    """A delete cascade: a deleted user, team or escalation policy carries no tag any more."""
    def forget(ctx, stored):
        for tag in ctx.store[TAGS.collection].values():
            unassign(tag, entity_type, stored['id'])
    return forget


ROUTES = [Route('GET', '/tags/{id}/{entity_type}', list_assigned)] + [
    route for entity_type in ENTITY_TYPES for route in (
        Route('GET', f'/{entity_type}/{{id}}/tags', entity_tags_handler(entity_type)),
        Route('POST', f'/{entity_type}/{{id}}/change_tags', change_tags_handler(entity_type)),
    )
]
