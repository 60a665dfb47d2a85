#!/usr/bin/env bash
# TLS is the user's choice: for each choice of a client crate's features,
# `cargo tree -e features` shows reqwest with that TLS only, and nothing in
# the graph turns reqwest's own default TLS (or its defaults) back on.
set -euo pipefail
cd "$(dirname "$0")/.."
check() {
  local crate=$1 features=$2 want=$3 tree
  tree=$(cargo tree -p "$crate" -e features -i reqwest --no-default-features ${features:+--features "$features"})
  if grep -qE 'reqwest feature "(default|default-tls)"' <<<"$tree"; then
    echo "$crate [$features]: something turns reqwest's default TLS back on:" >&2
    echo "$tree" >&2
    exit 1
  fi
  for feature in rustls rustls-no-provider native-tls; do
    if grep -q "reqwest feature \"$feature\"" <<<"$tree"; then
      [[ " $want " == *" $feature "* ]] || { echo "$crate [$features]: reqwest has $feature" >&2; exit 1; }
    else
      [[ " $want " != *" $feature "* ]] || { echo "$crate [$features]: reqwest lacks $feature" >&2; exit 1; }
    fi
  done
  echo "$crate [${features:-no TLS}]: reqwest TLS = ${want:-none}"
}
# Every client crate (one per spec), and order-tracking over them all.
for crate in $(for spec in specs/*.yaml; do echo "$(basename "$spec" .yaml)-client"; done) order-tracking; do
  check "$crate" "" ""
  check "$crate" rustls rustls
  check "$crate" rustls-ring rustls-no-provider
  check "$crate" native-tls native-tls
done
