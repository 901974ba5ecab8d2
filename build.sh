#!/usr/bin/env bash
# build.sh — every build, test, demo and benchmark entry point of Sourcebar.
#
#   ./build.sh          build the extension into dist/chrome and dist/firefox
#   ./build.sh demo     build, start a seeded ATS sandbox and a companion, print how to load it
#   ./build.sh test     every test: format, lints, native, wasm-in-browser, end-to-end
#                       (Chromium and Firefox ESR); suites run side by side, logs in target/test-logs/
#   ./build.sh firefox  only the Firefox ESR end-to-end test (builds what it needs)
#   ./build.sh bench    benchmarks (dedupe at 1,000,000 candidates)
#   ./build.sh soak     10,000 uploads/merges under ATS faults and kill -9 restarts (not in test)
#   ./build.sh package  zips for the Chrome Web Store and addons.mozilla.org
#
# On a fresh Debian machine with only Rust, Node and Python it installs what it
# needs itself, idempotently: the wasm32 target, wasm-bindgen-cli at exactly the
# pinned version, Debian's chromium, chromium-driver and firefox-esr, geckodriver
# (cargo install, for the tests), and the npm packages of tests/package-lock.json
# (playwright-core, selenium-webdriver, web-ext, binaryen's wasm-opt).
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

