#!/usr/bin/env bash
# The crates as users get them: every crate a user installs is packaged and
# built from its package alone (`cargo publish --workspace --dry-run`
# verifies each), then examples/consumer, a project outside the workspace,
# is built and tested against the packaged `.crate` files only (each
# patched in from its extracted package: no path into the workspace).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
crates=(tracking-spec tracking-contract tracking-mock tracking-runtime crux-client
        vtex-oms-client sellercloud-client order-tracking trackctl)

cargo publish --workspace --dry-run
args=()
for c in "${crates[@]}"; do args+=(-p "$c"); done
cargo package --no-verify "${args[@]}"

out=$(mktemp -d "${TMPDIR:-/tmp}/consumer.XXXXXX")
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/crates"
config=()
version=$(cargo metadata --format-version 1 --no-deps | python3 -c \
  'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="crux-client"))')
for c in "${crates[@]}"; do
  tar -xzf "target/package/$c-$version.crate" -C "$out/crates"
  config+=(--config "patch.crates-io.$c.path=\"$out/crates/$c-$version\"")
done
cp -r examples/consumer "$out/shipment-notifier"
rm -rf "$out/shipment-notifier/target" "$out/shipment-notifier/Cargo.lock"
cd "$out/shipment-notifier"
# Nothing of the workspace is reachable from here but the packages.
if grep -rq "$root" Cargo.toml; then echo "the consumer names the workspace" >&2; exit 1; fi
CARGO_TARGET_DIR="$root/target/consumer" cargo test "${config[@]}"
# What it resolved: the packaged crates, from the extracted packages.
cargo tree "${config[@]}" --prefix none -e normal,dev | grep -E '^(crux-client|tracking-mock|tracking-runtime) ' | sort -u
