// The Import screen, in Chromium with the real extension, a real companion
// and the JazzHR sandbox: a CSV with one person already in the ATS, two
// new ones and an unreadable row is checked, the two new ones are uploaded, and the ATS holds
// exactly one record of each; a reload returns to the same import.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { FIXTURES, ROOT, expectAttribute, extensionId, launchBrowser, screenshot, startFixtureServer } from "./harness.mjs";
import { openOptions, storeSettings } from "./steps.mjs";
import { json, startServices } from "./services.mjs";

const ATS_KEY = "e2e-imports-jazzhr-key-0014";
const AXE = readFileSync(join(ROOT, "tests", "node_modules", "axe-core", "axe.min.js"), "utf8");
const CSV = join(FIXTURES, "imports", "people.csv");
const NEW = ["noor.haddad@import-e2e.example", "tobias.kranz@import-e2e.example"];

async function axeCheck(page, label) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(" | ")})`);
  });
  assert.deepEqual(result, [], `${label}: serious or critical accessibility violations`);
}

const inSandbox = async (services, email) =>
  (await json(`${services.sandbox.address}/_sandbox/candidates?email=${encodeURIComponent(email)}`)).body;

describe("the Import screen", () => {
  let server;
  let services;
  let browser;

  before(async () => {
    server = await startFixtureServer();
    services = await startServices({ atsKey: ATS_KEY, seed: 40 });
    browser = await launchBrowser({ port: server.port });
    await storeSettings(browser.context, {
      "sourcebar.companionUrl": services.companion.address, "sourcebar.token": services.adminToken, "sourcebar.lang": "en",
    });
  });

  after(async () => {
    await browser?.close();
    await services?.stop();
    await server?.close();
  });

  test("a CSV is checked, its two new people uploaded once, and a reload returns to it", async () => {
    for (const email of NEW) assert.equal((await inSandbox(services, email)).length, 0, `${email} is not in the ATS yet`);
    // Reached from the settings page.
    const options = await openOptions(browser.context);
    await options.getByTestId("nav-import").click();
    const page = options;
    await page.getByTestId("import-start").waitFor({ timeout: 10_000 });
    assert.match(page.url(), /\/import\.html$/);
    await axeCheck(page, "import form");
    await page.getByTestId("import-files").setInputFiles(CSV);
    await page.getByTestId("btn-check").click();

    // Checked: one exact, two new; the id is in the address.
    await page.locator('[data-testid="import-state"][data-state="ready"]').waitFor({ timeout: 30_000 });
    assert.match(page.url(), /\/import\.html#.+$/);
    await expectAttribute(page.getByTestId("filter-exact"), "data-count", "1");
    await expectAttribute(page.getByTestId("filter-none"), "data-count", "2");
    await expectAttribute(page.getByTestId("filter-invalid"), "data-count", "1");
    const rows = page.getByTestId("import-row");
    assert.equal(await rows.count(), 4);
    assert.equal(await page.locator('[data-testid="import-row"][data-verdict="exact"]').count(), 1);
    assert.match(await page.locator('[data-testid="import-row"][data-verdict="exact"]').textContent(), /Jane Doe/);
    // A cell that looks like HTML is shown as text, with why the row is unreadable.
    const invalid = page.locator('[data-testid="import-row"][data-verdict="invalid"]');
    assert.match(await invalid.textContent(), /<b>Acme<\/b>.*no name, email or profile link/);
    assert.equal(await page.getByTestId("import-rows").locator("b").count(), 0);
    // The filter shows only the new rows.
    await page.getByTestId("filter-none").click();
    await expectAttribute(page.getByTestId("filter-none"), "aria-pressed", "true");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="import-row"]').length === 2);
    assert.equal(await page.locator('[data-testid="import-row"][data-verdict="none"]').count(), 2);
    await axeCheck(page, "import rows");
    await screenshot(page, "import-checked-en");

    // Upload all new: the progress reaches two created.
    await page.getByTestId("btn-upload-all-new").click();
    await page.locator('[data-testid="import-progress"][data-created="2"][data-waiting="0"]').waitFor({ timeout: 30_000 });
    await screenshot(page, "import-uploaded-en");
    for (const email of NEW) assert.equal((await inSandbox(services, email)).length, 1, `${email} uploaded once`);
    assert.equal((await inSandbox(services, "jane.doe@example.com")).length, 1, "the person already there is not uploaded again");

    // Uploading again sends nobody twice.
    await page.getByTestId("btn-upload-all-new").click();
    await new Promise((r) => setTimeout(r, 1500));
    for (const email of NEW) assert.equal((await inSandbox(services, email)).length, 1, `${email} still once`);

    // A reload returns to the same import, in French if asked.
    const url = page.url();
    await storeSettings(browser.context, { "sourcebar.lang": "fr" });
    await page.reload();
    await page.locator('[data-testid="import-progress"][data-created="2"]').waitFor({ timeout: 10_000 });
    assert.equal(page.url(), url);
    await page.getByText("Envoyer tous les nouveaux").waitFor();
    await axeCheck(page, "import (fr)");
    await screenshot(page, "import-uploaded-fr");
    await storeSettings(browser.context, { "sourcebar.lang": "en" });

    // The report, fetched with the token, names every row.
    const id = new URL(url).hash.slice(1);
    const report = await fetch(`${services.companion.address}/v1/imports/${id}/report.csv`, { headers: services.auth });
    assert.equal(report.status, 200);
    const text = await report.text();
    for (const email of [...NEW, "jane.doe@example.com"]) assert.ok(text.includes(email), email);
    const download = page.waitForEvent("download");
    await page.getByTestId("btn-report").click();
    assert.match((await download).suggestedFilename(), /\.csv$/);
    await page.close();
  });

  test("an empty request and a refused file are said in words", async () => {
    const id = await extensionId(browser.context);
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${id}/import.html`);
    await page.getByTestId("btn-check").click();
    await page.getByTestId("import-error").waitFor();
    assert.match(await page.getByTestId("import-error").textContent(), /Choose files or paste links/);
    await page.getByTestId("import-files").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    await page.getByTestId("btn-check").click();
    await page.locator('[data-testid="toast"][data-code="invalid_request"]').waitFor({ timeout: 10_000 });
    assert.ok((await page.getByTestId("import-error").textContent()).length > 0);
    await page.close();
  });
});