# Debian packages, installed together so apt's index is refreshed only once.
# apt may be busy (unattended upgrades, another install): wait for its lock.
APT=(apt-get -o DPkg::Lock::Timeout=600)
ensure_debian_packages() {
  local missing=()
  { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || missing+=(chromium chromium-driver)
  [ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing Debian's ${missing[*]}"
    as_root "${APT[@]}" update -qq >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y -qq "${missing[@]}" >/dev/null
  fi
}

# geckodriver drives Firefox ESR for the Firefox end-to-end test. Built from
# its crate (no prebuilt download), at the version checked against Firefox ESR.
GECKODRIVER_VERSION=0.37.1
ensure_geckodriver() {
  local have
  have=$(geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}' || true)
  if [ "$have" != "$GECKODRIVER_VERSION" ]; then
    step "installing geckodriver $GECKODRIVER_VERSION (a few minutes, once)"
    cargo install -q geckodriver --version "=$GECKODRIVER_VERSION" --locked --force >/dev/null
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
  ensure_debian_packages
  ensure_node_modules
}

# ---- the extension ---------------------------------------------------------

# One wasm per page (pkg/sidebar*, pkg/options*): the sidebar, loaded on
# every profile, carries none of the settings page's code.
build_sidebar_wasm() {
  step "building the sidebar and the settings page (wasm32, size-optimised)"
  rm -rf "$PKG"
  local page
  for page in sidebar options; do
    cargo build -q --release --target wasm32-unknown-unknown -p sourcebar \
      --no-default-features --features "$page-page"
    wasm-bindgen --target web --no-typescript --out-dir "$PKG" --out-name "$page" \
      target/wasm32-unknown-unknown/release/sourcebar.wasm
    # npm's binaryen: Debian's (v108) corrupts wasm-bindgen's externref table.
    "$NODE_BIN/wasm-opt" -Oz "$PKG/${page}_bg.wasm" -o "$PKG/${page}_bg.wasm"
  done
}

assemble() {
  local out=$1
  rm -rf "$out"
  mkdir -p "$out/pkg"
  cp extension/*.js extension/*.html "$out/"
  cp static/sidebar.css static/options.css "$out/"
  cp -r static/icons static/_locales "$out/"
  cp "$PKG"/sidebar.js "$PKG"/sidebar_bg.wasm "$PKG"/options.js "$PKG"/options_bg.wasm "$out/pkg/"
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
  local page wasm js
  for page in sidebar options; do
    wasm=$PKG/${page}_bg.wasm js=$PKG/$page.js
    printf '    %-7s wasm: %6d KB raw, %5d KB gzip\n' "$page" $(($(stat -c %s "$wasm") / 1024)) $(($(gzip -9c "$wasm" | wc -c) / 1024))
    printf '    %-7s js:   %6d KB raw, %5d KB gzip\n' "$page" $(($(stat -c %s "$js") / 1024)) $(($(gzip -9c "$js" | wc -c) / 1024))
  done
}

# ---- tests -----------------------------------------------------------------

# Suites run as background jobs, each writing its own log under
# target/test-logs/; a suite's log is printed only when it fails.
LOGS=$ROOT/target/test-logs
SUITE_PIDS=()
SUITE_NAMES=()

# start_suite NAME FUNCTION...: runs the function in the background.
start_suite() {
  local name=$1
  shift
  mkdir -p "$LOGS"
  printf '    started: %s (log: %s)\n' "$name" "${LOGS#"$ROOT"/}/$name.log"
  (
    set -euo pipefail
    started=$SECONDS
    "$@"
    printf '\n[%s passed in %ds]\n' "$name" $((SECONDS - started))
  ) >"$LOGS/$name.log" 2>&1 &
  SUITE_PIDS+=($!)
  SUITE_NAMES+=("$name")
}

# Waits for every started suite; prints each failed one's log; fails if any failed.
wait_suites() {
  local i failed=()
  for i in "${!SUITE_PIDS[@]}"; do
    if wait "${SUITE_PIDS[$i]}"; then
      printf '    %s: ok (%s)\n' "${SUITE_NAMES[$i]}" "$(tail -n 1 "$LOGS/${SUITE_NAMES[$i]}.log" | tr -d '[]')"
      # Its counts (tests, lint, sizes), so that a run that ran no test shows it.
      grep -E '^test result: |web-ext lint: |sidebar (wasm|js): ' "$LOGS/${SUITE_NAMES[$i]}.log" | sed 's/^ */      /' || true
    else
      failed+=("${SUITE_NAMES[$i]}")
    fi
  done
  SUITE_PIDS=()
  SUITE_NAMES=()
  for i in "${failed[@]}"; do
    printf '\n==== %s FAILED, its log (%s): ====\n' "$i" "${LOGS#"$ROOT"/}/$i.log"
    cat "$LOGS/$i.log"
  done
  [ ${#failed[@]} -eq 0 ] || die "failed: ${failed[*]}"
}

# The native lane: lints and tests of the companion, the sandbox and the core,
# then the binaries the end-to-end tests start (the companion optimised, as
# its users run it).
native_suite() {
  cargo clippy -q --workspace --exclude sourcebar --all-targets -- -D warnings
  cargo test --workspace --exclude sourcebar
  cargo build -q -p sourcebar-sandbox
  cargo build -q --profile server -p sourcebar-companion
}

# The sidebar lane: the extension (dist/), its lints, and its tests in
# headless Chromium. Niced, so that the native tests' timings keep their CPU.
sidebar_suite() {
  renice -n 5 -p "$BASHPID" >/dev/null
  ensure_wasm_target
  ensure_wasm_bindgen
  build_extension
  cargo clippy -q -p sourcebar --target wasm32-unknown-unknown --all-targets -- -D warnings
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test --target wasm32-unknown-unknown -p sourcebar
  lint_firefox
}

run_tests() {
  # apt (perhaps through sudo, which may ask) and npm in the foreground; the
  # cargo installs run inside the lanes that need them.
  ensure_debian_packages
  ensure_node_modules
  step "checking format"
  cargo fmt --all -- --check
  # On 2 cores, one lane compiles while another runs its tests; a cold
  # machine also builds geckodriver beside them (it is needed only at the end).
  step "native, sidebar and geckodriver suites, side by side"
  start_suite native native_suite
  start_suite sidebar sidebar_suite
  start_suite geckodriver ensure_geckodriver
  wait_suites
  step "end-to-end tests: the real extension in Chromium and in Firefox ESR, with the companion and the sandbox"
  node --test --test-concurrency=1 tests/e2e/
}

# Only the Firefox end-to-end test, for working on Firefox support.
run_firefox() {
  ensure_tools
  ensure_geckodriver
  build_extension
  lint_firefox
  cargo build -q -p sourcebar-sandbox
  cargo build -q --profile server -p sourcebar-companion
  node --test tests/e2e/firefox.test.mjs
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

# Matching quality and speed on a labelled set (recall@1, recall@5, the
# false-possible rate, p50/p99, index bytes per candidate) written to
# target/bench/report.json, then the dedupe micro-benchmarks.
# SOURCEBAR_BENCH_N sets the number of candidates (1,000,000 by default).
# The built sidebar's size goes into the bench report (null when dist/ was
# never built: `./build.sh` builds it).
record_sidebar_size() {
  python3 - "$1" "$PKG/sidebar_bg.wasm" <<'PY'
import gzip, json, os, sys
report_path, wasm = sys.argv[1], sys.argv[2]
with open(report_path) as f:
    report = json.load(f)
if os.path.exists(wasm):
    data = open(wasm, "rb").read()
    report["sidebar"] = {"raw_bytes": len(data), "gzip_bytes": len(gzip.compress(data, 9))}
with open(report_path, "w") as f:
    json.dump(report, f, indent=2, sort_keys=True)
print(f"    sidebar in the report: {report['sidebar']}")
PY
}

# The other matchers the quality bench measures on the same data (rapidfuzz,
# and PostgreSQL's pg_trgm through psycopg2): a virtual environment under
# target/ with tools/bench-requirements.txt's pinned versions, made once.
BENCH_VENV=$ROOT/target/bench-venv
ensure_bench_venv() {
  local stamp=$BENCH_VENV/.requirements-hash hash
  hash=$(sha256sum tools/bench-requirements.txt | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
    step "installing the bench's Python packages into target/bench-venv"
    python3 -m venv "$BENCH_VENV"
    "$BENCH_VENV/bin/pip" install -q -r tools/bench-requirements.txt
    echo "$hash" >"$stamp"
  fi
}

run_bench() {
  ensure_bench_venv
  step "matching quality and speed"
  mkdir -p "$ROOT/target/bench"
  SOURCEBAR_BENCH_OUT="$ROOT/target/bench" SOURCEBAR_BENCH_PYTHON="$BENCH_VENV/bin/python" \
    cargo bench -p sourcebar-core --bench quality
  record_sidebar_size "$ROOT/target/bench/report.json"
  step "dedupe micro-benchmarks"
  cargo bench -p sourcebar-core --bench dedupe
}

# ---- soak ------------------------------------------------------------------

# Not part of `test`: 10,000 uploads and merges, sent like the sidebar sends
# them, through a companion SIGKILLed and restarted every 30 s, against a
# faulty JazzHR sandbox, on SQLite then on PostgreSQL (127.0.0.1:5432).
# Flags go to the driver: `./build.sh soak --ops 500 --kill-every 10`.
run_soak() {
  step "building the companion, the sandbox and the soak driver (server profile)"
  cargo build -q --profile server -p sourcebar-companion -p sourcebar-sandbox -p sourcebar-soak
  step "soak: sourcebar-soak $*"
  target/server/sourcebar-soak --work-dir "$ROOT/target/soak" "$@"
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
  firefox) run_firefox ;;
  soak) shift; run_soak "$@" ;;
  *) die "unknown command '$1' (build, demo, test, firefox, bench, soak, package)" ;;
esac
