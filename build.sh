#!/usr/bin/env bash
# build.sh — every build, test, demo and benchmark entry point of Sourcebar.
#
#   ./build.sh          build the extension into dist/chrome and dist/firefox
#   ./build.sh demo     build, start a seeded ATS sandbox and a companion, print how to load it
#   ./build.sh test     every test: format, lints, native, wasm-in-browser, end-to-end
#   ./build.sh bench    benchmarks (dedupe at 1,000,000 candidates)
#   ./build.sh package  zips for the Chrome Web Store and addons.mozilla.org
#
# On a fresh Debian machine with only Rust, Node and Python it installs what it
# needs itself, idempotently: the wasm32 target, wasm-bindgen-cli at exactly the
# pinned version, Debian's chromium and chromium-driver, and the npm packages of
# tests/package-lock.json (playwright-core, web-ext, binaryen's wasm-opt).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
DIST=$ROOT/dist
PKG=$ROOT/target/pkg
NODE_BIN=$ROOT/tests/node_modules/.bin

step() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# ---- installs (each a no-op when already done) -----------------------------

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown >/dev/null
  fi
}

# The CLI must equal the wasm-bindgen crate version in Cargo.lock exactly.
pinned_wasm_bindgen() {
  awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_bindgen() {
  local want have
  want=$(pinned_wasm_bindgen)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ] || ! command -v wasm-bindgen-test-runner >/dev/null; then
    step "installing wasm-bindgen-cli $want (a few minutes, once)"
    # Not --locked: the crate's lock file pins a webpki-roots the registry no longer serves.
    cargo install -q wasm-bindgen-cli --version "=$want" --force >/dev/null
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    step "installing Debian's chromium and chromium-driver"
    as_root apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

ensure_node_modules() {
  local stamp=tests/node_modules/.lock-hash hash
  hash=$(sha256sum tests/package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
    step "installing npm packages from tests/package-lock.json"
    # Never let a tool download its own browser: tests use Debian's chromium.
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests --no-audit --no-fund --loglevel=error >/dev/null
    echo "$hash" >"$stamp"
  fi
}

ensure_tools() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_chromium
  ensure_node_modules
}

# ---- the extension ---------------------------------------------------------

build_sidebar_wasm() {
  step "building the sidebar (wasm32, size-optimised)"
  cargo build -q --release --target wasm32-unknown-unknown -p sourcebar
  rm -rf "$PKG"
  wasm-bindgen --target web --no-typescript --out-dir "$PKG" \
    target/wasm32-unknown-unknown/release/sourcebar.wasm
  # npm's binaryen: Debian's (v108) corrupts wasm-bindgen's externref table.
  "$NODE_BIN/wasm-opt" -Oz "$PKG/sourcebar_bg.wasm" -o "$PKG/sourcebar_bg.wasm"
}

assemble() {
  local out=$1
  rm -rf "$out"
  mkdir -p "$out/pkg"
  cp extension/*.js extension/*.html "$out/"
  cp static/sidebar.css "$out/"
  cp -r static/icons static/_locales "$out/"
  cp "$PKG/sourcebar.js" "$PKG/sourcebar_bg.wasm" "$out/pkg/"
}

build_extension() {
  build_sidebar_wasm
  step "assembling dist/chrome and dist/firefox"
  assemble "$DIST/chrome"
  cp manifest.json "$DIST/chrome/manifest.json"
  assemble "$DIST/firefox"
  python3 tools/firefox_manifest.py manifest.json >"$DIST/firefox/manifest.json"
  print_sizes
}

print_sizes() {
  local wasm=$PKG/sourcebar_bg.wasm js=$PKG/sourcebar.js
  printf '    sidebar wasm: %6d KB raw, %5d KB gzip\n' $(($(stat -c %s "$wasm") / 1024)) $(($(gzip -9c "$wasm" | wc -c) / 1024))
  printf '    sidebar js:   %6d KB raw, %5d KB gzip\n' $(($(stat -c %s "$js") / 1024)) $(($(gzip -9c "$js" | wc -c) / 1024))
}

# ---- tests -----------------------------------------------------------------

run_tests() {
  ensure_tools
  build_extension
  step "checking format"
  cargo fmt --all -- --check
  step "clippy (native workspace, then the sidebar for wasm32)"
  cargo clippy -q --workspace --exclude sourcebar --all-targets -- -D warnings
  cargo clippy -q -p sourcebar --target wasm32-unknown-unknown --all-targets -- -D warnings
  step "native tests"
  cargo test --workspace --exclude sourcebar
  step "wasm tests in headless Chromium"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test --target wasm32-unknown-unknown -p sourcebar
  step "web-ext lint (dist/firefox)"
  lint_firefox
  step "end-to-end tests in Chromium with the real extension, companion and sandbox"
  cargo build -q -p sourcebar-companion -p sourcebar-sandbox
  node --test --test-concurrency=1 tests/e2e/
}

lint_firefox() {
  local report
  report=$("$NODE_BIN/web-ext" lint --source-dir "$DIST/firefox" --output json --no-input 2>/dev/null || true)
  python3 - "$report" <<'PY'
import json, sys
report = json.loads(sys.argv[1])
errors = report.get("errors", [])
for e in errors:
    print(f"    web-ext error: {e.get('code')}: {e.get('message')} ({e.get('file')})")
print(f"    web-ext lint: {len(errors)} errors, {len(report.get('warnings', []))} warnings")
sys.exit(1 if errors else 0)
PY
}

# ---- demo ------------------------------------------------------------------

# Starts what the extension talks to: a JazzHR sandbox seeded with candidates
# and a companion already connected to it. Prints the admin token to paste.
start_demo_services() {
  local demo_dir=$ROOT/target/demo
  # shellcheck source=tools/demo.sh
  . tools/demo.sh
  demo_services "$demo_dir"
}

run_demo() {
  ensure_tools
  build_extension
  start_demo_services
  cat <<EOF

Load the extension:
  Chromium/Chrome: chrome://extensions → Developer mode → Load unpacked → $DIST/chrome
  Firefox:         about:debugging#/runtime/this-firefox → Load Temporary Add-on → $DIST/firefox/manifest.json
Then open a LinkedIn profile (https://www.linkedin.com/in/...).
EOF
  if [ -n "${DEMO_PIDS:-}" ]; then
    echo "Press Ctrl-C to stop the demo services."
    trap 'kill $DEMO_PIDS 2>/dev/null || true' EXIT INT TERM
    wait
  fi
}

# ---- bench and package -----------------------------------------------------

run_bench() {
  if compgen -G "crates/*/benches/*.rs" >/dev/null; then
    step "benchmarks"
    cargo bench -p sourcebar-core
  else
    echo "no benchmarks yet"
  fi
}

run_package() {
  ensure_tools
  build_extension
  step "packaging"
  mkdir -p "$DIST/packages"
  rm -f "$DIST/packages/"*.zip
  (cd "$DIST/chrome" && python3 -m zipfile -c "$DIST/packages/sourcebar-chrome.zip" ./*)
  "$NODE_BIN/web-ext" build --source-dir "$DIST/firefox" --artifacts-dir "$DIST/packages" \
    --filename sourcebar-firefox.zip --overwrite-dest >/dev/null
  ls -1 "$DIST/packages"
}

case "${1:-build}" in
  build) ensure_tools; build_extension ;;
  demo) run_demo ;;
  test) run_tests ;;
  bench) run_bench ;;
  package) run_package ;;
  *) die "unknown command '$1' (build, demo, test, bench, package)" ;;
esac
