#!/usr/bin/env bash
# The crates as users get them: every crate a user installs is packaged and
# built from its package alone (`cargo publish --workspace --dry-run`
# verifies each), then examples/consumer, a project outside the workspace,
# is built and tested against the packaged `.crate` files only (each
# patched in from its extracted package: no path into the workspace).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# Every crate a user installs: those the workspace publishes (a client per
# spec among them), in dependency order as cargo metadata lists them.
metadata=$(cargo metadata --format-version 1 --no-deps)
mapfile -t crates < <(python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p["publish"] is None or p["publish"]:
        print(p["name"])' <<<"$metadata")
version=$(python3 -c '
import json, sys
print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "tracking-runtime"))' <<<"$metadata")
echo "packaged: ${crates[*]}"

# cargo publish verifies each crate against the others through a local
# overlay registry, whose sources it extracts under CARGO_HOME and never
# refreshes for the same version: without this, a machine that ran this
# before builds against the code of that earlier run.
cargo_home=${CARGO_HOME:-$HOME/.cargo}
for c in "${crates[@]}"; do
  rm -rf "$cargo_home"/registry/src/-*/"$c-$version" "$cargo_home"/registry/cache/-*/"$c-$version.crate"
done

cargo publish --workspace --dry-run
args=()
for c in "${crates[@]}"; do args+=(-p "$c"); done
cargo package --no-verify "${args[@]}"

out=$(mktemp -d "${TMPDIR:-/tmp}/consumer.XXXXXX")
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/crates"
config=()
for c in "${crates[@]}"; do
  tar -xzf "${CARGO_TARGET_DIR:-target}/package/$c-$version.crate" -C "$out/crates"
  config+=(--config "patch.crates-io.$c.path=\"$out/crates/$c-$version\"")
done
cp -r examples/consumer "$out/shipment-notifier"
rm -rf "$out/shipment-notifier/target" "$out/shipment-notifier/Cargo.lock"
cd "$out/shipment-notifier"
# Nothing of the workspace is reachable from here but the packages.
if grep -rq "$root" Cargo.toml; then echo "the consumer names the workspace" >&2; exit 1; fi
CARGO_TARGET_DIR="$root/target/consumer" cargo test "${config[@]}"
# What it resolved: the packaged crates, from the extracted packages.
packaged=$(IFS='|'; echo "${crates[*]}")
cargo tree "${config[@]}" --prefix none -e normal,dev | grep -E "^($packaged) " | sort -u
