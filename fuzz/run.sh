#!/usr/bin/env bash
# Runs one fuzz target in one process (one core) for a fixed time, seeded from the repo's
# own statements and rules (see README.md). Usage: fuzz/run.sh TARGET [SECONDS]
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
cd "$(dirname "$0")"
target=$1
secs=${2:-600}
mkdir -p corpus/"$target" artifacts/"$target" logs
# Seeds from the repository's own inputs, a 0x00 byte first (read as UTF-8).
seed() { { printf '\0'; cat "$2"; } > corpus/"$target"/"seed-$1"; }
body() { awk 'c>=2{print} /^\+\+\+$/{c++}' "$1"; }
if [ -z "$(ls -A corpus/"$target")" ]; then
  case $target in
    front_matter|units)
      for f in ../statements/*/*.md ../tests/fixtures/*/statements/*/*.md; do seed "$(basename "$f")" "$f"; done ;;
    rules)
      for f in ../rules/*.toml ../tests/fixtures/*/rules/*.toml; do seed "$(basename "$f")" "$f"; done ;;
    jsonl)
      i=0; while IFS= read -r line; do i=$((i+1)); printf '%s\n' "$line" > corpus/jsonl/seed-$i; done \
        < ../tests/fixtures/volta/statements/bulk.jsonl ;;
    align)
      for f in ../statements/*/*.md; do seed "$(basename "$f")" "$f"; done
      for y in 2018 2019 2020 2021; do
        { printf '\0'; body ../statements/hikvision/annual-report-$y.md; printf '\n\n\n'
          body ../statements/hikvision/annual-report-$((y+1)).md; } > corpus/align/pair-$y
      done ;;
  esac
fi
exec cargo +nightly fuzz run -O "$target" corpus/"$target" \
  -- -dict=dict/"$target".dict -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
     -max_len=65536 -print_final_stats=1 \
     -artifact_prefix=artifacts/"$target"/ \
  > logs/"$target".log 2>&1
