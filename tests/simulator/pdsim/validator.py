"""Check simulator requests against PagerDuty's OpenAPI document.

Only the parts of OpenAPI 3.0 that the PagerDuty document uses are handled:
``$ref`` (JSON pointers, including ones that point inside responses),
``allOf``/``oneOf``/``anyOf``, ``type``, ``nullable``, ``enum``, length and
item limits, ``properties`` and ``items``.  ``readOnly`` properties sent by a
client are ignored, and ``required`` is only enforced on POST because the
document reuses its create schemas for PUT.

Every finding is a string.  A ``Deviation`` is a finding PagerDuty itself accepts (its developer
documentation says so, see DEVIATION_SOURCES): the server refuses it only in strict mode and
otherwise records it and applies its ``fix`` (drop the value, or set the value PagerDuty assumes).
"""

import json
import os
import re

# The collection root: tests/simulator/pdsim/validator.py is four levels below it.
COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def default_spec_path():
    """$PD_SIM_OPENAPI, else <collection root>/../shared/pagerduty-openapi/openapiv3.json."""
    if os.environ.get('PD_SIM_OPENAPI'):
        return os.environ['PD_SIM_OPENAPI']
    return os.path.join(os.path.dirname(COLLECTION_ROOT), 'shared', 'pagerduty-openapi', 'openapiv3.json')


# How an operation's description names the scope a Scoped OAuth token needs for it.
OAUTH_SCOPE_IN_DESCRIPTION = re.compile(r'Scoped OAuth requires: `([^`]+)`')

_JSON_TYPES = {
    'object': (dict,),
    'array': (list,),
    'string': (str,),
    'boolean': (bool,),
}


# Why PagerDuty accepts each kind of Deviation (the developer documentation's REST API pages).
DEVIATION_SOURCES = {
    'null': 'Types: "Unless otherwise noted, any field in the PagerDuty API can contain the value null"; '
            'Endpoints: a PUT body "has the same format as would be returned from the equivalent show endpoint"',
    'missing_type': 'Endpoints: a create body has the format of a show response, and PagerDuty\'s own Python client and '
                    'Terraform provider create objects without "type" (the wrapper key names the kind)',
    'reference_type': 'References: an object is identified by id and type "ignoring the distinction between a given '
                      'type and the corresponding type_reference"',
    'unknown_query': 'Endpoints: unrecognized fields are ignored; unknown query parameters are ignored the same way (unverified)',
    'accept': 'Versioning: the version that answers is the token\'s unless the Accept header names one',
}


class Deviation(str):
    """A finding PagerDuty accepts: ``kind`` (a DEVIATION_SOURCES key) and ``fix``, None or
    (action, where, value) with action ``drop`` or ``set`` and ``where`` a tuple of keys into the body
    (or ('query', name) for a query parameter)."""

    kind = None
    fix = None

    def __new__(cls, text, kind, fix=None):
        finding = super().__new__(cls, text)
        finding.kind = kind
        finding.fix = fix
        return finding


def _path_of(where):
    """('team', 'parent') for 'body.team.parent'; list indexes as ints ('users', 0, 'user')."""
    tokens = []
    for part in where.split('.')[1:]:
        name, dummy, rest = part.partition('[')
        tokens.append(name)
        for index in re.findall(r'(\d+)\]', '[' + rest if rest else ''):
            tokens.append(int(index))
    return tuple(tokens)


def _reference_variant(value, allowed):
    """The enum value that differs from ``value`` only by a ``_reference`` suffix, or None."""
    if not isinstance(value, str):
        return None
    for candidate in (value + '_reference', value[:-len('_reference')] if value.endswith('_reference') else None):
        if candidate and candidate in allowed:
            return candidate
    return None


def apply_fixes(body, query, deviations):
    """Apply each deviation's fix to the body (in place) and the query (in place)."""
    for deviation in deviations:
        if not deviation.fix:
            continue
        action, where, value = deviation.fix
        if where[:1] == ('query',):
            query.pop(where[1], None)
            continue
        parent = body
        for token in where[:-1]:
            try:
                parent = parent[token]
            except (KeyError, IndexError, TypeError):
                parent = None
                break
        if not isinstance(parent, dict):
            continue
        if action == 'drop':
            parent.pop(where[-1], None)
        else:
            parent[where[-1]] = value


