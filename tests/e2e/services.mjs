// The servers every end-to-end test talks to: a seeded ATS sandbox (JazzHR
// unless said) and a companion with one team connected to it, on free
// loopback ports.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, startProcess } from "./harness.mjs";

export const BIN = join(ROOT, "target", "debug");
// The companion runs as its users run it, an optimised build (`--profile
// server`): the time from navigation to verdict is measured through it.
export const COMPANION = join(ROOT, "target", "server", "sourcebar-companion");

/** The providers the sandbox emulates. */
export function emulatedProviders() {
  return execFileSync(join(BIN, "sourcebar-sandbox"), ["--list-providers"]).toString().trim().split("\n");
}

/** Fetches a URL and parses the JSON answer, if any. */
export async function json(url, options = {}) {
  const res = await fetch(url, options);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * Starts the sandbox and the companion, makes a team and connects it, then
 * waits for the first sync so answers come from the mirror
 * (`connect: false`: a team with no connection yet, as on day one).
 */
export async function startServices({
  atsKey, provider = "jazzhr", seed = 300, team = "E2E", adminEmail = "admin@e2e.test", adminName = "Ada Admin", connect = true,
}) {
  const dir = mkdtempSync(join(tmpdir(), "sourcebar-e2e-"));
  const sandbox = await startProcess(join(BIN, "sourcebar-sandbox"), [
    "--provider", provider, "--listen", "127.0.0.1:0", "--api-key", atsKey, "--seed-candidates", String(seed),
    "--seed-file", join(ROOT, "tests", "fixtures", "seed", "demo-candidates.json"), "--rate-limit", "6000",
  ]);
  // The sandbox is on loopback: let the connection's base_url reach it.
  writeFileSync(join(dir, "companion.toml"), "ats_calls_per_minute = 5000\nallow_private_base_urls = true\n");
  const env = {
    DATABASE_URL: `sqlite://${dir}/sourcebar.db`,
    SOURCEBAR_MASTER_KEY_FILE: join(dir, "master.key"),
    SOURCEBAR_CONFIG: join(dir, "companion.toml"),
  };
  const cli = (...args) => execFileSync(COMPANION, args, { env: { ...process.env, ...env } })
    .toString().trim().split("\n").pop();
  const adminToken = cli("init", "--team", team, "--admin-email", adminEmail, "--admin-name", adminName);
  const companion = await startProcess(COMPANION, ["serve", "--listen", "127.0.0.1:0"], { env });
  const auth = { authorization: `Bearer ${adminToken}`, "content-type": "application/json" };
  const stop = async () => {
    await companion.stop();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  if (!connect) return { sandbox, companion, adminToken, auth, invite: () => cli("invite", "--role", "member"), stop };
  // Connected as an admin would connect to this sandbox: with what it says of
  // itself (its API root, and settings under which record links open in its own view).
  const info = (await json(`${sandbox.address}/_sandbox/info`)).body;
  const conn = await json(`${companion.address}/v1/connections`, {
    method: "POST", headers: auth,
    body: JSON.stringify({ provider: info.provider, name: "JazzHR", api_key: atsKey, base_url: info.base_url, settings: info.settings }),
  });
  assert.equal(conn.status, 201, JSON.stringify(conn.body));
  for (let i = 0; i < 300; i++) {
    const s = await json(`${companion.address}/v1/connections/${conn.body.id}/sync`, { headers: auth });
    if (s.body.complete) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    sandbox, companion, adminToken, auth, connectionId: conn.body.id,
    invite: () => cli("invite", "--role", "member"),
    stop,
  };
}
