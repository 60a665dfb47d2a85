#!/usr/bin/env bash
# A second judge of what trackctl sends: Prism (Stoplight's validating mock,
# pinned, installed with npm under target/) serves a provider's own
# published document, and trackctl pushes rows of every shape to it with
# real-provider settings. Prism answers 422 to any request the document
# refuses, which trackctl reports as a failed row: the run must deliver
# every row. A request that is wrong on purpose must be refused, so that
# the judge is seen to judge. Needs node and npm, and the npm registry once.
#
# BigCommerce and eBay: their documents are not committed (no licence; the
# eBay API License Agreement), so Prism serves tests/fixtures/<name>-shapes.json,
# or the document UPSTREAM_BIGCOMMERCE_DOCUMENT or UPSTREAM_EBAY_DOCUMENT
# names (JSON or YAML). eBay's tokens come from the built-in mock's token
# endpoint: Prism serves no token endpoint (it only checks that a bearer
# token is sent).
#
# Amazon: its document (Swagger 2.0, Apache-2.0) is committed,
# tests/corpus/amazon/ordersV0.json, and Prism serves it as published (or the
# one UPSTREAM_AMAZON_DOCUMENT names). It declares no security; the Login
# with Amazon tokens come from the built-in mock's token endpoint.
#
# Walmart: its document carries no licence, so Prism serves
# tests/fixtures/walmart-shapes.json, or the document UPSTREAM_WALMART_DOCUMENT
# names. Its operations name an HTTP bearer scheme, while its components
# declare the token's own header, WM_SEC.ACCESS_TOKEN, which is what trackctl
# sends (specs/README.md, open questions): the copy Prism serves has its
# security dropped, so that Prism judges the requests themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

version=5.16.0
target_dir=$(realpath -m "${CARGO_TARGET_DIR:-target}")
prefix="$target_dir/prism"
bigcommerce_document=${UPSTREAM_BIGCOMMERCE_DOCUMENT:-tests/fixtures/bigcommerce-shapes.json}
ebay_document=${UPSTREAM_EBAY_DOCUMENT:-tests/fixtures/ebay-shapes.json}
amazon_document=${UPSTREAM_AMAZON_DOCUMENT:-tests/corpus/amazon/ordersV0.json}
walmart_document=${UPSTREAM_WALMART_DOCUMENT:-tests/fixtures/walmart-shapes.json}

step() { printf '\n==> %s\n' "$*"; }

step "prism $version in $prefix"
if [[ "$("$prefix/node_modules/.bin/prism" --version 2>/dev/null || true)" != *"$version"* ]]; then
    npm install --prefix "$prefix" --no-audit --no-fund --silent "@stoplight/prism-cli@$version"
fi
prism="$prefix/node_modules/.bin/prism"
"$prism" --version

step "build trackctl and the mock"
cargo build --quiet -p trackctl
cargo build --quiet -p tracking-mock --features cli
trackctl="$target_dir/debug/trackctl"

work=$(mktemp -d)
servers=()
stop() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$work"
}
trap stop EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# serve NAME DOCUMENT [no-security]: Prism serving DOCUMENT (its ignored
# headers dropped, and its security too when asked); sets $base and $log.
serve() {
    local name=$1 document=$2 drop_security=${3:-}

    # OpenAPI 3.0 says header parameters named Accept, Content-Type and
    # Authorization are ignored; Prism checks them (BigCommerce's document
    # declares Content-Type required on its GETs, which carry no body). They
    # are dropped from the copy Prism serves, and nothing else is changed.
    python3 - "$document" "$work/$name.json" "$drop_security" <<'PY'
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
        if sys.argv[3] == "no-security":
            node.pop("security", None)
if sys.argv[3] == "no-security":
    doc.pop("security", None)
json.dump(doc, open(sys.argv[2], "w"))
PY

    local port
    port=$(free_port)
    log="$work/$name-prism.log"
    "$prism" mock --host 127.0.0.1 --port "$port" "$work/$name.json" >"$log" 2>&1 &
    servers+=($!)
    for _ in $(seq 300); do
        grep -q "Prism is listening" "$log" && break
        kill -0 "${servers[-1]}" 2>/dev/null || { cat "$log" >&2; echo "error: prism did not start" >&2; exit 1; }
        sleep 0.1
    done
    base="http://127.0.0.1:$port"
    echo "prism serves $document at $base"
}