def _unescape_pointer(token):
    return token.replace('~1', '/').replace('~0', '~')


def _as_type_object(node):
    """A string enum the API really takes (and returns) as ``{"type": <value>}``."""
    return {'type': 'object', 'properties': {'type': node}, 'required': ['type']}


def _nullable(node):
    return dict(node, nullable=True)


def _split_enum(node):
    """An enum written as one comma-separated string ("all, any") instead of its values."""
    return dict(node, enum=[value.strip() for item in node.get('enum', []) for value in f'{item}'.split(',')])


# Where PagerDuty's document disagrees with the API (and with its own examples); applied at load time.
# (JSON pointer, change, why)
SPEC_CORRECTIONS = (
    ('/components/schemas/EscalationRule/properties/escalation_rule_assignment_strategy', _as_type_object,
     'documented as a string enum, but the examples and the API use {"type": "round_robin"|"assign_to_everyone"}'),
    ('/components/schemas/Service/allOf/1/properties/auto_resolve_timeout', _nullable,
     'the description says null disables the feature, but the schema is not nullable'),
    ('/components/schemas/Service/allOf/1/properties/acknowledgement_timeout', _nullable,
     'the description says null disables the feature, but the schema is not nullable'),
    ('/components/schemas/ScheduleLayer/properties/end', _nullable,
     'the description says a null end means the layer does not end, but the schema is not nullable'),
    ('/components/schemas/ContentBasedAlertGroupingConfiguration/properties/aggregate', _split_enum,
     'the enum is the one string "all, any"; its description names the two values all and any'),
    ('/components/schemas/ContentBasedIntelligentAlertGroupingConfiguration/properties/aggregate', _split_enum,
     'the enum is the one string "all, any"; its description names the two values all and any'),
)


def apply_corrections(document, corrections=SPEC_CORRECTIONS):
    """Patch the loaded document in memory; a pointer the document lacks is skipped."""
    for pointer, change, dummy in corrections:
        tokens = [_unescape_pointer(token) for token in pointer.strip('/').split('/')]
        parent = document
        for token in tokens[:-1]:
            if isinstance(parent, list) and token.isdigit() and int(token) < len(parent):
                parent = parent[int(token)]
            else:
                parent = parent.get(token) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and tokens[-1] in parent:
            parent[tokens[-1]] = change(parent[tokens[-1]])


