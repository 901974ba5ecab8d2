# Sourced by build.sh: starts the demo's ATS sandbox (JazzHR unless
# SOURCEBAR_DEMO_PROVIDER names another emulated one: `sourcebar-sandbox
# --list-providers`) and a companion connected to it, on loopback, with their
# data under target/demo/.

DEMO_SANDBOX_ADDR=127.0.0.1:8790
DEMO_COMPANION_ADDR=127.0.0.1:8787
DEMO_PROVIDER=${SOURCEBAR_DEMO_PROVIDER:-jazzhr}
DEMO_ATS_KEY=demo-$DEMO_PROVIDER-key-0001

wait_for_line() { # file, pattern
  for _ in $(seq 1 300); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "error: $1 never said '$2':" >&2; cat "$1" >&2; return 1
}

demo_services() {
  local dir=$1
  step "building the companion and the sandbox"
  cargo build -q -p sourcebar-companion -p sourcebar-sandbox
  rm -rf "$dir" && mkdir -p "$dir"
  if ! target/debug/sourcebar-sandbox --list-providers | grep -qx "$DEMO_PROVIDER"; then
    die "no sandbox for '$DEMO_PROVIDER'; emulated: $(target/debug/sourcebar-sandbox --list-providers | tr '\n' ' ')"
  fi
  step "starting the $DEMO_PROVIDER sandbox with 3,000 candidates on http://$DEMO_SANDBOX_ADDR"
  target/debug/sourcebar-sandbox --provider "$DEMO_PROVIDER" --listen "$DEMO_SANDBOX_ADDR" --api-key "$DEMO_ATS_KEY" \
    --seed-candidates 3000 --seed-file tests/fixtures/seed/demo-candidates.json --rate-limit 6000 >"$dir/sandbox.log" 2>&1 &
  DEMO_PIDS="$!"
  wait_for_line "$dir/sandbox.log" "listening on"

  # The sandbox allows far more than the ATS's own limit, so the
  # demo's first sync takes seconds instead of the better part of an hour.
  # It listens on loopback, which a base_url may reach only when allowed.
  printf 'ats_calls_per_minute = 5000\nsync_interval_secs = 60\nallow_private_base_urls = true\n' >"$dir/companion.toml"
  export DATABASE_URL="sqlite://$dir/sourcebar.db" SOURCEBAR_MASTER_KEY_FILE="$dir/master.key" SOURCEBAR_CONFIG="$dir/companion.toml"
  local token
  token=$(target/debug/sourcebar-companion init --team "Demo team" --admin-email admin@demo.test --admin-name "Demo Admin" | tail -n 1)
  target/debug/sourcebar-companion serve --listen "$DEMO_COMPANION_ADDR" >"$dir/companion.log" 2>&1 &
  DEMO_PIDS="$DEMO_PIDS $!"
  wait_for_line "$dir/companion.log" "listening on"
  step "connecting the companion to the sandbox"
  python3 - "$DEMO_COMPANION_ADDR" "$token" "$DEMO_SANDBOX_ADDR" "$DEMO_ATS_KEY" <<'PY'
import json, sys, urllib.request
companion, token, sandbox, key = sys.argv[1:]
# The sandbox says how to reach it: its API root and settings (record links open in its own view).
info = json.load(urllib.request.urlopen(f"http://{sandbox}/_sandbox/info"))
body = json.dumps({"provider": info["provider"], "name": f"{info['provider']} (sandbox)", "api_key": key,
                   "base_url": info["base_url"], "settings": info["settings"]}).encode()
req = urllib.request.Request(f"http://{companion}/v1/connections", body, {"authorization": f"Bearer {token}", "content-type": "application/json"})
print("    connected:", json.load(urllib.request.urlopen(req))["name"])
PY
  local invite
  invite=$(target/debug/sourcebar-companion invite --role member | tail -n 1)
  cat <<EOT

Demo services are running:
  companion  http://$DEMO_COMPANION_ADDR   (logs: $dir/companion.log)
  sandbox    http://$DEMO_SANDBOX_ADDR    ($DEMO_PROVIDER emulator; logs: $dir/sandbox.log)

In the extension's settings, enter the companion URL http://$DEMO_COMPANION_ADDR and either
  the admin token:        $token
  or a member invite code: $invite
EOT
  export DEMO_PIDS
}