# status_of URL BODY HEADER=VALUE...: the status of a POST.
status_of() {
    python3 - "$@" <<'PY'
import sys, urllib.request, urllib.error
headers = {"content-type": "application/json", "accept": "application/json"}
headers.update(h.split("=", 1) for h in sys.argv[3:])
request = urllib.request.Request(sys.argv[1], method="POST", data=sys.argv[2].encode(), headers=headers)
try:
    print(urllib.request.urlopen(request).status)
except urllib.error.HTTPError as e:
    print(e.code)
PY
}

# judged LOG ROWS: Prism's log holds one "Request received" per request and
# one "Request did not pass the validation rules" per refusal; the wrong
# request sent first is the one refusal allowed.
judged() {
    local log=$1 rows=$2 requests refused
    requests=$(grep -c "Request received" "$log" || true)
    refused=$(grep -c "did not pass the validation rules" "$log" || true)
    echo "$rows rows pushed through prism: $((requests - 1)) requests of trackctl, $((refused - 1)) refused"
    [[ "$refused" == 1 ]] || { grep -B2 -A3 "did not pass" "$log" >&2; echo "error: prism refused a request of trackctl" >&2; exit 1; }
}

serve bigcommerce "$bigcommerce_document"

step "prism refuses a wrong request (a string for order_address_id)"
status=$(status_of "$base/orders/225/shipments" \
    '{"order_address_id": "127", "items": [{"order_product_id": 194, "quantity": 1}]}' x-auth-token=t)
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
judged "$log" 16

serve ebay "$ebay_document"
mock_port=$(free_port)
"$target_dir/debug/tracking-mock" --addr "127.0.0.1:$mock_port" >"$work/mock.log" 2>&1 &
servers+=($!)
for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $mock_port))" 2>/dev/null && break
    sleep 0.1
done

step "prism refuses a wrong request (a string for a quantity)"
status=$(status_of "$base/order/01-03955-36441/shipping_fulfillment" \
    '{"lineItems": [{"lineItemId": "1", "quantity": "2"}], "shippingCarrierCode": "USPS", "trackingNumber": "1Z"}' \
    "authorization=Bearer t")
# Prism answers an operation's own 400 where it documents one, else 422.
[[ "$status" == 400 ]] && grep -q "did not pass the validation rules" "$log" \
    || { echo "error: prism answered $status to a wrong request, not its validation's 400" >&2; exit 1; }
echo "refused: $status"

step "trackctl pushes eBay rows of every shape through prism"
# Every combination of carrier, ship date and method (the line items
# given: Prism's made-up orders have none to read).
rows="$work/ebay.csv"
echo "provider,order_ref,tracking_number,carrier,service,shipped_at,line_items" >"$rows"
for mask in $(seq 0 7); do
    carrier=$( ((mask & 1)) && echo UPS || echo USPS)
    service=$( ((mask & 2)) && echo Ground || true)
    shipped=$( ((mask & 4)) && echo 2024-04-09T12:26:18Z || true)
    printf 'ebay,01-03955-%05d,94055096999370%08d,%s,%s,%s,10000001234101:1\n' \
        $((36000 + mask)) "$mask" "$carrier" "$service" "$shipped" >>"$rows"
done
EBAY_CLIENT_ID=mock-client-id EBAY_CLIENT_SECRET=mock-client-secret \
    EBAY_REFRESH_TOKEN=mock-refresh-token EBAY_BASE_URL="$base" \
    EBAY_TOKEN_URL="http://127.0.0.1:$mock_port/ebay/identity/v1/oauth2/token" \
    "$trackctl" push --journal "$work/journal.sqlite" "$rows"
judged "$log" 8

serve amazon "$amazon_document"

step "prism refuses a wrong request (a ship date that is no date-time: the sandbox's own 400)"
status=$(status_of "$base/orders/v0/orders/902-1106328-1059050/shipmentConfirmation" \
    '{"marketplaceId": "ATVPDKIKX0DER", "packageDetail": {"packageReferenceId": "1", "carrierCode": "FedEx", "trackingNumber": "1Z", "shipDate": "02/21/2022", "orderItems": [{"orderItemId": "1", "quantity": 1}]}}' \
    "x-amz-access-token=t")
