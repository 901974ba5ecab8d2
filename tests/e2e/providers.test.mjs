// Every emulated provider, the whole path in Chromium as a team meets it:
// connect in the options page with the form the provider's fields build,
// the first sync, the sidebar's verdict for people already in the ATS (by
// their LinkedIn URL; by a misspelled name), an upload into a job, a merge.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, screenshot, sidebarFrame, startFixtureServer } from "./harness.mjs";
import { emulatedProviders, json, startServices } from "./services.mjs";
import { openOptions, primaryIs, storeSettings, verdictIs } from "./steps.mjs";

const ATS_KEY = "e2e-provider-key-000042";
const VIEWPORT = { width: 1366, height: 768 };

for (const provider of emulatedProviders()) {
  describe(`${provider}: connect, first sync, verdicts, upload into a job, merge`, () => {
    let server;
    let services;
    let browser;

    before(async () => {
      server = await startFixtureServer();
      services = await startServices({ atsKey: ATS_KEY, provider, connect: false, seed: 150 });
      browser = await launchBrowser({ port: server.port });
      await storeSettings(browser.context, {
        "sourcebar.companionUrl": services.companion.address,
        "sourcebar.token": services.adminToken,
        "sourcebar.lang": "en",
        "sourcebar.collapsed": false,
      });
    });

    after(async () => {
      await browser?.close();
      await services?.stop();
      await server?.close();
    });

    const api = (path) => json(`${services.companion.address}${path}`, { headers: services.auth });

    const openProfile = async (path) => {
      const page = await browser.context.newPage();
      await page.setViewportSize(VIEWPORT);
      await page.goto(`https://www.linkedin.com${path}`);
      return { page, frame: await sidebarFrame(page) };
    };

    test("an admin connects with the provider's own form, and the first sync completes", async () => {
      const info = (await json(`${services.sandbox.address}/_sandbox/info`)).body;
      assert.equal(info.provider, provider);
      const page = await openOptions(browser.context, "#connection");
      await page.locator(`[data-testid="provider-card"][data-provider="${provider}"]`).click();
      await page.getByTestId("connect-form").waitFor();
      // The key's field says where that ATS keeps it.
      assert.ok((await page.getByTestId("conn-help-api_key").textContent()).trim().length > 10);
      await page.getByTestId("connect-advanced").locator("summary").click();
      await page.getByTestId("conn-url").fill(info.base_url);
      for (const [name, value] of Object.entries(info.settings ?? {})) {
        await page.getByTestId(`conn-setting-${name}`).fill(String(value));
      }
      await page.getByTestId("conn-key").fill(ATS_KEY);
      await screenshot(page, `provider-${provider}-connect`);
      await page.getByTestId("btn-connect").click();
      await page.getByTestId("connection").waitFor({ timeout: 15_000 });
      const [conn] = (await api("/v1/connections")).body;
      assert.equal(conn.provider, provider);
      let sync;
      for (let i = 0; i < 600 && !sync?.complete; i++) {
        sync = (await api(`/v1/connections/${conn.id}/sync`)).body;
        if (!sync.complete) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(sync.complete, JSON.stringify(sync));
      assert.ok(sync.total >= 150, JSON.stringify(sync));
      await page.close();
    });

    const capabilities = async () => (await api("/v1/providers")).body.find((p) => p.id === provider).capabilities;

    test("the sidebar knows people already in the ATS: by their LinkedIn URL, and by a misspelled name", async () => {
      const known = await openProfile("/in/ludwig-van-der-rohe/");
      if ((await capabilities()).link_field) {
        await verdictIs(known.frame, "exact");
        await primaryIs(known.frame, "merge");
      } else {
        // The ATS keeps no LinkedIn URL: found by name, never claimed certain.
        await verdictIs(known.frame, "possible");
      }
      await screenshot(known.page, `provider-${provider}-exact`);
      await known.page.close();

      // "Sam One" on the page, "Sam Onne" in the ATS.
      const misspelled = await openProfile("/in/spa-one/");
      await verdictIs(misspelled.frame, "possible");
      assert.match(await misspelled.frame.getByTestId("match").first().textContent(), /Sam Onne/);
      await misspelled.page.close();
    });

    test("a new person is uploaded into a job", async () => {
      const { page, frame } = await openProfile("/in/eve-adams/");
      await verdictIs(frame, "none");
      await primaryIs(frame, "upload");
      // Asked for only where the ATS requires an email.
      if (await frame.getByTestId("field-email").count()) {
        await frame.getByTestId("field-email").fill(`eve.adams.${provider}@initech.example`);
      }
      // The first real job (the list waits for the verdict).
      await frame.locator('[data-testid="job"] option:not([value=""])').first().waitFor({ state: "attached", timeout: 10_000 });
      const job = await frame.locator('[data-testid="job"] option:not([value=""])').first().getAttribute("value");
      await frame.getByTestId("job").selectOption(job);
      await frame.getByTestId("btn-upload").click();
      await frame.locator('[data-testid="upload-result"][data-state="created"]').waitFor({ timeout: 15_000 });
      await verdictIs(frame, "exact");
      await screenshot(page, `provider-${provider}-uploaded`);
      const records = (await json(`${services.sandbox.address}/_sandbox/candidates?name=${encodeURIComponent("Eve Adams")}`)).body;
      assert.equal(records.length, 1, `one Eve Adams in ${provider}: ${JSON.stringify(records)}`);
      await page.close();
    });

    test("a possible match is merged", async () => {
      const { page, frame } = await openProfile("/in/spa-one/");
      await verdictIs(frame, "possible");
      await frame.getByTestId("match").first().locator(".chips").click();
      await primaryIs(frame, "merge");
      await frame.getByTestId("btn-merge").click();
      await frame.getByTestId("merge-result").waitFor({ timeout: 15_000 });
      const result = await frame.getByTestId("merge-result").textContent();
      assert.match(result, /Merged into Sam Onne/);
      // The link goes where this ATS takes it: the record's field, else the note.
      const caps = await capabilities();
      // Without a job, an ATS that takes neither notes nor links gets nothing, and says so.
      assert.match(result, caps.link_update ? /LinkedIn URL \(on the record\)/
        : caps.notes ? /LinkedIn URL \(as a note\)/ : /Nothing was written: this ATS takes neither notes nor links/);
      await screenshot(page, `provider-${provider}-merged`);
      const merges = (await api("/v1/audit?action=merge")).body;
      assert.equal(merges.length, 1, JSON.stringify(merges));
      await page.close();
    });
  });
}
