#!/usr/bin/env bash
# npm run test:dates [INSTANT ...]: the whole suite once per instant, with the clock of every
# Node process it starts moved there (test/support/shift-clock.mjs), to prove that no test
# depends on today's date. Redis keeps the real clock. The default instants are the ones the
# one-clock issue asked for, each at 10:00 in Asia/Shanghai.
set -euo pipefail
cd "$(dirname "$0")/.."

instants=("$@")
if [[ ${#instants[@]} -eq 0 ]]; then
  instants=(2026-12-19T02:00:00Z 2027-01-28T02:00:00Z 2027-07-31T02:00:00Z 2028-02-29T02:00:00Z)
fi

preload="$PWD/test/support/shift-clock.mjs"
for instant in "${instants[@]}"; do
  # One offset for every process (vitest's forks, the e2e tests' `npm start`), so their clocks
  # agree and keep running.
  offset_ms=$((($(date -u -d "$instant" +%s) - $(date -u +%s)) * 1000))
  echo "== the suite with the clock at $instant"
  SHIFT_CLOCK_OFFSET_MS=$offset_ms NODE_OPTIONS="${NODE_OPTIONS:-} --import=file://$preload" \
    npx vitest run
done
