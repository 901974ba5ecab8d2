// The settings page as a team admin runs it, in Chromium with the real
// extension, a real companion and the JazzHR sandbox: the set-up checklist,
// the sections by link, a connection's menu and Delete's confirmation, the
// audit log's sentences and filters, French dates, and an invite link that
// signs a new member in.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ROOT, expectAttribute, launchBrowser, startFixtureServer } from "./harness.mjs";
import { openOptions, storeSettings } from "./steps.mjs";
import { json, startServices } from "./services.mjs";

const ATS_KEY = "e2e-admin-jazzhr-key-0077";
const AXE = readFileSync(join(ROOT, "tests", "node_modules", "axe-core", "axe.min.js"), "utf8");
const SHOTS = join(ROOT, "target", "screenshots");

async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function axeCheck(page, label) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(" | ")})`);
  });
  assert.deepEqual(result, [], `${label}: serious or critical accessibility violations`);
}

const call = (services, method, path, body, headers = {}) => json(`${services.companion.address}${path}`, {
  method, headers: { ...services.auth, ...headers }, body: body ? JSON.stringify(body) : undefined,
});

describe("the admin page", () => {
  let server;
  let services;
  let admin;

  before(async () => {
    server = await startFixtureServer();
    // Day one: a team, no connection yet.
    services = await startServices({ atsKey: ATS_KEY, connect: false, seed: 120 });
    admin = await launchBrowser({ port: server.port });
    await storeSettings(admin.context, {
      "sourcebar.companionUrl": services.companion.address, "sourcebar.token": services.adminToken, "sourcebar.lang": "en",
    });
  });

  after(async () => {
    await admin?.close();
    await services?.stop();
    await server?.close();
  });

  test("a checklist leads a new admin through set-up, each step to its section", async () => {
    const page = await openOptions(admin.context);
    const checklist = page.getByTestId("checklist");
    await checklist.waitFor({ timeout: 10_000 });
    for (const step of ["connect", "sync", "invite", "share"]) {
      assert.equal(await page.getByTestId(`step-${step}`).getAttribute("data-done"), "false", step);
    }
    await axeCheck(page, "checklist");
    await shot(page, "admin-checklist-en");
    // The same in French.
    await storeSettings(admin.context, { "sourcebar.lang": "fr" });
    await page.reload();
    await page.getByText("Installer Sourcebar pour votre équipe").waitFor({ timeout: 10_000 });
    assert.match(await checklist.textContent(), /Connecter votre ATS · à faire/);
    await axeCheck(page, "checklist (fr)");
    await shot(page, "admin-checklist-fr");
    await storeSettings(admin.context, { "sourcebar.lang": "en" });
    await page.reload();
    await checklist.getByText("Connect your ATS").waitFor({ timeout: 10_000 });

    // The first step links to the Connection section, where JazzHR's form is open.
    await page.getByTestId("step-connect").getByRole("link").click();
    assert.match(page.url(), /#connection$/);
    await page.getByTestId("no-connection").waitFor();
    await expectAttribute(page.locator('[data-testid="provider-card"][data-provider="jazzhr"]'), "aria-pressed", "true");
    // Providers in beta are a group of their own.
    for (const id of ["greenhouse", "teamtailor", "ashby", "smartrecruiters", "bamboohr", "recruitee", "personio"]) {
      assert.equal(await page.getByTestId("providers-beta").locator(`[data-provider="${id}"]`).count(), 1, id);
    }
    assert.equal(await page.getByTestId("conn-key").getAttribute("autocomplete"), "new-password");
    assert.equal(await page.getByTestId("conn-url").isVisible(), false, "the base URL waits under Advanced");
    assert.ok(await page.getByTestId("btn-connect").isDisabled(), "Connect waits for a key");
    // A provider on request offers a request, not a form.
    await page.locator('[data-testid="provider-card"][data-provider="jarvi"]').click();
    await page.getByTestId("btn-request-provider").click();
    await page.locator('[data-testid="toast"][data-code="ok"]').waitFor();
    await page.locator('[data-testid="provider-card"][data-provider="jazzhr"]').click();
    await page.getByTestId("connect-advanced").locator("summary").click();
    await page.getByTestId("conn-url").fill(`${services.sandbox.address}/v1`);
    await page.getByTestId("conn-key").fill(ATS_KEY);
    await page.getByTestId("btn-connect").click();
    await page.getByTestId("connection").waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="step-connect"][data-done="true"]').waitFor();
    // The first sync shows "n of N" until it is done.
    await page.locator('[data-testid="step-sync"][data-done="true"]').waitFor({ timeout: 60_000 });
    const pill = page.getByTestId("status-pill");
    await page.locator('[data-testid="status-pill"][data-health="healthy"]').waitFor({ timeout: 10_000 });
    assert.match(await pill.textContent(), /Healthy · synced now · 1\d\d candidates/);
    assert.ok(await pill.locator("time").getAttribute("title"), "the exact time on hover");

    // Invite the team: the link carries the companion and the code.
    await page.getByTestId("step-invite").getByRole("link").click();
    await page.getByTestId("section-team").waitFor();
    await page.getByTestId("btn-invite").click();
    const link = await page.getByTestId("invite-link").inputValue();
    assert.match(link, new RegExp(`^${services.companion.address}/join#code=[A-Za-z0-9_-]+$`));
    await page.locator('[data-testid="step-invite"][data-done="true"]').waitFor();
    assert.equal(await page.getByTestId("install-link").inputValue(), `${services.companion.address}/join`);
    await shot(page, "admin-team-en");
    await page.getByTestId("btn-copy-install-link").click();
    // Every step done: the checklist goes away.
    await checklist.waitFor({ state: "detached" });
    await page.close();
  });

  test("Test and Sync now stay at hand; Relink, Deactivate and Delete are in a menu, Delete confirmed", async (t) => {
    const second = await call(services, "POST", "/v1/connections",
      { provider: "jazzhr", name: "JazzHR EU", api_key: ATS_KEY, base_url: `${services.sandbox.address}/v1` });
    assert.equal(second.status, 201);
    // Should this test fail half-way, the tests after it still meet one connection.
    t.after(async () => {
      const list = await call(services, "GET", "/v1/connections");
      if (list.body.some((c) => c.id === second.body.id)) await call(services, "DELETE", `/v1/connections/${second.body.id}`);
    });
    const page = await openOptions(admin.context, "#connection");
    const row = page.getByTestId("connection").filter({ hasText: "JazzHR EU" });
    await row.waitFor({ timeout: 10_000 });
    assert.ok(await row.getByTestId("btn-test").isVisible());
    assert.ok(await row.getByTestId("btn-sync").isVisible());
    assert.equal(await row.getByTestId("btn-delete").count(), 0, "Delete hides in the menu");
    // What the mirror holds and when jobs refresh next, in words.
    await row.getByTestId("sync-counts").waitFor({ timeout: 10_000 });
    assert.match(await row.getByTestId("sync-counts").textContent(), /^[\d,]+ candidates · [\d,]+ jobs · [\d,]+ applications$/);
    assert.match(await row.getByTestId("sync-details").textContent(), /Jobs and applications · (last run .+|not synced yet) · next run /);
    await shot(page, "admin-connection-sync-en");
    await row.getByTestId("btn-more").click();
    await expectAttribute(row.getByTestId("btn-more"), "aria-expanded", "true");
    // Test redraws the list when it answers (so does a first sync, every few
    // seconds): the open menu stays open through it.
    await row.getByTestId("btn-test").click();
    await page.getByText("Connection works").waitFor();
    await page.waitForTimeout(1_000);
    assert.equal(await row.getByTestId("btn-more").getAttribute("aria-expanded"), "true", "the menu closed on a redraw");
    const items = await row.getByRole("menuitem").allTextContents();
    assert.deepEqual(items, ["Relink (new key)", "Deactivate", "Delete…"]);
    await shot(page, "admin-connection-menu-en");
    await row.getByTestId("menu-relink").click();
    assert.equal(await row.getByTestId("relink-key").getAttribute("autocomplete"), "new-password");
    await row.getByTestId("relink-key").fill("wrong-key-000000");
    await row.getByTestId("btn-relink").click();
    await page.locator('[data-testid="toast"][data-code="invalid_key"]').waitFor({ timeout: 10_000 });
    await row.getByTestId("relink-key").fill(ATS_KEY);
    await row.getByTestId("btn-relink").click();
    await page.locator('[data-testid="toast"][data-code="ok"]').waitFor();
    await row.getByTestId("relink-form").waitFor({ state: "detached" });

    await row.getByTestId("btn-more").click();
    await row.getByTestId("btn-deactivate").click();
    const deactivated = page.locator('[data-testid="connection"][data-status="deactivated"]');
    await deactivated.waitFor();
    assert.match(await deactivated.getByTestId("status-pill").textContent(), /Deactivated/);

    await deactivated.getByTestId("btn-more").click();
    await deactivated.getByTestId("btn-delete").click();
    const confirm = deactivated.getByTestId("confirm-delete");
    await confirm.waitFor();
    assert.match(await confirm.textContent(), /^Delete this connection\? JazzHR EU/);
    assert.match(await confirm.getByTestId("delete-effect").textContent(), /Deletes its API key at once and stops sync.*Nothing is deleted in your ATS/);
    await axeCheck(page, "delete confirmation");
    await shot(page, "admin-delete-confirm-en");
    await confirm.getByTestId("btn-cancel-delete").click();
    await confirm.waitFor({ state: "detached" });
    const still = await call(services, "GET", "/v1/connections");
    assert.ok(still.body.some((c) => c.name === "JazzHR EU"), "Cancel deletes nothing");
    await deactivated.getByTestId("btn-more").click();
    await deactivated.getByTestId("btn-delete").click();
    await deactivated.getByTestId("btn-confirm-delete").click();
    await page.getByTestId("connection").filter({ hasText: "JazzHR EU" }).waitFor({ state: "detached" });
    const left = await call(services, "GET", "/v1/connections");
    assert.deepEqual(left.body.map((c) => c.name), ["JazzHR"]);
    await page.close();
  });

  test("a key refused mid-sync says Needs attention: key refused, and Relink makes the connection healthy", async (t) => {
    const [conn] = (await call(services, "GET", "/v1/connections")).body.filter((c) => c.name === "JazzHR");
    const NEW_KEY = "e2e-admin-regenerated-key-0078";
    const sandboxKey = (key) => json(`${services.sandbox.address}/_sandbox/key`, {
      method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ api_key: key }),
    });
    t.after(async () => {
      await sandboxKey(ATS_KEY);
      await call(services, "PUT", `/v1/connections/${conn.id}/key`, { api_key: ATS_KEY });
    });
    // The ATS admin regenerates the key; the next sync meets a refusal.
    assert.equal((await sandboxKey(NEW_KEY)).status, 204);
    assert.equal((await call(services, "POST", `/v1/connections/${conn.id}/sync`)).status, 202);
    for (let i = 0; i < 100; i++) {
      const now = (await call(services, "GET", "/v1/connections")).body.find((c) => c.id === conn.id);
      if (now.status === "error") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const page = await openOptions(admin.context, "#connection");
    const row = page.locator('[data-testid="connection"][data-status="error"]').filter({ hasText: "JazzHR" });
    await row.waitFor({ timeout: 10_000 });
    assert.match(await row.getByTestId("status-pill").textContent(), /▲ Needs attention: key refused → Relink/);
    await shot(page, "admin-key-refused-en");
    await row.getByTestId("btn-fix").click();
    await row.getByTestId("relink-key").fill(NEW_KEY);
    await row.getByTestId("btn-relink").click();
    await page.locator('[data-testid="toast"][data-code="ok"]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="connection"][data-status="connected"]').filter({ hasText: "JazzHR" }).waitFor();
    await page.close();
  });

  test("the audit log reads as sentences, filters by person and action, and dates speak French", async () => {
    // A member uploads, the admin merges into what the member uploaded.
    const code = (await call(services, "POST", "/v1/invites", { role: "member" })).body.code;
    const accepted = await json(`${services.companion.address}/v1/invites/${code}/accept`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "sam@e2e.test", name: "Sam Sourcer" }),
    });
    assert.equal(accepted.status, 201);
    const sam = { ...services.auth, authorization: `Bearer ${accepted.body.token}` };
    const profile = { first_name: "Jane", last_name: "Rivera", emails: ["jane.rivera@e2e.test"], profile_url: "https://www.linkedin.com/in/jane-rivera" };
    const up = await json(`${services.companion.address}/v1/candidates`, {
      method: "POST", headers: { ...sam, "idempotency-key": "e2e-admin-up-1" }, body: JSON.stringify({ profile }),
    });
    assert.equal(up.status, 201, JSON.stringify(up.body));
    const merged = await call(services, "POST", `/v1/candidates/${up.body.candidate.id}/merge`, { profile }, { "idempotency-key": "e2e-admin-merge-1" });
    assert.equal(merged.status, 200, JSON.stringify(merged.body));

    const page = await openOptions(admin.context, "#activity");
    const sentences = page.getByTestId("audit-sentence");
    await sentences.first().waitFor({ timeout: 10_000 });
    const all = await sentences.allTextContents();
    assert.equal(all[0], "Ada Admin merged Jane Rivera");
    assert.equal(all[1], "Sam Sourcer uploaded Jane Rivera");
    assert.ok(all.includes("Ada Admin connected JazzHR"), all.join("\n"));
    const first = page.getByTestId("audit-entry").first();
    assert.match(await first.textContent(), /^Ada Admin merged Jane Rivera · now · Open$/);
    assert.match(await first.getByTestId("audit-open").getAttribute("href"), new RegExp(up.body.candidate.id));
    for (const text of await page.getByTestId("audit-entry").allTextContents()) {
      assert.doesNotMatch(text, /[{}"]|\d{4}-\d\d-\d\dT/, "no raw JSON, no raw ISO time");
    }

    await page.getByTestId("filter-person").selectOption({ label: "Sam Sourcer" });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="audit-entry"]')].every((e) => e.textContent.startsWith("Sam Sourcer")));
    assert.deepEqual(await sentences.allTextContents(), ["Sam Sourcer uploaded Jane Rivera", "Sam Sourcer joined the team"]);
    await page.getByTestId("filter-person").selectOption("");
    await page.getByTestId("filter-action").selectOption("merge");
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="audit-entry"]')].every((e) => e.dataset.action === "merge"));
    assert.deepEqual(await sentences.allTextContents(), ["Ada Admin merged Jane Rivera"]);
    await shot(page, "admin-activity-filtered-en");
    await page.close();

    // In French: sentences, relative and exact times through Intl.
    await storeSettings(admin.context, { "sourcebar.lang": "fr" });
    const fr = await openOptions(admin.context, "#activity");
    await fr.getByTestId("audit-sentence").first().waitFor({ timeout: 10_000 });
    assert.equal(await fr.getByTestId("audit-sentence").first().textContent(), "Ada Admin a fusionné Jane Rivera");
    const time = fr.getByTestId("audit-entry").first().locator("time");
    assert.equal(await time.textContent(), "maintenant");
    const iso = await time.getAttribute("datetime");
    const expected = await fr.evaluate((at) => new Date(at).toLocaleString("fr", { dateStyle: "long", timeStyle: "short" }), iso);
    assert.equal(await time.getAttribute("title"), expected);
    assert.match(expected, /janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre/);
    await fr.goto(fr.url().replace("#activity", "#team"));
    await fr.getByTestId("member").first().waitFor();
    const roles = await fr.getByTestId("member-role").allTextContents();
    assert.deepEqual(roles.sort(), ["admin", "membre"]);
    await fr.goto(fr.url().replace("#team", "#connection"));
    await fr.locator('[data-testid="status-pill"][data-health="healthy"]').waitFor({ timeout: 10_000 });
    assert.match(await fr.getByTestId("status-pill").textContent(), /En bonne santé · synchronisée il y a \d+ minutes?|En bonne santé · synchronisée maintenant/);
    await fr.close();
    await storeSettings(admin.context, { "sourcebar.lang": "en" });
  });

  test("an invite link signs a new member in with only a name and an email to confirm", async () => {
    const code = (await call(services, "POST", "/v1/invites", { role: "member" })).body.code;
    const link = `${services.companion.address}/join#code=${code}`;
    // The join page itself: static, public, in English.
    const joinPage = await fetch(link);
    assert.equal(joinPage.status, 200);
    assert.match(joinPage.headers.get("content-security-policy"), /^default-src 'none'/);
    const newcomer = await launchBrowser({ port: server.port });
    try {
      const web = await newcomer.context.newPage();
      await web.goto(link);
      await web.getByText("Click the Sourcebar icon in your browser's toolbar to join.").waitFor();
      await shot(web, "admin-join-page-en");
      await web.close();

      const page = await openOptions(newcomer.context, `#invite=${encodeURIComponent(link)}`);
      await page.getByTestId("invite-server").waitFor({ timeout: 10_000 });
      assert.equal(await page.getByTestId("invite-server").textContent(), services.companion.address);
      assert.equal(await page.getByTestId("invite-link").inputValue(), link);
      assert.equal(await page.getByTestId("token").isVisible(), false, "the token waits under Advanced");
      await axeCheck(page, "sign-in with an invite link");
      await shot(page, "admin-join-en");
      await page.getByTestId("invite-name").fill("Nora Newcomer");
      await page.getByTestId("invite-email").fill("nora@e2e.test");
      await page.getByTestId("btn-sign-in").click();
      await page.getByTestId("whoami").waitFor({ timeout: 10_000 });
      assert.match(await page.getByTestId("whoami").textContent(), /Nora Newcomer \(nora@e2e\.test\) · E2E/);
      assert.equal(await page.getByTestId("role").textContent(), "member");
      // A member sees the connection's status and the account, nothing else
      // (and the Import page: any member may import).
      assert.deepEqual(await page.locator("nav.sections a").allTextContents(), ["Connection", "Account", "Import candidates"]);
      await page.locator('[data-testid="status-pill"][data-health="healthy"]').waitFor();
      assert.equal(await page.getByTestId("btn-test").count(), 0);
      assert.equal(await page.getByTestId("checklist").count(), 0);
      assert.equal(await page.getByTestId("providers").count(), 0);
      await axeCheck(page, "member");
      await shot(page, "admin-member-en");
      // The used code is spent: the same link does not sign in twice.
      const again = await json(`${services.companion.address}/v1/invites/${code}/accept`, {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "x@e2e.test", name: "X" }),
      });
      assert.equal(again.status, 404);
      // A pasted link works the same way.
      const other = await launchBrowser({ port: server.port });
      const page2 = await openOptions(other.context);
      await page2.getByTestId("invite-link").fill("https://example.com/not-a-join-link");
      await page2.getByText("This is not a Sourcebar invite link").waitFor();
      await page2.getByTestId("invite-link").fill(`${services.companion.address}/join#code=abc123`);
      assert.equal(await page2.getByTestId("invite-server").textContent(), services.companion.address);
      await page2.getByTestId("advanced-toggle").click();
      assert.equal(await page2.getByTestId("invite-code").inputValue(), "abc123");
      assert.equal(await page2.getByTestId("companion-url").inputValue(), services.companion.address);
      await other.close();
    } finally {
      await newcomer.close();
    }
  });
  test("an admin asks the ATS admin with a link that opens that provider's form alone, then revokes it", async () => {
    const page = await openOptions(admin.context, "#connection");
    await page.locator('[data-testid="provider-card"][data-provider="jazzhr"]').click();
    await page.getByTestId("btn-make-connect-link").click();
    const field = page.getByTestId("connect-link");
    await field.waitFor();
    const url = await field.inputValue();
    assert.match(url, new RegExp(`^${services.companion.address}/connect/cl_[A-Za-z0-9_-]+$`));
    await page.getByTestId("open-connect-link").waitFor();
    await shot(page, "admin-connect-link-en");

    // What the ATS admin opens: the one provider's form, nothing of the team's.
    const ats = await admin.context.newPage();
    await ats.goto(url);
    await ats.getByTestId("connect-link-form").waitFor();
    assert.match(await ats.locator("h1").textContent(), /^Connect JazzHR to E2E’s Sourcebar$/);
    assert.equal(await ats.locator('input[name="api_key"][type="password"]').count(), 1);
    await shot(ats, "connect-link-page-en");

    await page.getByTestId("btn-revoke-connect-link").first().click();
    await page.getByTestId("open-connect-link").waitFor({ state: "detached" });
    await ats.reload();
    assert.match(await ats.getByTestId("notice").textContent(), /ask the person who sent it for a new one/i);
    await ats.close();
    await page.close();
  });

  test("each section is reachable by its link and passes axe", async () => {
    for (const [section, lang] of [["connection", "en"], ["team", "en"], ["activity", "en"], ["account", "en"],
      ["connection", "fr"], ["team", "fr"], ["activity", "fr"], ["account", "fr"]]) {
      await storeSettings(admin.context, { "sourcebar.lang": lang });
      const page = await openOptions(admin.context, `#${section}`);
      await page.getByTestId(`section-${section}`).waitFor({ timeout: 10_000 });
      await expectAttribute(page.getByTestId(`nav-${section}`), "aria-current", "page");
      for (const other of ["connection", "team", "activity", "account"].filter((s) => s !== section)) {
        assert.equal(await page.getByTestId(`section-${other}`).count(), 0, `${other} is not shown on #${section}`);
      }
      if (section === "account") {
        await page.locator('[data-testid="shortcut"] kbd').waitFor();
        assert.match(await page.getByTestId("shortcut").textContent(), /Alt\+Shift\+S/);
      }
      if (section === "activity") await page.getByTestId("audit-entry").first().waitFor();
      await axeCheck(page, `#${section} (${lang})`);
      await shot(page, `admin-${section}-${lang}`);
      // The tabs move between sections without a reload.
      await page.getByTestId("nav-account").click();
      await page.getByTestId("section-account").waitFor();
      await page.close();
    }
    await storeSettings(admin.context, { "sourcebar.lang": "en" });
  });
});
