# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The module base: an AnsibleModule with the connection options, a client, and errors turned into fail_json.

Private to this collection: not an API for other collections.
"""

from __future__ import annotations

import math

from ansible.module_utils.basic import AnsibleModule, _load_params, missing_required_lib

from ansible_collections.oncall.pagerduty.plugins.module_utils._client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, PagerDutyError
from ansible_collections.oncall.pagerduty.plugins.module_utils._connection import client_from_options, connection_argument_spec
from ansible_collections.oncall.pagerduty.plugins.module_utils._timeutil import now_utc


class InputError(PagerDutyError):
    """Input refused before any request: the message names the option and what it allows."""


class DeclarationError(TypeError):
    """A module class declares something its argument spec does not have (a bug in the collection, not in the task)."""


class Context:
    """What a hook of a field or sub-list may use, instead of reaching into the module.

    ``client``, ``params`` (the task's options), ``check_mode``, ``existing`` (the object
    found, or None), ``now`` (one instant for the whole run) and a per-run memo.
    """

    def __init__(self, client, params: dict, check_mode: bool, now=None, memo=None):
        self.client = client
        self.params = params
        self.check_mode = check_mode
        self.existing = None
        self.now = now or now_utc()
        # The account engine gives the contexts of its objects one memo: what one object read serves the next.
        self._memo = {} if memo is None else memo

    def sharing(self, params: dict):
        """A context for another object of the same run (the account engine): its own options and object,
        this one's client, mode, instant and memo."""
        return Context(self.client, params, self.check_mode, self.now, self._memo)

    @property
    def existing_id(self):
        return self.existing["id"] if self.existing else None

    def remember(self, compute, *args):
        """``compute(ctx, *args)``, computed once a run (until forgotten): the function itself is the key."""
        key = (compute, args)
        if key not in self._memo:
            self._memo[key] = compute(self, *args)
        return self._memo[key]

    def prime(self, compute, args, value):
        """Remember ``value`` as what ``compute(ctx, *args)`` would answer (an answer already at hand)."""
        self._memo[(compute, tuple(args))] = value

    def forget(self, compute=None, *args):
        """Drop what ``compute`` remembered (for these arguments only, when given; everything when ``compute``
        is None), after a write made it stale."""
        if compute is None:
            self._memo.clear()
            return
        for key in [key for key in self._memo if key[0] is compute and (not args or key[1] == args)]:
            del self._memo[key]

    def forget_about(self, *object_ids):
        """Drop everything remembered about these objects (every answer computed with one of their ids)."""
        ids = set(object_ids)
        for key in [key for key in self._memo if ids.intersection(arg for arg in key[1] if isinstance(arg, str))]:
            del self._memo[key]


# The state option of every module that creates and deletes (added to its argument spec by the base).
STATE_OPTION = {"type": "str", "default": "present", "choices": ["present", "absent"]}


def is_infinite(value) -> bool:
    """Whether a value given for a number is infinite or not a number (as text or as a float)."""
    try:
        return isinstance(value, (str, float)) and not math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def wrong_type_options(spec: dict, params: dict, prefix: str = "") -> list:
    """Options given a value ansible-core cannot validate: not a dictionary where the spec wants one with
    suboptions, or an infinite number where it wants a number."""
    wrong = []
    for name, option in spec.items():
        value = params.get(name) if isinstance(params, dict) else None
        if option.get("type") in ("int", "float") and is_infinite(value):
            wrong.append(f"{prefix}{name}")
            continue
        if value is None or not option.get("options"):
            continue
        if option.get("type") == "dict":
            items = [(f"{prefix}{name}", value)]
        elif option.get("type") == "list" and isinstance(value, list):
            items = [(f"{prefix}{name}[{index}]", item) for index, item in enumerate(value)]
        else:
            continue
        for where, item in items:
            if isinstance(item, dict):
                wrong += wrong_type_options(option["options"], item, f"{where}.")
            elif not isinstance(item, str):
                wrong.append(where)
    return wrong


def refuse_wrong_types(spec: dict):
    """Fail the task naming the options whose values ansible-core's validation cannot handle."""
    params = _load_params()
    wrong = wrong_type_options(spec, params)
    if not wrong:
        return
    # A module with every given option as raw, only to report the error (secrets still hidden).
    raw = {name: {"type": "raw", "no_log": bool(spec.get(name, {}).get("no_log"))} for name in params if not name.startswith("_ansible_")}
    AnsibleModule(argument_spec=raw, supports_check_mode=True).fail_json(
        msg=f"{', '.join(wrong)}: a finite number or a dictionary of suboptions, as the option's type says, is required; got a value of another type")


