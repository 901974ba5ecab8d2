// The sidebar on LinkedIn profile pages, in Chromium with the real extension.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, screenshot, sidebarFrame, startFixtureServer } from "./harness.mjs";

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
    assert.equal(await frame.inputValue('[data-testid="field-first-name"]'), "Jane");
    assert.equal(await frame.inputValue('[data-testid="field-last-name"]'), "Doe");
    assert.equal(await frame.inputValue('[data-testid="field-email"]'), "");
    await frame.getByTestId("not-connected").waitFor();
    assert.match(await text(frame, "not-connected"), /Connect Sourcebar to your team in Settings/);
    await screenshot(page, "01-profile-2023-layout");
    await page.close();
  });

  test("reads a 2019-layout profile with a particle name and no photo", async () => {
    const { page } = await open("/in/ludwig-van-der-rohe/");
    const frame = await sidebarFrame(page);
    assert.equal(await text(frame, "profile-name"), "Ludwig van der Rohe");
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
    assert.equal(await frame.inputValue('[data-testid="field-first-name"]'), "Jane");
    assert.equal(await frame.inputValue('[data-testid="field-last-name"]'), "Smith-Jones");
    assert.equal(await text(frame, "profile-headline"), "");
    assert.equal(await text(frame, "profile-company"), "");
    await page.close();
  });

  test("reads email and phone only from an opened contact-info overlay", async () => {
    const { page } = await open("/in/jane-doe/overlay/contact-info/");
    const frame = await sidebarFrame(page);
    await frame.getByTestId("profile-name").waitFor();
    assert.equal(await frame.inputValue('[data-testid="field-email"]'), "jane.doe@example.com");
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
    const host = page.locator("#sourcebar-root");
    await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "true");
    const tab = host.locator('[data-testid="sidebar-tab"]');
    assert.ok(await tab.isVisible());
    await screenshot(page, "07-collapsed-tab");
    await page.reload();
    await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "true");
    await page.locator("#sourcebar-root").locator('[data-testid="sidebar-tab"]').click();
    await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "false");
    await sidebarFrame(page);
    await screenshot(page, "08-expanded-again");
    await page.close();
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
      assert.equal((await frame.locator("label[for='field-first-name']").textContent()).trim(), "Prénom");
      await screenshot(page, "09-french-browser");
      await page.close();
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