[[ "$status" == 400 || "$status" == 422 ]] && grep -q "did not pass the validation rules" "$log" \
    || { echo "error: prism answered $status to a wrong request, not its validation's 400 or 422" >&2; exit 1; }
echo "refused: $status"

step "trackctl pushes Amazon rows of every shape through prism"
# Every combination of carrier (a code, or Other with its name), method,
# ship date and marketplace (the items given: Prism's made-up orders
# have none to read).
rows="$work/amazon.csv"
echo "provider,order_ref,tracking_number,carrier,service,shipped_at,target,line_items" >"$rows"
for mask in $(seq 0 15); do
    carrier=$( ((mask & 1)) && echo Purolator || echo UPS)
    service=$( ((mask & 2)) && echo "UPS Ground" || true)
    shipped=$( ((mask & 4)) && echo 2024-04-09T12:26:18Z || true)
    target=$( ((mask & 8)) && echo A2EUQ1WTGCTBG2 || true)
    printf 'amazon,902-%07d-1059050,1Z999AA1%010d,%s,%s,%s,%s,79039765272157:1\n' \
        "$mask" "$mask" "$carrier" "$service" "$shipped" "$target" >>"$rows"
done
AMAZON_LWA_CLIENT_ID=mock-client-id AMAZON_LWA_CLIENT_SECRET=mock-client-secret \
    AMAZON_REFRESH_TOKEN=mock-refresh-token AMAZON_MARKETPLACE_ID=ATVPDKIKX0DER \
    AMAZON_BASE_URL="$base" \
    AMAZON_TOKEN_URL="http://127.0.0.1:$mock_port/amazon/auth/o2/token" \
    "$trackctl" push --journal "$work/journal.sqlite" "$rows"
judged "$log" 16

serve walmart "$walmart_document" no-security

step "prism refuses a wrong request (a method Walmart does not have)"
status=$(status_of "$base/v3/orders/1815367951431/shipping" \
    '{"orderShipment": {"orderLines": {"orderLine": [{"lineNumber": "7", "sellerOrderId": "SO-1", "orderLineStatuses": {"orderLineStatus": [{"status": "Shipped", "statusQuantity": {"unitOfMeasurement": "EACH", "amount": "1"}, "trackingInfo": {"shipDateTime": 1580821866000, "carrierName": {"carrier": "UPS"}, "methodCode": "Ground", "trackingNumber": "1Z"}}]}}]}}}' \
    "wm_sec.access_token=t")
[[ "$status" == 400 || "$status" == 422 ]] && grep -q "did not pass the validation rules" "$log" \
    || { echo "error: prism answered $status to a wrong request, not its validation's 400 or 422" >&2; exit 1; }
echo "refused: $status"

step "trackctl pushes Walmart rows of every shape through prism"
# Every combination of carrier (Walmart's name, or another with its
# tracking URL), method and ship date. Prism answers getAnOrder with the
# document's example, whose line 1 is shipped: the rows ship line 7, and
# give the seller order id the example's lines do not.
rows="$work/walmart.csv"
echo "provider,order_ref,tracking_number,carrier,service,shipped_at,tracking_url,target,line_items" >"$rows"
for mask in $(seq 0 7); do
    carrier=$( ((mask & 1)) && echo Purolator || echo UPS)
    url=$( ((mask & 1)) && echo "https://www.purolator.com/en/shipping/tracker?pin=$mask" || true)
    service=$( ((mask & 2)) && echo Express || true)
    shipped=$( ((mask & 4)) && echo 2024-04-09T12:26:18Z || true)
    printf 'walmart,18153679%05d,1Z999AA1%010d,%s,%s,%s,%s,SO-%d,7:1\n' \
        "$mask" "$mask" "$carrier" "$service" "$shipped" "$url" "$mask" >>"$rows"
done
WALMART_CLIENT_ID=mock-client-id WALMART_CLIENT_SECRET=mock-client-secret \
    WALMART_BASE_URL="$base" \
    WALMART_TOKEN_URL="http://127.0.0.1:$mock_port/walmart/v3/token" \
    "$trackctl" push --journal "$work/journal.sqlite" "$rows"
judged "$log" 8
