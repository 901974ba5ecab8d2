// The whole loop in Chromium with the real extension, the real companion and
// the JazzHR sandbox: sign in, dedupe, merge, upload, queue, FR, admin screens.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  ROOT, extensionId, launchBrowser, screenshot, sidebarFrame, startFixtureServer, startProcess,
} from "./harness.mjs";

const ATS_KEY = "e2e-jazzhr-key-000042";
const BIN = join(ROOT, "target", "debug");
const AXE = readFileSync(join(ROOT, "tests", "node_modules", "axe-core", "axe.min.js"), "utf8");

async function json(url, options = {}) {
  const res = await fetch(url, options);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The companion, the sandbox and a team, started on free ports. */
async function startServices() {
  const dir = mkdtempSync(join(tmpdir(), "sourcebar-e2e-"));
  const sandbox = await startProcess(join(BIN, "sourcebar-sandbox"), [
    "--provider", "jazzhr", "--listen", "127.0.0.1:0", "--api-key", ATS_KEY, "--seed-candidates", "300",
    "--seed-file", join(ROOT, "tests", "fixtures", "seed", "demo-candidates.json"), "--rate-limit", "6000",
  ]);
  writeFileSync(join(dir, "companion.toml"), "ats_calls_per_minute = 5000\n");
  const env = {
    DATABASE_URL: `sqlite://${dir}/sourcebar.db`,
    SOURCEBAR_MASTER_KEY_FILE: join(dir, "master.key"),
    SOURCEBAR_CONFIG: join(dir, "companion.toml"),
  };
  const cli = (...args) => execFileSync(join(BIN, "sourcebar-companion"), args, { env: { ...process.env, ...env } }).toString().trim().split("\n").pop();
  const adminToken = cli("init", "--team", "E2E", "--admin-email", "admin@e2e.test", "--admin-name", "Ada Admin");
  const companion = await startProcess(join(BIN, "sourcebar-companion"), ["serve", "--listen", "127.0.0.1:0"], { env });
  const auth = { authorization: `Bearer ${adminToken}`, "content-type": "application/json" };
  const conn = await json(`${companion.address}/v1/connections`, {
    method: "POST", headers: auth,
    body: JSON.stringify({ provider: "jazzhr", name: "JazzHR", api_key: ATS_KEY, base_url: `${sandbox.address}/v1` }),
  });
  assert.equal(conn.status, 201, JSON.stringify(conn.body));
  // Let the first sync finish so answers come from the mirror.
  for (let i = 0; i < 300; i++) {
    const s = await json(`${companion.address}/v1/connections/${conn.body.id}/sync`, { headers: auth });
    if (s.body.complete) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    sandbox, companion, adminToken, auth, connectionId: conn.body.id,
    invite: () => cli("invite", "--role", "member"),
    stop: async () => { await companion.stop(); await sandbox.stop(); },
  };
}

async function signIn(context, services, { token, invite, email }) {
  const id = await extensionId(context);
  const page = await context.newPage();
  await page.goto(`chrome-extension://${id}/options.html`);
  await page.getByTestId("companion-url").fill(services.companion.address);
  if (token) {
    await page.getByTestId("token").fill(token);
  } else {
    await page.getByTestId("invite-code").fill(invite);
    await page.getByTestId("invite-email").fill(email);
    await page.getByTestId("invite-name").fill("Sam Sourcer");
  }
  await page.getByTestId("btn-sign-in").click();
  await page.getByTestId("whoami").waitFor({ timeout: 10_000 });
  return page;
}

async function axeCheck(frame, label) {
  await frame.evaluate(AXE);
  const result = await frame.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => `${v.id}: ${v.help}`);
  });
  assert.deepEqual(result, [], `${label}: serious or critical accessibility violations`);
}

const sandboxRecord = async (services, email) =>
  (await json(`${services.sandbox.address}/_sandbox/candidates?email=${encodeURIComponent(email)}`)).body;

