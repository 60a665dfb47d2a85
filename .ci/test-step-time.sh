#!/usr/bin/env bash
# CI's test step timed on two revisions side by side (BENCHMARKS.md, "CI's
# test step"): a worktree with one shared target directory, so that both
# build the same dependencies once; each round cleans the workspace's own
# packages and times `cargo test --workspace`, alternating the revisions.
# Usage: .ci/test-step-time.sh BEFORE AFTER [ROUNDS]   (not run by CI)
set -euo pipefail
before=$1 after=$2 rounds=${3:-3}
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d) target=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work" "$target"' EXIT
git -C "$root" worktree add -q --detach "$work/tree" "$before"
cd "$work/tree"
export CARGO_TARGET_DIR=$target CARGO_TERM_COLOR=never
for rev in "$before" "$after"; do
  git checkout -q "$rev"
  cargo test --workspace --no-run -q >/dev/null 2>&1
done
for round in $(seq "$rounds"); do
  for rev in "$before" "$after"; do
    git checkout -q "$rev"
    members=$(cargo metadata --format-version 1 --no-deps |
      python3 -c "import json,sys; print(' '.join('-p '+p['name'] for p in json.load(sys.stdin)['packages']))")
    # shellcheck disable=SC2086
    cargo clean $members -q
    start=$(date +%s.%N)
    cargo test --workspace -q >/dev/null 2>&1 || echo "round $round $rev: tests failed" >&2
    end=$(date +%s.%N)
    python3 -c "print(f'round $round $rev {$end - $start:.1f} s')"
  done
done