class PagerDutyModule:
    """An AnsibleModule with the connection options, a client, a Context and PagerDuty error handling.

    Subclasses implement ``execute()`` (returning the result dict) and may override
    ``validate()`` for checks that need no request, and ``declared_options()`` to name
    the options they rely on (checked against the argument spec at construction).
    """

    has_state = False  # True: the module takes state (present/absent), added to the spec here
    # A function returning the module's own options, for a kind whose options the account engine takes too
    # (the module file then calls the class without a spec).
    argument_spec = None

    def __init__(self, argument_spec: dict | None = None, **kwargs):
        spec = connection_argument_spec()
        spec.update(argument_spec if argument_spec is not None else type(self).own_spec())
        if self.has_state:
            spec.setdefault("state", dict(STATE_OPTION))
        self.check_declaration(spec)
        for rule, value in self.spec_rules().items():
            kwargs.setdefault(rule, value)
        kwargs.setdefault("supports_check_mode", True)
        try:
            self.ansible = AnsibleModule(argument_spec=spec, **kwargs)
        except (TypeError, ValueError, OverflowError):
            # ansible-core's own validation crashes on some wrong values (a number where a dictionary
            # with suboptions is expected, an infinite number for an integer on some versions):
            # report it as the task's error, never as a traceback.
            refuse_wrong_types(spec)
            raise
        if not HAS_REQUESTS:
            self.ansible.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        client = None
        try:
            if self.needs_client(self.ansible.params):
                client = client_from_options(self.ansible.params)
        except PagerDutyError as exc:
            self.fail(exc)
        self.setup(self.ansible.params, client, self.ansible.check_mode, self.ansible._diff)

    def setup(self, params: dict, client, check_mode: bool, diff: bool, ctx: Context | None = None):
        """What every instance holds, with or without an AnsibleModule; subclasses extend it."""
        self.params = params
        self.client = client
        self.check_mode = check_mode
        self.diff_mode = diff
        self.ctx = ctx or Context(client, params, check_mode)

    @classmethod
    def needs_client(cls, params: dict) -> bool:
        """Whether the task needs the REST client (and so its credentials); a module that can do without sets
        ``client`` to None then."""
        return True

    @classmethod
    def spec_rules(cls) -> dict:
        """The argument spec's rules across options (required_one_of, mutually_exclusive, ...), for the
        AnsibleModule and for the account engine's validation of an item."""
        return {}

    @classmethod
    def own_spec(cls) -> dict:
        """The module's own options (without the connection options), with ``state`` where it has one."""
        spec = cls.argument_spec()
        if cls.has_state:
            spec.setdefault("state", dict(STATE_OPTION))
        return spec

    @classmethod
    def headless(cls, params: dict, client, check_mode: bool, diff: bool, ctx: Context):
        """An instance without an AnsibleModule, for the account engine: ``params`` are already validated
        against ``own_spec()``, input errors are raised as InputError, and ``execute()`` returns the result."""
        self = cls.__new__(cls)
        self.ansible = None
        self.setup(params, client, check_mode, diff, ctx)
        return self

    @classmethod
    def declared_options(cls):
        """(what declares it, option name) for every option the class relies on."""
        return []

    @classmethod
    def check_declaration(cls, spec: dict):
        """Refuse a declaration naming an option the argument spec lacks (a typo would never be managed)."""
        missing = [f"{what} {option!r}" for what, option in cls.declared_options() if option not in spec]
        if missing:
            raise DeclarationError(f"{cls.__name__} declares {', '.join(missing)}, which its argument spec does not have")

    def fail(self, exc, **extra):
        result = exc.to_result() if isinstance(exc, PagerDutyError) else {}
        result.update(extra)
        self.ansible.fail_json(msg=f"{exc}", **result)

    def validate(self):
        """Checks that need no request; subclasses override this and call self.fail_input()."""

    def fail_input(self, msg: str):
        raise InputError(msg)

    def outcome(self, key: str, changed: bool, obj, before: dict, after: dict) -> dict:
        """The module result: changed, the object under its key, and the diff when --diff is on."""
        result = {"changed": changed, key: obj}
        if self.diff_mode:
            result["diff"] = {"before": before, "after": after}
        return result

    def execute(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def run(self):
        try:
            self.validate()
            result = self.execute()
        except PagerDutyError as exc:
            self.fail(exc)
        self.ansible.exit_json(**result)