describe("sourcing with the companion and the JazzHR sandbox", () => {
  let server;
  let services;
  let member;

  before(async () => {
    server = await startFixtureServer();
    services = await startServices();
    member = await launchBrowser({ port: server.port });
  });

  after(async () => {
    await member?.close();
    await services?.stop();
    await server?.close();
  });

  test("a member signs in with an invite", async () => {
    const page = await signIn(member.context, services, { invite: services.invite(), email: "sam@e2e.test" });
    assert.match(await page.getByTestId("whoami").textContent(), /sam@e2e\.test.*E2E/);
    assert.equal(await page.getByTestId("role").textContent(), "member");
    // Members see the status, not the admin actions.
    await page.getByTestId("connection").first().waitFor();
    assert.equal(await page.getByTestId("btn-test").count(), 0);
    assert.equal(await page.getByTestId("providers").count(), 0);
    assert.equal(await page.getByTestId("people").count(), 0);
    await axeCheck(page.mainFrame(), "options (member)");
    await screenshot(page, "10-options-member");
    await page.close();
  });

  test("an existing candidate is found by email, with the reason", async () => {
    const page = await member.context.newPage();
    await page.goto("https://www.linkedin.com/in/jane-doe/overlay/contact-info/");
    const frame = await sidebarFrame(page);
    await frame.locator('[data-testid="verdict"][data-verdict="exact"]').waitFor({ timeout: 15_000 });
    assert.equal((await frame.getByTestId("verdict").textContent()).trim(), "Already in JazzHR");
    const first = frame.getByTestId("match").first();
    assert.match(await first.textContent(), /same email/);
    assert.equal(await page.locator("#sourcebar-root").getAttribute("data-verdict"), "exact");
    await axeCheck(frame, "sidebar (verdict)");
    await screenshot(page, "11-exact-by-email");

    // Merge with the selected profile: previewed, then done; nothing overwritten.
    await frame.getByTestId("merge-preview").waitFor();
    await frame.getByTestId("btn-merge").click();
    await frame.getByTestId("merge-result").waitFor({ timeout: 15_000 });
    assert.match(await frame.getByTestId("merge-result").textContent(), /LinkedIn URL \(as a note\) · appended/);
    const [record] = await sandboxRecord(services, "jane.doe@example.com");
    assert.equal(record.email, "jane.doe@example.com");
    assert.ok(record.notes.some((n) => n.contents.includes("LinkedIn: https://www.linkedin.com/in/jane-doe/")));
    await screenshot(page, "12-merged");
    await page.close();
  });

  test("another candidate is found by a misspelled name", async () => {
    const page = await member.context.newPage();
    await page.goto("https://www.linkedin.com/in/spa-one/");
    const frame = await sidebarFrame(page);
    await frame.locator('[data-testid="verdict"][data-verdict="possible"]').waitFor({ timeout: 15_000 });
    assert.equal((await frame.getByTestId("verdict").textContent()).trim(), "Possible duplicates");
    const top = frame.getByTestId("match").first();
    assert.match(await top.textContent(), /Sam Onne/);
    assert.match(await top.textContent(), /similar name — \d+%/);
    await screenshot(page, "13-possible-by-name");
    // Switching person: the previous verdict never shows for the next one.
    await page.click("#go-second");
    // The previous person leaves at once: the sidebar waits, then shows the next one.
    await frame.waitForFunction(() => !document.body.textContent.includes("Sam One"), null, { timeout: 5_000 });
    assert.notEqual(await frame.locator('[data-testid="verdict"][data-verdict="possible"]').count(), 1);
    await frame.getByText("Alex Two").waitFor({ timeout: 10_000 });
    await frame.locator('[data-testid="verdict"][data-verdict="none"]').waitFor({ timeout: 15_000 });
    await page.close();
  });

  test("a new person is uploaded once even when the button is clicked twice", async () => {
    const page = await member.context.newPage();
    await page.goto("https://www.linkedin.com/in/eve-adams/");
    const frame = await sidebarFrame(page);
    await frame.locator('[data-testid="verdict"][data-verdict="none"]').waitFor({ timeout: 15_000 });
    assert.equal((await frame.getByTestId("verdict").textContent()).trim(), "New candidate");
    assert.ok(await frame.getByTestId("btn-upload").isDisabled(), "email required first");
    await frame.getByTestId("field-email").fill("eve.adams@initech.example");
    const button = frame.getByTestId("btn-upload");
    await button.dblclick();
    await frame.locator('[data-testid="upload-result"][data-state="created"]').waitFor({ timeout: 15_000 });
    // And once more, as a retry would.
    await frame.evaluate(() => document.querySelector('[data-testid="btn-upload"]').removeAttribute("disabled"));
    await button.click();
    await page.waitForTimeout(1_000);
    assert.equal((await sandboxRecord(services, "eve.adams@initech.example")).length, 1);
    await screenshot(page, "14-uploaded");
    await page.close();
  });

  test("an upload while JazzHR is down is queued, then delivered", async () => {
    await json(`${services.sandbox.address}/_sandbox/faults`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "error_503", probability: 1.0, path_prefix: "/v1/applicants" }),
    });
    const page = await member.context.newPage();
    await page.goto("https://www.linkedin.com/in/ludwig-van-der-rohe/");
    const frame = await sidebarFrame(page);
    await frame.getByTestId("verdict").waitFor();
    await frame.getByTestId("field-email").fill("ludwig.second@bauhaus.example");
    await frame.getByTestId("btn-upload").click();
    await frame.locator('[data-testid="upload-result"][data-state="queued"]').waitFor({ timeout: 20_000 });
    await screenshot(page, "15-queued");
    await fetch(`${services.sandbox.address}/_sandbox/faults`, { method: "DELETE" });
    await frame.locator('[data-testid="upload-result"][data-state="created"]').waitFor({ timeout: 30_000 });
    assert.equal((await sandboxRecord(services, "ludwig.second@bauhaus.example")).length, 1);
    await screenshot(page, "16-queued-then-delivered");
    await page.close();
  });

  test("French strings after switching the language", async () => {
    const id = await extensionId(member.context);
    const options = await member.context.newPage();
    await options.goto(`chrome-extension://${id}/options.html`);
    await options.getByTestId("lang").selectOption("fr");
    await options.getByText("Réglages de Sourcebar").waitFor();
    await options.close();
    const page = await member.context.newPage();
    await page.goto("https://www.linkedin.com/in/jane-doe/overlay/contact-info/");
    const frame = await sidebarFrame(page);
    await frame.locator('[data-testid="verdict"][data-verdict="exact"]').waitFor({ timeout: 15_000 });
    assert.equal((await frame.getByTestId("verdict").textContent()).trim(), "Déjà dans JazzHR");
    assert.match(await frame.getByTestId("match").first().textContent(), /même e-mail/);
    await frame.getByText("Fusionner avec le profil sélectionné").waitFor();
    await screenshot(page, "17-french");
    await page.close();
  });

  test("an admin connects, tests, relinks, deactivates and deletes a connection", async () => {
    const admin = await launchBrowser({ port: server.port });
    try {
      const page = await signIn(admin.context, services, { token: services.adminToken });
      page.on("dialog", (d) => d.accept());
      assert.equal(await page.getByTestId("role").textContent(), "admin");
      await page.getByTestId("providers-available").getByText("JazzHR").waitFor();
      assert.ok(await page.getByTestId("btn-connect").isDisabled(), "Connect waits for a key");
      await page.getByTestId("conn-name").fill("JazzHR EU");
      await page.getByTestId("conn-url").fill(`${services.sandbox.address}/v1`);
      await page.getByTestId("conn-key").fill("not-the-key-123");
      await page.getByTestId("btn-connect").click();
      await page.locator('[data-testid="toast"][data-code="invalid_key"]').waitFor({ timeout: 10_000 });
      await page.getByTestId("conn-key").fill(ATS_KEY);
      await page.getByTestId("btn-connect").click();
      await page.getByText("ATS connected — JazzHR has been connected to your organization.").waitFor({ timeout: 10_000 });
      await screenshot(page, "18-admin-connected");
      const row = page.getByTestId("connection").filter({ hasText: "JazzHR EU" });
      await row.waitFor();
      await row.getByTestId("btn-test").click();
      await page.getByText("Connection works").waitFor();
      await row.getByTestId("relink-key").fill(ATS_KEY);
      await row.getByTestId("btn-relink").click();
      await page.locator('[data-testid="toast"][data-code="ok"]').waitFor();
      await row.getByTestId("btn-deactivate").click();
      await page.locator('[data-testid="connection"][data-status="deactivated"]').waitFor();
      await axeCheck(page.mainFrame(), "options (admin)");
      await screenshot(page, "19-admin-deactivated");
      await page.getByTestId("connection").filter({ hasText: "JazzHR EU" }).getByTestId("btn-delete").click();
      await page.getByTestId("connection").filter({ hasText: "JazzHR EU" }).waitFor({ state: "detached" });
      const list = await json(`${services.companion.address}/v1/connections`, { headers: services.auth });
      assert.deepEqual(list.body.map((c) => c.name), ["JazzHR"]);
      const audit = await json(`${services.companion.address}/v1/audit`, { headers: services.auth });
      const actions = audit.body.map((e) => e.action);
      for (const a of ["connect", "relink", "deactivate", "delete", "merge", "upload"]) assert.ok(actions.includes(a), a);
      await screenshot(page, "20-admin-after-delete");
    } finally {
      await admin.close();
    }
  });
});