class SpecValidator:
    """Match requests to spec operations and report every violation found."""

    def __init__(self, document):
        self.document = document
        apply_corrections(document)
        self._routes = self._build_routes()

    @classmethod
    def from_file(cls, path):
        with open(path, encoding='utf-8') as spec_file:
            return cls(json.load(spec_file))

    # --- paths and operations -------------------------------------------

    def _build_routes(self):
        routes = []
        for template, item in self.document.get('paths', {}).items():
            names = re.findall(r'{([^}/]+)}', template)
            pattern = '^' + re.sub(r'{[^}/]+}', '([^/]+)', template) + '$'
            routes.append((len(names), template, re.compile(pattern), item))
        # A literal segment (/users/me) must win over a template (/users/{id}).
        routes.sort(key=lambda route: (route[0], route[1]))
        return routes

    def find_operation(self, method, path):
        """Return (path template, operation, parameters) or None when the spec lacks it."""
        for dummy, template, pattern, item in self._routes:
            if not pattern.match(path):
                continue
            operation = item.get(method.lower())
            if operation is None:
                continue
            parameters = [self.resolve(p) for p in item.get('parameters', [])]
            parameters += [self.resolve(p) for p in operation.get('parameters', [])]
            return template, operation, parameters
        return None

    def oauth_scope(self, method, path):
        """The scope the operation's description requires of a Scoped OAuth token ("Scoped OAuth requires:
        `teams.read`"), or None when the operation names none (or is no operation of the document)."""
        found = self.find_operation(method, path)
        if found is None:
            return None
        quoted = OAUTH_SCOPE_IN_DESCRIPTION.search(found[1].get('description') or '')
        return quoted.group(1).strip() if quoted else None

    def resolve(self, node):
        """Follow ``$ref`` chains until a concrete node is reached."""
        seen = set()
        while isinstance(node, dict) and '$ref' in node:
            ref = node['$ref']
            if ref in seen or not ref.startswith('#/'):
                raise ValueError(f'cannot resolve reference {ref}')
            seen.add(ref)
            target = self.document
            for token in ref[2:].split('/'):
                token = _unescape_pointer(token)
                target = target[int(token)] if isinstance(target, list) else target[token]
            node = target
        return node

    # --- request checks -------------------------------------------------

    def validate_request(self, method, path, query, body, content_type=None):
        """Return a list of violation strings (empty when the request conforms)."""
        found = self.find_operation(method, path)
        if found is None:
            return [f'{method.upper()} {path} is not an operation of the OpenAPI spec']
        dummy, operation, parameters = found
        violations = self._check_query(query, parameters)
        violations += self._check_body(method, operation, body, content_type)
        return violations

    def _check_query(self, query, parameters):
        violations = []
        by_name = {}
        for parameter in parameters:
            if parameter.get('in') == 'query':
                by_name[parameter['name']] = parameter
        for name, parameter in by_name.items():
            given = name in query or (name[:-2] if name.endswith('[]') else name + '[]') in query
            if parameter.get('required') and not given:
                violations.append(f'query parameter {name!r} is required')
        for name, values in query.items():
            parameter = by_name.get(name)
            if parameter is None and name.endswith('[]'):
                parameter = by_name.get(name[:-2])
            if parameter is None and not name.endswith('[]'):
                parameter = by_name.get(name + '[]')
            if parameter is None:
                violations.append(Deviation(f'query parameter {name!r} is not defined for this operation', 'unknown_query',
                                            ('drop', ('query', name), None)))
                continue
            schema = self.resolve(parameter.get('schema', {}))
            if schema.get('type') == 'array':
                schema = self.resolve(schema.get('items', {}))
            for value in values:
                violations += self._check_query_value(name, value, schema)
        return violations

    def _check_query_value(self, name, value, schema):
        kind = schema.get('type')
        if kind == 'integer':
            try:
                int(value)
            except ValueError:
                return [f'query parameter {name!r} must be an integer, got {value!r}']
        elif kind == 'number':
            try:
                float(value)
            except ValueError:
                return [f'query parameter {name!r} must be a number, got {value!r}']
        elif kind == 'boolean' and value not in ('true', 'false', '1', '0'):
            # PagerDuty's "Types" page: "1" and "true" are truthy, "0" and "false" falsy in query strings.
            return [f'query parameter {name!r} must be true, false, 1 or 0, got {value!r}']
        if 'enum' in schema and kind not in ('integer', 'number', 'boolean') and value not in schema['enum']:
            return [f"query parameter {name!r} must be one of {', '.join(map(str, schema['enum']))}, got {value!r}"]
        return []

    def _check_body(self, method, operation, body, content_type):
        request_body = self.resolve(operation.get('requestBody')) if operation.get('requestBody') else None
        if request_body is None:
            return []
        if body is None:
            if request_body.get('required'):
                return ['a JSON request body is required']
            return []
        content = request_body.get('content', {})
        media = content.get('application/json')
        if media is None:
            return []
        if content_type is not None and not content_type.split(';')[0].strip().lower() == 'application/json':
            return [f'Content-Type must be application/json, got {content_type!r}']
        schema = media.get('schema')
        if schema is None:
            return []
        return self.validate(schema, body, 'body', enforce_required=method.upper() == 'POST')

    # --- JSON schema subset ---------------------------------------------

    def validate(self, schema, value, where, enforce_required=True):
        """Validate ``value`` against ``schema``; return violation strings."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return []
        if value is None:
            if schema.get('nullable') or not schema:
                return []
            if 'type' in schema or 'properties' in schema:
                if where.endswith(']'):
                    return [f'{where} must not be null']
                return [Deviation(f'{where} is null, which the OpenAPI document does not allow (accepted; the field is left as it is)', 'null',
                                  ('drop', _path_of(where), None))]
        violations = []
        for part in schema.get('allOf', []):
            violations += self.validate(part, value, where, enforce_required)
        for keyword in ('oneOf', 'anyOf'):
            if keyword in schema:
                violations += self._check_alternatives(schema[keyword], value, where, enforce_required)
        if value is None:
            return violations
        wrong_type = self._check_type(schema, value, where)
        if wrong_type or any(not isinstance(finding, Deviation) for finding in violations):
            return violations + wrong_type
        if 'enum' in schema and value not in schema['enum']:
            allowed = ', '.join(json.dumps(choice) for choice in schema['enum'])
            variant = _reference_variant(value, schema['enum']) if where.endswith('.type') else None
            if variant is not None:
                violations.append(Deviation(f'{where} must be one of {allowed}, got {json.dumps(value)} (PagerDuty takes it as {variant})',
                                            'reference_type', ('set', _path_of(where), variant)))
            else:
                violations.append(f'{where} must be one of {allowed}, got {json.dumps(value)}')
        if isinstance(value, str):
            violations += self._check_length(schema, len(value), where, 'characters', 'Length')
        if isinstance(value, list):
            violations += self._check_length(schema, len(value), where, 'items', 'Items')
            if 'items' in schema:
                for index, item in enumerate(value):
                    violations += self.validate(schema['items'], item, f'{where}[{index}]', enforce_required)
        if isinstance(value, dict):
            violations += self._check_object(schema, value, where, enforce_required)
        return violations

    def _check_alternatives(self, choices, value, where, enforce_required):
        """Any match is enough; otherwise report the closest alternative's violations.

        ``oneOf`` is treated like ``anyOf``: the PagerDuty document's alternatives
        (contact method kinds) overlap once ``required`` is not enforced (PUT).
        """
        closest = None
        for choice in choices:
            # Between alternatives the type is what tells them apart: a missing one is no longer tolerated.
            violations = [str(v) if getattr(v, 'kind', None) == 'missing_type' else v
                          for v in self.validate(choice, value, where, enforce_required)]
            if all(isinstance(v, Deviation) for v in violations):
                return violations
            if closest is None or len(violations) < len(closest):
                closest = violations
        return [f"{where} matches none of the allowed schemas (closest: {'; '.join(closest or [])})"]

    @staticmethod
    def _check_type(schema, value, where):
        kind = schema.get('type')
        if kind is None:
            return []
        if kind == 'integer':
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif kind == 'number':
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif kind in _JSON_TYPES:
            ok = isinstance(value, _JSON_TYPES[kind])
        else:
            ok = True
        if ok:
            return []
        return [f'{where} must be of type {kind}, got {type(value).__name__}']

    @staticmethod
    def _check_length(schema, size, where, unit, suffix):
        violations = []
        maximum = schema.get('max' + suffix)
        minimum = schema.get('min' + suffix)
        if maximum is not None and size > maximum:
            violations.append(f'{where} must have at most {maximum} {unit}, got {size}')
        if minimum is not None and size < minimum:
            violations.append(f'{where} must have at least {minimum} {unit}, got {size}')
        return violations

    def _missing_type(self, type_schema, where):
        """A required ``type`` left out: PagerDuty assumes the only type the schema allows."""
        allowed = self.resolve(type_schema or {}).get('enum') or []
        fix = ('set', _path_of(where) + ('type',), allowed[0]) if len(allowed) == 1 else None
        return Deviation(f'{where}.type is required by the OpenAPI document', 'missing_type', fix)

    def _check_object(self, schema, value, where, enforce_required):
        violations = []
        properties = schema.get('properties', {})
        for name, subschema in properties.items():
            if name not in value:
                continue
            if self.resolve(subschema).get('readOnly'):
                continue
            violations += self.validate(subschema, value[name], f'{where}.{name}', enforce_required)
        if enforce_required:
            for name in schema.get('required', []):
                if name in value:
                    continue
                if self.resolve(properties.get(name, {})).get('readOnly'):
                    continue  # OpenAPI 3.0: a required readOnly property is required in responses only
                if name == 'type':
                    violations.append(self._missing_type(properties.get('type'), where))
                else:
                    violations.append(f'{where}.{name} is required')
        extra = schema.get('additionalProperties')
        if isinstance(extra, dict):
            for name, item in value.items():
                if name not in properties:
                    violations += self.validate(extra, item, f'{where}.{name}', enforce_required)
        return violations
