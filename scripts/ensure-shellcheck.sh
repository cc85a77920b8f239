#!/usr/bin/env bash
# The sanity test "shellcheck" needs the shellcheck binary: install it with apt-get
# when it is missing (we run as root). If that is impossible, only warn: ansible-test
# then reports the test as skipped.
set -uo pipefail

command -v shellcheck >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "WARNING: shellcheck is missing and cannot be installed (not root or no apt-get)" >&2
    exit 0
fi
echo "==> installing shellcheck with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends shellcheck </dev/null >/dev/null 2>&1; then
    apt-get update -q </dev/null >/dev/null 2>&1 || true
    apt-get install -y -q --no-install-recommends shellcheck </dev/null >/dev/null 2>&1 || true
fi
if command -v shellcheck >/dev/null 2>&1; then
    echo "==> $(shellcheck --version | sed -n 's/^version: /shellcheck /p')" >&2
else
    echo "WARNING: could not install shellcheck; the shellcheck sanity test will be skipped" >&2
fi
exit 0
