// The sidebar on LinkedIn profile pages, in Chromium with the real extension.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { clickSidebarTab, inSidebarShadow } from "./closed-shadow.mjs";
import { extensionId, launchBrowser, screenshot, sidebarFrame, startFixtureServer } from "./harness.mjs";

const text = async (frame, testid) =>
  (await frame.locator(`[data-testid="${testid}"]`).first().textContent({ timeout: 10_000 })).trim();

describe("sidebar on LinkedIn profiles", () => {
  let server;
  let browser;

  before(async () => {
    server = await startFixtureServer();
    browser = await launchBrowser({ port: server.port });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const open = async (path) => {
    const page = await browser.context.newPage();
    const dialogs = [];
    page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
    await page.goto(`https://www.linkedin.com${path}`);
    return { page, dialogs };
  };

  test("shows the person on a 2023-layout profile", async () => {
    const { page } = await open("/in/jane-doe/");
    assert.equal(await page.locator("#sourcebar-root").count(), 1);
    const frame = await sidebarFrame(page);
    assert.equal(await text(frame, "profile-name"), "Jane Doe");
    assert.equal(await text(frame, "profile-headline"), "Head of Talent at Acme Robotics | Hiring engineers");
    assert.equal(await text(frame, "profile-company"), "Acme Robotics");
    assert.equal(await text(frame, "profile-url"), "https://www.linkedin.com/in/jane-doe/");
    // The names are on the page: a summary, no inputs. The missing email
    // (required unless the ATS says otherwise) is the one input.
    assert.equal(await frame.locator('[data-testid="field-first-name"]').count(), 0);
    assert.equal(await frame.inputValue('[data-testid="field-email"]'), "");
    await frame.getByTestId("btn-edit").click();
    assert.equal(await frame.inputValue('[data-testid="field-first-name"]'), "Jane");
    assert.equal(await frame.inputValue('[data-testid="field-last-name"]'), "Doe");
    await frame.getByTestId("btn-edit").click();
    await frame.getByTestId("not-connected").waitFor();
    assert.match(await text(frame, "not-connected"), /Connect Sourcebar to your team in Settings/);
    await screenshot(page, "01-profile-2023-layout");
    await page.close();
  });

  test("reads a 2019-layout profile with a particle name and no photo", async () => {
    const { page } = await open("/in/ludwig-van-der-rohe/");
    const frame = await sidebarFrame(page);
    assert.equal(await text(frame, "profile-name"), "Ludwig van der Rohe");
    await frame.getByTestId("btn-edit").click();
    assert.equal(await frame.inputValue('[data-testid="field-first-name"]'), "Ludwig");
    assert.equal(await frame.inputValue('[data-testid="field-last-name"]'), "van der Rohe");
    assert.equal(await text(frame, "profile-company"), "Bauhaus Dessau");
    assert.equal(await frame.locator("img.photo").count(), 0);
    await screenshot(page, "02-profile-2019-layout");
    await page.close();
  });

  test("drops credentials, emoji and pronouns from the form, tolerates missing parts", async () => {
    const { page } = await open("/in/jane-smith-jones/");
    const frame = await sidebarFrame(page);
    await frame.getByTestId("profile-name").waitFor();
    // Empty rows are hidden, not shown blank.
    assert.equal(await frame.getByTestId("profile-headline").count(), 0);
    assert.equal(await frame.getByTestId("profile-company").count(), 0);
    await frame.getByTestId("btn-edit").click();
    assert.equal(await frame.inputValue('[data-testid="field-first-name"]'), "Jane");
    assert.equal(await frame.inputValue('[data-testid="field-last-name"]'), "Smith-Jones");
    await page.close();
  });

  test("reads email and phone only from an opened contact-info overlay", async () => {
    const { page } = await open("/in/jane-doe/overlay/contact-info/");
    const frame = await sidebarFrame(page);
    await frame.getByTestId("profile-name").waitFor();
    // An email read from the page is a summary row, not an input.
    assert.equal(await text(frame, "profile-email"), "jane.doe@example.com");
    assert.equal(await frame.getByTestId("field-email").count(), 0);
    assert.equal(await text(frame, "profile-url"), "https://www.linkedin.com/in/jane-doe/");
    await screenshot(page, "03-contact-info-overlay");
    await page.close();
  });

  test("in-page navigation switches to the next person and never shows the previous one", async () => {
    const { page } = await open("/in/spa-one/");
    const frame = await sidebarFrame(page);
    assert.equal(await text(frame, "profile-name"), "Sam One");
    await page.click("#go-second");
    // The previous person leaves at once: the sidebar waits, then shows the next one.
    await frame.waitForFunction(() => !document.body.textContent.includes("Sam One"), null, { timeout: 5_000 });
    await frame.getByText("Alex Two").waitFor({ timeout: 10_000 });
    assert.equal(await text(frame, "profile-name"), "Alex Two");
    assert.equal(await text(frame, "profile-url"), "https://www.linkedin.com/in/spa-two/");
    assert.equal(await text(frame, "profile-headline"), "Designer at Second GmbH");
    // The stale embedded data about Sam One was not used for Alex.
    await frame.getByTestId("btn-edit").click();
    assert.equal(await frame.inputValue('[data-testid="field-first-name"]'), "Alex");
    await screenshot(page, "04-after-in-page-navigation");
    await page.click("#go-feed");
    await page.locator("#sourcebar-root").waitFor({ state: "detached", timeout: 5_000 });
    await page.close();
  });

  test("a page that is not a profile has no sidebar", async () => {
    const { page } = await open("/feed/");
    await page.waitForTimeout(1_500);
    assert.equal(await page.locator("#sourcebar-root").count(), 0);
    assert.equal(page.frames().filter((f) => f.url().startsWith("chrome-extension://")).length, 0);
    await screenshot(page, "05-feed-no-sidebar");
    await page.close();
  });

  test("markup in a name is shown as text and runs nothing", async () => {
    const { page, dialogs } = await open("/in/eve-adams/");
    const frame = await sidebarFrame(page);
    assert.equal(await text(frame, "profile-name"), "Eve <img src=x onerror=alert(1)> Adams");
    assert.match(await text(frame, "profile-headline"), /<script>window\.pwned=1<\/script>/);
    assert.equal(await frame.locator(".sidebar-app img[src='x']").count(), 0);
    assert.equal(await frame.locator(".sidebar-app script").count(), 0);
    await page.waitForTimeout(500);
    assert.deepEqual(dialogs, []);
    assert.equal(await frame.evaluate(() => window.pwned), undefined);
    await screenshot(page, "06-hostile-name-as-text");
    await page.close();
  });

  test("collapses to a tab, expands, and remembers being collapsed", async () => {
    const { page } = await open("/in/jane-doe/");
    const frame = await sidebarFrame(page);
    await frame.getByTestId("btn-collapse").click();
    await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "true");
    await screenshot(page, "07-collapsed-tab");
    await page.reload();
    await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "true");
    // The tab lives in a closed shadow root: click it where the user would.
    await clickSidebarTab(page);
    await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "false");
    await sidebarFrame(page);
    await screenshot(page, "08-expanded-again");
    await page.close();
  });

  test("the sidebar's host keeps its shadow root closed to the page", async () => {
    const { page } = await open("/in/jane-doe/");
    await sidebarFrame(page);
    // What LinkedIn's own scripts can see from the page's world.
    const seen = await page.evaluate(() => {
      const host = document.getElementById("sourcebar-root");
      return {
        shadowRoot: host.shadowRoot === null ? null : "readable",
        children: host.childElementCount,
        frames: document.querySelectorAll("iframe").length,
      };
    });
    assert.deepEqual(seen, { shadowRoot: null, children: 0, frames: 0 });
    const { mode } = await inSidebarShadow(page, "iframe", function src() { return this.src; });
    assert.equal(mode, "closed");
    await page.close();
  });

  test("the sidebar asks for no token and sends the user to the options page", async () => {
    const { page } = await open("/in/jane-doe/");
    const frame = await sidebarFrame(page);
    await frame.getByTestId("not-connected").waitFor();
    // Only the profile form's fields: nothing to type a token or an address in.
    assert.equal(await frame.locator('input[type="password"], [data-testid="token"], #token').count(), 0);
    assert.equal(await frame.locator('[data-testid="not-connected"] input').count(), 0);
    assert.equal(await frame.locator('[data-testid="companion-url"]').count(), 0);
    const id = await extensionId(browser.context);
    const [options] = await Promise.all([
      browser.context.waitForEvent("page", { timeout: 10_000 }),
      frame.getByTestId("btn-open-settings").click(),
    ]);
    await options.waitForURL(`chrome-extension://${id}/options.html`);
    await options.getByTestId("token").waitFor({ state: "attached" });
    await options.close();
    await page.close();
  });

  test("a stored plain-http companion on another host is refused, with a clear message", async () => {
    const [worker] = browser.context.serviceWorkers();
    await worker.evaluate(() => chrome.storage.local.set({
      "sourcebar.companionUrl": "http://sourcebar.example.com",
      "sourcebar.token": "a-token-that-must-not-travel",
    }));
    try {
      const { page } = await open("/in/jane-doe/");
      const frame = await sidebarFrame(page);
      const notice = frame.getByTestId("not-connected");
      await notice.waitFor();
      assert.equal(await notice.getAttribute("data-problem"), "companion_url_insecure");
      assert.match(await notice.textContent(), /Plain http:\/\/ is allowed only for this computer/);
      // No dedupe was attempted: the sidebar shows no verdict.
      assert.equal(await frame.getByTestId("verdict").count(), 0);
      await screenshot(page, "21-stored-http-companion-refused");
      await page.close();

      const id = await extensionId(browser.context);
      const options = await browser.context.newPage();
      await options.goto(`chrome-extension://${id}/options.html`);
      const problem = options.getByTestId("url-problem");
      await problem.waitFor();
      assert.equal(await problem.getAttribute("data-code"), "companion_url_insecure");
      // Typing another remote http:// address is refused before any request.
      await options.getByTestId("companion-url").fill("http://10.1.2.3:8787");
      await options.getByTestId("token").fill("another-token");
      await options.getByTestId("btn-sign-in").click();
      await options.locator('[data-testid="toast"][data-code="companion_url_insecure"]').waitFor();
      await screenshot(options, "22-options-http-refused");
      const stored = await worker.evaluate(() => chrome.storage.local.get("sourcebar.companionUrl"));
      assert.equal(stored["sourcebar.companionUrl"], "http://sourcebar.example.com");
      await options.close();

      // The same refusal, in French.
      await worker.evaluate(() => chrome.storage.local.set({ "sourcebar.lang": "fr" }));
      const fr = await open("/in/jane-doe/");
      const frNotice = (await sidebarFrame(fr.page)).getByTestId("not-connected");
      await frNotice.waitFor();
      assert.match(await frNotice.textContent(), /Adresse du serveur non sûre/);
      await screenshot(fr.page, "21b-stored-http-companion-refused-fr");
      await fr.page.close();
    } finally {
      await worker.evaluate(() => chrome.storage.local.remove(["sourcebar.companionUrl", "sourcebar.token", "sourcebar.lang"]));
    }
  });

  test("body text renders at the 14 px the stylesheet asks for", async () => {
    const { page } = await open("/in/jane-doe/");
    const frame = await sidebarFrame(page);
    await frame.getByTestId("profile-company").waitFor();
    const sizes = await frame.evaluate(() => Object.fromEntries(
      ["html", "body", ".content", "[data-testid=profile-headline]", "[data-testid=field-email]"].map((s) => {
        const el = document.querySelector(s);
        return [s, el ? getComputedStyle(el).fontSize : null];
      })));
    for (const [selector, size] of Object.entries(sizes)) {
      if (size !== null) assert.equal(size, "14px", `${selector}: ${JSON.stringify(sizes)}`);
    }
    await page.close();
    // The options page shares the base (and Chromium's extension-page style).
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${await extensionId(browser.context)}/options.html`);
    await options.getByTestId("companion-url").waitFor({ state: "attached" });
    assert.equal(await options.evaluate(() => getComputedStyle(document.body).fontSize), "14px");
    await options.close();
  });

  test("the content script makes no request of its own", async () => {
    const before = server.requests.length;
    const { page } = await open("/in/ludwig-van-der-rohe/");
    await sidebarFrame(page);
    await page.waitForTimeout(1_000);
    assert.deepEqual(server.requests.slice(before), ["/in/ludwig-van-der-rohe/"]);
    await page.close();
  });
});

describe("a French browser", () => {
  test("speaks French without any setting", async () => {
    const server = await startFixtureServer();
    const browser = await launchBrowser({ port: server.port, lang: "fr-FR" });
    try {
      const page = await browser.context.newPage();
      await page.goto("https://www.linkedin.com/in/jane-doe/");
      const frame = await sidebarFrame(page);
      await frame.getByTestId("not-connected").waitFor();
      assert.match(await text(frame, "not-connected"), /Connectez Sourcebar à votre équipe dans les Réglages/);
      assert.equal((await frame.locator("label[for='field-email']").textContent()).trim(), "E-mail");
      assert.equal((await frame.getByTestId("btn-edit").textContent()).trim(), "Modifier");
      await screenshot(page, "09-french-browser");
      await page.close();
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
