#!/usr/bin/env bash
# Runs one fuzz target in one process (one core) for a fixed time, seeded from the repo's
# own statements and rules (see README.md). Usage: fuzz/run.sh TARGET [SECONDS]
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
cd "$(dirname "$0")"
target=$1
secs=${2:-600}
mkdir -p corpus/"$target" artifacts/"$target" logs
exec cargo +nightly fuzz run -O "$target" corpus/"$target" \
  -- -dict=dict/"$target".dict -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
     -max_len=65536 -print_final_stats=1 \
     -artifact_prefix=artifacts/"$target"/ \
  > logs/"$target".log 2>&1
