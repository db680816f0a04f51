#!/usr/bin/env bash
# The whole test suite, installing what the tests need when it is missing.
# README's second command; .ci/run calls it too.
set -euo pipefail
cd "$(dirname "$0")/.."

# The HTML report's browser test drives Debian's chromium headless.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium for the browser test (apt-get)..." >&2
    # Wait for another apt/dpkg run (an unattended upgrade, a second job) instead of failing.
    apt-get -o DPkg::Lock::Timeout=600 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
  else
    echo "warning: chromium not found and cannot be installed here; the browser test will say so" >&2
  fi
fi

cargo test --all-targets --locked
cargo test --doc --locked
