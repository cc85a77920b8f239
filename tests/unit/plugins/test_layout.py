# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The layout docs/architecture.md describes: module files hold docs and main() only and take their classes from
module_utils/_<kind>.py, module_utils are private, every module is in the action group."""

from __future__ import annotations

import ast
import os

import pytest
import yaml

PLUGINS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "plugins")
MODULE_FILES = sorted(name for name in os.listdir(os.path.join(PLUGINS, "modules")) if name.endswith(".py"))
UTIL_FILES = sorted(name for name in os.listdir(os.path.join(PLUGINS, "module_utils")) if name.endswith(".py"))


def top_level(path):
    with open(path, encoding="utf-8") as handle:
        return ast.parse(handle.read()).body


def allowed_in_a_module_file(node) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, ast.Assign):
        return [getattr(target, "id", None) for target in node.targets] in (["DOCUMENTATION"], ["EXAMPLES"], ["RETURN"])
    if isinstance(node, ast.FunctionDef):
        return node.name == "main"
    if isinstance(node, ast.If):  # if __name__ == "__main__": main()
        return isinstance(node.test, ast.Compare) and getattr(node.test.left, "id", None) == "__name__"
    return False


@pytest.mark.parametrize("name", MODULE_FILES)
def test_a_module_file_holds_only_docs_and_main(name):
    extra = [f"line {node.lineno}: {type(node).__name__}" for node in top_level(os.path.join(PLUGINS, "modules", name))
             if not allowed_in_a_module_file(node)]
    assert extra == [], f"{name} holds more than DOCUMENTATION, EXAMPLES, RETURN and main(): classes go in module_utils/_<kind>.py"


@pytest.mark.parametrize("name", UTIL_FILES)
def test_module_utils_are_private(name):
    assert name.startswith("_"), f"{name}: module_utils files are private, their names start with _"
    body = top_level(os.path.join(PLUGINS, "module_utils", name))
    docstring = ast.get_docstring(ast.Module(body=body, type_ignores=[])) or ""
    assert "not an API for other collections" in docstring.replace("\n", " ")


def test_the_checks_see_the_files():
    assert "pd_team.py" in MODULE_FILES and "_engine.py" in UTIL_FILES
    assert not allowed_in_a_module_file(ast.parse("class TeamModule:\n    pass\n").body[0])


@pytest.mark.parametrize("name", MODULE_FILES)
def test_a_module_takes_its_classes_from_its_kind_file(name):
    kind = name[len("pd_"):-len(".py")]
    kind = kind[:-len("_info")] if kind.endswith("_info") else kind
    sources = [node.module for node in top_level(os.path.join(PLUGINS, "modules", name)) if isinstance(node, ast.ImportFrom)]
    assert f"ansible_collections.oncall.pagerduty.plugins.module_utils._{kind}" in sources
    assert f"_{kind}.py" in UTIL_FILES


def test_every_module_is_in_the_action_group():
    with open(os.path.join(PLUGINS, "..", "meta", "runtime.yml"), encoding="utf-8") as handle:
        group = yaml.safe_load(handle)["action_groups"]["pagerduty"]
    assert sorted(group) == sorted(name[:-3] for name in MODULE_FILES)
