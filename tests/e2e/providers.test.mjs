// Every emulated provider, the whole path in Chromium as a team meets it:
// a wrong key refused in words (English and French) with nothing stored,
// as are an address of another service or a wrong account name, a key
// lacking one permission and refused OAuth client credentials,
// connect in the options page with the form the provider's fields build,
// the first sync, the sidebar's verdict for people already in the ATS (by
// their LinkedIn URL; by the email on their contact info; by a misspelled
// name), an upload into a job, a merge.
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

    const inViewport = async (page, locator) => {
      const box = await locator.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= page.viewportSize().height;
    };

    /** Opens the options page on this provider's connect form, filled for the sandbox with `key`. */
    const connectForm = async (key) => {
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
      await page.getByTestId("conn-key").fill(key);
      return page;
    };

    test("a wrong key is refused in words, in English and in French, and nothing is stored", async () => {
      const refusals = { en: /The ATS refused this API key\./, fr: /L’ATS a refusé cette clé d’API\./ };
      for (const [lang, words] of Object.entries(refusals)) {
        await storeSettings(browser.context, { "sourcebar.lang": lang });
        const page = await connectForm("wrong-key-0000000001");
        await page.getByTestId("btn-connect").click();
        const toast = page.locator('[data-testid="toast"][data-code="invalid_key"]');
        await toast.waitFor({ timeout: 15_000 });
        assert.match(await toast.textContent(), words);
        // Said where the admin is looking: beside the form, not at the page's top.
        assert.ok(await toast.isVisible() && await inViewport(page, toast), `${lang} refusal in view`);
        await screenshot(page, `provider-${provider}-wrong-key-${lang}`);
        assert.deepEqual((await api("/v1/connections")).body, [], `no ${provider} connection stored`);
        await page.close();
      }
      await storeSettings(browser.context, { "sourcebar.lang": "en" });
    });

    /** Clicks Connect and waits for the refusal beside a field (its name) or in the toast. */
    const refusedAt = async (page, selector) => {
      await page.getByTestId("btn-connect").click();
      const said = page.locator(selector).first();
      await said.waitFor({ timeout: 15_000 });
      assert.ok(await said.isVisible() && await inViewport(page, said), `${selector} in view`);
      return said;
    };

    const nothingStored = async () =>
      assert.deepEqual((await api("/v1/connections")).body, [], `no ${provider} connection stored`);

    const providerName = async () =>
      (await api("/v1/providers")).body.find((p) => p.id === provider).name;

    test("an address that does not answer like the ATS is refused beside the field to check, in English and in French", async () => {
      const name = await providerName();
      const words = {
        en: new RegExp(`This address does not answer like ${name}\\. Check (the base URL|“[^”]+” and the base URL)\\.`),
        fr: new RegExp(`Cette adresse ne répond pas comme ${name}\\. Vérifiez (l’URL de base|« [^»]+ » et l’URL de base)\\.`),
      };
      let field;
      for (const [lang, expected] of Object.entries(words)) {
        await storeSettings(browser.context, { "sourcebar.lang": lang });
        const page = await connectForm(ATS_KEY);
        // Another service: the sandbox's server, off its API's path.
        await page.getByTestId("conn-url").fill(`${services.sandbox.address}/not-the-api`);
        const said = await refusedAt(page, '[data-testid^="conn-error-"]');
        assert.match(await said.textContent(), expected);
        field = (await said.getAttribute("data-testid")).replace("conn-error-", "");
        await screenshot(page, `provider-${provider}-not-this-ats-${lang}`);
        await nothingStored();
        await page.close();
      }
      await storeSettings(browser.context, { "sourcebar.lang": "en" });
      if (field === "base_url") return;
      // The setting that names the account (Workable's subdomain), wrong at
      // the right address: refused beside it.
      const page = await connectForm(ATS_KEY);
      await page.getByTestId(`conn-setting-${field}`).fill("not-this-account");
      const said = await refusedAt(page, `[data-testid="conn-error-${field}"]`);
      assert.match(await said.textContent(), words.en);
      await screenshot(page, `provider-${provider}-wrong-${field}`);
      await nothingStored();
      await page.close();
    });

    test("a key lacking one permission is refused naming it, in English and in French", async (t) => {
      const info = (await json(`${services.sandbox.address}/_sandbox/info`)).body;
      if (!info.read_permission) return t.skip("this ATS's keys carry no separate permissions");
      const permission = `${services.sandbox.address}/_sandbox/permissions/${encodeURIComponent(info.read_permission)}`;
      await fetch(permission, { method: "DELETE" });
      try {
        const words = { en: ["The API key lacks the permission “", "Ask your ATS admin to add it."], fr: ["la permission « ", "Demandez à l’administrateur de votre ATS de l’ajouter."] };
        for (const [lang, parts] of Object.entries(words)) {
          await storeSettings(browser.context, { "sourcebar.lang": lang });
          const page = await connectForm(ATS_KEY);
          const said = await refusedAt(page, '[data-testid="conn-error-api_key"]');
          const text = await said.textContent();
          for (const part of [...parts, info.read_permission]) assert.ok(text.includes(part), `${text} has ${part}`);
          await screenshot(page, `provider-${provider}-lacks-permission-${lang}`);
          await nothingStored();
          await page.close();
        }
      } finally {
        await fetch(permission, { method: "PUT" });
        await storeSettings(browser.context, { "sourcebar.lang": "en" });
      }
    });

    test("OAuth client credentials the ATS refuses are refused in words, and nothing is stored", async (t) => {
      const fields = (await api("/v1/providers")).body.find((p) => p.id === provider).fields;
      if (!fields.some((f) => f.name === "client_id")) return t.skip("no OAuth client credentials in this ATS's form");
      const page = await connectForm(ATS_KEY);
      await page.getByTestId("conn-setting-client_id").fill("not-a-client-of-this-ats");
      const said = await refusedAt(page, '[data-testid="toast"][data-code="invalid_key"]');
      assert.match(await said.textContent(), /The ATS refused this API key\./);
      await screenshot(page, `provider-${provider}-oauth-refused`);
      await nothingStored();
      await page.close();
    });

    test("an admin connects with the provider's own form, and the first sync completes", async () => {
      const page = await connectForm(ATS_KEY);
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

    test("the sidebar knows a person already in the ATS by the email on their contact info", async () => {
      // Jane Doe's record has her email and no LinkedIn URL: only the email ties them.
      const { page, frame } = await openProfile("/in/jane-doe/overlay/contact-info/");
      await verdictIs(frame, "exact");
      await primaryIs(frame, "merge");
      const card = frame.getByTestId("match").first();
      assert.equal(await card.getAttribute("data-confidence"), "same");
      const words = await card.textContent();
      assert.match(words, /Jane Doe/);
      assert.match(words, /✓ same email/);
      await screenshot(page, `provider-${provider}-exact-email`);
      await page.close();
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
