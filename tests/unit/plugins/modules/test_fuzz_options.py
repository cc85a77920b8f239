# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Property-based: any options to any module end in a result or a clean failure, never a traceback.

Every module runs in this process against the simulator with options drawn by hypothesis from its own
argument spec: random and unicode strings, empty values, wrong types, huge and non-finite numbers,
lists of junk. The connection (api_url, api_token) stays valid and on loopback. A failure must come
through fail_json; invalid input is found before any write is sent (the simulator refuses no write
with a 4xx), and a failure that is not reported as ``changed`` has had no write applied.
"""

from __future__ import annotations

import importlib
import json
import math
import os

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.oncall.pagerduty.plugins.module_utils import _base, _connection

hypothesis = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")

MODULES_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins", "modules")
MODULE_NAMES = sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.startswith("pd_") and name.endswith(".py"))
# PD_FUZZ_EXAMPLES=N draws more; PD_FUZZ_RANDOM=1 draws other examples than the fixed ones make test runs.
FUZZ_EXAMPLES = int(os.environ.get("PD_FUZZ_EXAMPLES", "200"))

TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "now", "+2h", "1d", "-5m", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "99999999999999999999",
                     "owner@example.com", "PXXXXXX", "Etc/UTC", "\x00", "\n", "\u202e", "é" * 300, "daily", "weekly"]),
)
NUMBER = st.one_of(st.integers(), st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
                   st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0, -1, 10 ** 18]))
JUNK = st.one_of(TEXT, NUMBER, st.booleans(), st.none(), st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=2))


class Built(Exception):
    def __init__(self, spec):
        super().__init__("built")
        self.spec = spec


def argument_spec(module):
    """The module's own options (without the connection), as its main() builds them."""
    real = _base.AnsibleModule

    def capture(argument_spec, **kwargs):
        raise Built(argument_spec)

    _base.AnsibleModule = capture
    try:
        module.main()
    except Built as built:
        return {name: option for name, option in built.spec.items() if name not in _connection.CONNECTION_OPTIONS}
    finally:
        _base.AnsibleModule = real
    raise AssertionError("main() did not build its AnsibleModule")


def value_for(option):
    """A strategy for one option: mostly of its declared type and choices, sometimes anything."""
    kind = option.get("type", "str")
    if option.get("choices"):
        typed = st.sampled_from(list(option["choices"]))
    elif kind == "bool":
        typed = st.booleans()
    elif kind in ("int", "float"):
        typed = NUMBER
    elif kind == "list":
        if option.get("elements") == "dict" and option.get("options"):
            typed = st.lists(suboptions(option["options"]), max_size=3)
        else:
            typed = st.lists(TEXT, max_size=3)
    elif kind == "dict" and option.get("options"):
        typed = suboptions(option["options"])
    else:
        typed = TEXT
    return st.one_of(typed, typed, typed, JUNK)


def suboptions(options):
    return st.fixed_dictionaries({}, optional={name: value_for(sub) for name, sub in options.items()})


def safe(value):
    """JSON cannot carry NaN or infinity the way Ansible's arguments file does; keep them as text."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value}"
    if isinstance(value, list):
        return [safe(item) for item in value]
    if isinstance(value, dict):
        return {key: safe(item) for key, item in value.items()}
    return value


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_any_options_end_in_a_result_or_a_clean_failure(name, simulator, capsys):
    module = importlib.import_module(f"ansible_collections.oncall.pagerduty.plugins.modules.{name}")
    spec = argument_spec(module)
    options = st.fixed_dictionaries({}, optional={option: value_for(declared) for option, declared in spec.items()})

    @hypothesis.settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=not os.environ.get("PD_FUZZ_RANDOM"), database=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(options)
    def one_run(args):
        simulator.reset()
        simulator.seed({"teams": [{"id": "PTEAM01", "name": "daily"}]})
        simulator.clear_requests()
        args = dict(safe(args), api_url=simulator.url, api_token=simulator.token, from_email="owner@example.com", max_retries=0)
        capsys.readouterr()
        with patch_module_args(args):
            with pytest.raises(SystemExit):
                module.main()  # any exception other than the exit of exit_json/fail_json fails the test
        out = capsys.readouterr().out
        result = json.loads(out)
        assert "Traceback" not in out and "exception" not in result, result
        if result.get("failed"):
            assert result.get("msg"), result
            applied = [entry for entry in simulator.requests() if entry["method"] != "GET" and (entry["status"] or 500) < 400]
            assert applied == [] or result.get("changed") is True, (result, applied)
            refused = [entry for entry in simulator.requests() if entry["method"] != "GET" and 400 <= (entry["status"] or 0) < 500]
            assert refused == [], (result, refused)  # invalid input is found before a write is sent

    one_run()  # pylint: disable=no-value-for-parameter
