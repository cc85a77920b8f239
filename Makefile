# Build and test toolchain for the oncall.pagerduty collection.
# Run `make help` for the targets. Everything runs offline (PyPI only), as root, without stdin.
# Hermetic: the scripts clear the caller's ANSIBLE_* and PAGERDUTY_* variables (scripts/common.sh).
# PD_BUILD_DIR=/some/dir moves build/ (the collection tree, the simulator's files) elsewhere.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

SCRIPTS := scripts
TREE    := build/ansible_collections/oncall/pagerduty
VENV    := .venv
# make integration TARGET=pd_team   (space-separated list; empty = all targets)
TARGET  ?=
# extra arguments for ansible-test sanity/units, e.g. make sanity SANITY_ARGS='--test pep8'
SANITY_ARGS ?=
UNITS_ARGS  ?=

.PHONY: help venv get-pip collection-tree sanity sanity-2.19 sanity-2.21 units units-2.19 units-2.21 \
        integration lint docs-lint test demo bench build package-test molecule ee clean distclean

help: ## Show this help
	@echo "Targets:"
	@grep -E '^[a-zA-Z0-9_.-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | awk -F'\t' '{printf "  %-16s %s\n", $$1, $$2}'
	@echo "Variables: TARGET=<integration target(s)>  SANITY_ARGS=...  UNITS_ARGS=...  PD_BUILD_DIR=<dir, default build>"

venv: ## Create .venv (py3.11, ansible-core 2.19 + linters) and .venv-2.21 (py3.12, ansible-core 2.21)
	@$(SCRIPTS)/venv.sh

get-pip: venv ## Install ansible-test's offline get-pip stand-in in ~/.ansible/test/cache
	@$(SCRIPTS)/get-pip-standin.sh

collection-tree: ## Copy the checkout to build/ansible_collections/oncall/pagerduty
	@$(SCRIPTS)/collection-tree.sh

sanity: venv collection-tree ## ansible-test sanity on 2.19/py3.11 and 2.21/py3.12 (no ignore files)
	@$(SCRIPTS)/ansible-test-each.sh sanity $(SANITY_ARGS)

sanity-2.19: venv collection-tree ## ansible-test sanity on 2.19/py3.11 only
	@$(SCRIPTS)/ansible-test-each.sh sanity --only 2.19 $(SANITY_ARGS)

sanity-2.21: venv collection-tree ## ansible-test sanity on 2.21/py3.12 only
	@$(SCRIPTS)/ansible-test-each.sh sanity --only 2.21 $(SANITY_ARGS)

units: venv collection-tree ## ansible-test units on 2.19/py3.11 and 2.21/py3.12
	@$(SCRIPTS)/ansible-test-each.sh units $(UNITS_ARGS)

units-2.19: venv collection-tree ## ansible-test units on 2.19/py3.11 only
	@$(SCRIPTS)/ansible-test-each.sh units --only 2.19 $(UNITS_ARGS)

units-2.21: venv collection-tree ## ansible-test units on 2.21/py3.12 only
	@$(SCRIPTS)/ansible-test-each.sh units --only 2.21 $(UNITS_ARGS)

integration: venv collection-tree ## ansible-test integration (2.19/py3.11) against the simulator [TARGET=...]
	@$(SCRIPTS)/integration.sh $(TARGET)

lint: venv collection-tree ## ansible-lint (production profile) in the collection tree
	@$(SCRIPTS)/lint.sh

docs-lint: venv collection-tree ## antsibull-docs lint-collection-docs --plugin-docs
	@$(SCRIPTS)/docs-lint.sh

test: venv ## sanity + units + integration + lint + docs-lint + package-test + ee + molecule + demo, stop at the first failure, summary
	@$(SCRIPTS)/test-all.sh

demo: venv collection-tree ## The sample account in docs/examples/demo/ against the simulator: apply, rerun, --check --diff, inventory, on-call, export round trip
	@$(SCRIPTS)/demo.sh

bench: venv collection-tree ## Run benchmarks/*.py against the simulator (if any)
	@$(SCRIPTS)/bench.sh

build: venv collection-tree ## ansible-galaxy collection build into build/dist
	@$(SCRIPTS)/build.sh

ee: ## ansible-builder create on meta/execution-environment.yml (skipped when ansible-builder cannot be installed)
	@$(SCRIPTS)/ee.sh

molecule: venv collection-tree ## molecule test of extensions/molecule/default (the sample account: converge, idempotence, verify) against the simulator
	@$(SCRIPTS)/molecule.sh

package-test: venv collection-tree ## Build, install the tarball, ansible-doc, ad hoc pd_team_info, docs/testing.md's simulator flow
	@$(SCRIPTS)/package-test.sh

clean: ## Remove build/, tests/output/ and caches (keeps the venvs)
	rm -rf build tests/output .pytest_cache
	find . -path ./.venv -prune -o -path ./.venv-2.21 -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean ## clean + remove the venvs
	rm -rf .venv .venv-2.21
