#!/usr/bin/env bash
# A second judge of what trackctl sends: Prism (Stoplight's validating mock,
# pinned, installed with npm under target/) serves a provider's own
# published document, and trackctl pushes rows of every shape to it with
# real-provider settings. Prism answers 422 to any request the document
# refuses, which trackctl reports as a failed row: the run must deliver
# every row. A request that is wrong on purpose must be refused, so that
# the judge is seen to judge. Needs node and npm, and the npm registry once.
#
# BigCommerce: its document is not committed (no licence), so Prism serves
# tests/fixtures/bigcommerce-shapes.json, or the document that
# UPSTREAM_BIGCOMMERCE_DOCUMENT names (JSON or YAML).
set -euo pipefail
cd "$(dirname "$0")/.."

version=5.16.0
target_dir=$(realpath -m "${CARGO_TARGET_DIR:-target}")
prefix="$target_dir/prism"
document=${UPSTREAM_BIGCOMMERCE_DOCUMENT:-tests/fixtures/bigcommerce-shapes.json}

step() { printf '\n==> %s\n' "$*"; }

step "prism $version in $prefix"
if [[ "$("$prefix/node_modules/.bin/prism" --version 2>/dev/null || true)" != *"$version"* ]]; then
    npm install --prefix "$prefix" --no-audit --no-fund --silent "@stoplight/prism-cli@$version"
fi
prism="$prefix/node_modules/.bin/prism"
"$prism" --version

step "build trackctl"
cargo build --quiet -p trackctl
trackctl="$target_dir/debug/trackctl"

work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; wait "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

# OpenAPI 3.0 says header parameters named Accept, Content-Type and
# Authorization are ignored; Prism checks them (BigCommerce's document
# declares Content-Type required on its GETs, which carry no body). They
# are dropped from the copy Prism serves, and nothing else is changed.
python3 - "$document" "$work/document.json" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
try:
    doc = json.loads(text)
except ValueError:
    import yaml  # only for a YAML document given by the variable
    doc = yaml.safe_load(text)
ignored = {"accept", "content-type", "authorization"}
def resolve(p):
    ref = p.get("$ref", "")
    if ref.startswith("#/components/parameters/"):
        return doc["components"]["parameters"][ref.split("/")[-1]]
    return p
def keep(p):
    p = resolve(p)
    return not (p.get("in") == "header" and p.get("name", "").lower() in ignored)
for item in doc.get("paths", {}).values():
    for node in [item] + [v for k, v in item.items() if isinstance(v, dict)]:
        if isinstance(node.get("parameters"), list):
            node["parameters"] = [p for p in node["parameters"] if keep(p)]
json.dump(doc, open(sys.argv[2], "w"))
PY

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$prism" mock --host 127.0.0.1 --port "$port" "$work/document.json" >"$work/prism.log" 2>&1 &
server=$!
for _ in $(seq 300); do
    grep -q "Prism is listening" "$work/prism.log" && break
    kill -0 "$server" 2>/dev/null || { cat "$work/prism.log" >&2; echo "error: prism did not start" >&2; exit 1; }
    sleep 0.1
done
base="http://127.0.0.1:$port"
echo "prism serves $document at $base"

step "prism refuses a wrong request (a string for order_address_id)"
status=$(python3 - "$base" <<'PY'
import sys, urllib.request, urllib.error
request = urllib.request.Request(
    sys.argv[1] + "/orders/225/shipments", method="POST",
    data=b'{"order_address_id": "127", "items": [{"order_product_id": 194, "quantity": 1}]}',
    headers={"content-type": "application/json", "accept": "application/json", "x-auth-token": "t"})
try:
    print(urllib.request.urlopen(request).status)
except urllib.error.HTTPError as e:
    print(e.code)
PY
)
[[ "$status" == 422 ]] || { echo "error: prism answered $status to a wrong request, not 422" >&2; exit 1; }
echo "refused: $status"

step "trackctl pushes BigCommerce rows of every shape through prism"
# Every combination of carrier, tracking link, method and address (the
# items given: Prism's made-up products have nothing left to ship).
rows="$work/bigcommerce.csv"
echo "provider,order_ref,tracking_number,carrier,service,tracking_url,target,line_items" >"$rows"
for mask in $(seq 0 15); do
    carrier=$( ((mask & 1)) && echo UPS || true)
    service=$( ((mask & 2)) && echo Ground || true)
    url=$( ((mask & 4)) && echo "https://track.example.com/$mask" || true)
    target=$( ((mask & 8)) && echo 127 || true)
    printf 'bigcommerce,%d,1Z999AA1%010d,%s,%s,%s,%s,194:1\n' \
        $((100 + mask)) "$mask" "$carrier" "$service" "$url" "$target" >>"$rows"
done
BIGCOMMERCE_ACCESS_TOKEN=prism-token BIGCOMMERCE_BASE_URL="$base" \
    "$trackctl" push --rate-limit bigcommerce=50 --journal "$work/journal.sqlite" "$rows"
# Prism's log: one "Request received" per request, one "Request did not
# pass the validation rules" per refusal (the wrong request above is one).
requests=$(grep -c "Request received" "$work/prism.log" || true)
refused=$(grep -c "did not pass the validation rules" "$work/prism.log" || true)
echo "16 rows pushed through prism: $((requests - 1)) requests of trackctl, $((refused - 1)) refused"
[[ "$refused" == 1 ]] || { grep -B2 -A3 "did not pass" "$work/prism.log" >&2; echo "error: prism refused a request of trackctl" >&2; exit 1; }
