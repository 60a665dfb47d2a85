#!/usr/bin/env bash
# The mock against its own documents (GET /_mock/openapi/<provider>), judged
# by Schemathesis with every check: each provider of specs/ fuzzed with the
# headers of the mock's default credentials (tracking_mock::credentials;
# GET /_mock/credentials/<provider>). Exits non-zero on any
# failure. Needs python3 (with venv) and the PyPI index, once: Schemathesis
# is installed, pinned, into a venv under target/ (SCHEMATHESIS_VENV to
# use another). SCHEMATHESIS_SEED and SCHEMATHESIS_MAX_EXAMPLES change the
# run (fixed by default, so that CI runs the same cases every time).
set -euo pipefail
cd "$(dirname "$0")/.."

version=4.32.5
target_dir=$(realpath -m "${CARGO_TARGET_DIR:-target}")
venv=$(realpath -m "${SCHEMATHESIS_VENV:-$target_dir/schemathesis-venv}")
seed=${SCHEMATHESIS_SEED:-1}
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-50}

step() { printf '\n==> %s\n' "$*"; }

step "schemathesis $version in $venv"
if [[ "$("$venv/bin/schemathesis" --version 2>/dev/null || true)" != *"$version"* ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi
"$venv/bin/schemathesis" --version

step "build the mock"
cargo build --quiet -p tracking-mock --features cli

# Port 0: the mock takes a free port and prints its URLs, the ledger's last.
work=$(mktemp -d)
"$target_dir/debug/tracking-mock" --addr 127.0.0.1:0 --stateless --quiet >"$work/urls" 2>"$work/log" &
mock=$!
trap 'kill "$mock" 2>/dev/null || true; wait "$mock" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do
    grep -q '^ledger' "$work/urls" && break
    kill -0 "$mock" 2>/dev/null || { cat "$work/log" >&2; echo "error: the mock did not start" >&2; exit 1; }
    sleep 0.1
done
base=$(sed -n 's|^ledger *\(http://[^/]*\)/.*|\1|p' "$work/urls")
[[ -n "$base" ]] || { echo "error: no URL from the mock" >&2; exit 1; }
echo "mock at $base"

# In the scratch folder: Schemathesis keeps a cache (.schemathesis/) where
# it runs, and nothing of a run belongs in the repository.
run() {
    local provider=$1
    shift
    step "schemathesis: $provider"
    (cd "$work" && "$venv/bin/schemathesis" run "$base/_mock/openapi/$provider" \
        --checks all --max-examples "$max_examples" --seed "$seed" --workers 1 \
        --generation-database none "$@")
}

# Every provider the mock serves (one per spec), each with the headers the
# mock gives for its default credentials (GET /_mock/credentials/<name>:
# a bearer token is issued fresh), read with python3, not curl: one tool
# less to install.
failed=()
for spec in specs/*.yaml; do
    provider=$(basename "$spec" .yaml)
    mapfile -t headers < <(python3 - "$base/_mock/credentials/$provider" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as answer:
    for name, value in json.load(answer)["headers"].items():
        print("-H")
        print(f"{name}: {value}")
PY
)
    run "$provider" "${headers[@]}" || failed+=("$provider")
done

if ((${#failed[@]})); then
    echo "error: schemathesis failed for: ${failed[*]}" >&2
    exit 1
fi
echo "schemathesis: every provider clean"
