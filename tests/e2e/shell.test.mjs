// The extension's shell around the sidebar, in Chromium with the real
// extension: the minimised pill (word, accessible name, drag, remembered
// place), the toolbar button (verdict per tab, click), the invite link's join
// page, and LinkedIn's contact-info dialog read again for the same person.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { clickSidebarTab, inSidebarShadow, pillBox, pillState } from "./closed-shadow.mjs";
import { join } from "node:path";
import { SHOTS, extensionId, launchBrowser, screenshot, sidebarFrame, startFixtureServer } from "./harness.mjs";

const SHORTCUT = "Alt+Shift+S";
/** A host a test maps onto the fixture server, standing in for a team's companion. */
const COMPANION_HOST = "sourcebar.e2e.test";

const worker = (context) => context.serviceWorkers()[0];

/** The tab id of `page`, as the background knows it (asked by the page's own sidebar). */
const tabIdOf = async (frame) =>
  (await frame.evaluate(() => chrome.runtime.sendMessage({ type: "sourcebar:which-tab" }))).tabId;

/** What the toolbar button shows for tab `tabId`. */
const toolbar = (context, tabId) => worker(context).evaluate(async (id) => ({
  text: await chrome.action.getBadgeText({ tabId: id }),
  title: await chrome.action.getTitle({ tabId: id }),
  colour: await chrome.action.getBadgeBackgroundColor({ tabId: id }),
}), tabId);

/** Sends a verdict as the sidebar does: from its frame, through the background. */
const sendVerdict = (frame, message) =>
  frame.evaluate((m) => chrome.runtime.sendMessage({ type: "sourcebar:verdict", ...m }), message);

/** Polls `read` until `ok(value)`, then returns the value; fails with the last one seen. */
async function eventually(read, ok, what, timeout = 5_000) {
  const deadline = Date.now() + timeout;
  let seen;
  while (Date.now() < deadline) {
    seen = await read();
    if (ok(seen)) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what}: last seen ${JSON.stringify(seen)}`);
}

/** Saves the whole tab, and a close-up of the pill, under target/e2e/. */
async function pillScreenshots(page, name) {
  await screenshot(page, name);
  const box = await pillBox(page);
  await page.screenshot({
    path: join(SHOTS, `${name}-closeup.png`),
    clip: { x: box.x - 24, y: box.y - 16, width: box.width + 24, height: box.height + 32 },
  });
}

/** Minimises the sidebar as a user does, with its own button. */
async function minimise(page, frame) {
  await frame.getByTestId("btn-collapse").click();
  await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "true");
}

const setStored = (context, items) => worker(context).evaluate((i) => chrome.storage.local.set(i), items);
const collapsed = (page) => page.evaluate(() => document.getElementById("sourcebar-root")?.dataset.collapsed);

const PILL_EN = {
  pending: { icon: "S", word: "…", says: "Checking your ATS…" },
  exact: { icon: "✓", word: "In ATS", says: "In JazzHR · Jane Doe" },
  possible: { icon: "?", word: "Check", says: "Maybe in JazzHR · 2 people to check" },
  none: { icon: "+", word: "New", says: "Not in JazzHR" },
  error: { icon: "!", word: "Error", says: "JazzHR did not answer" },
};
const BADGE = { pending: "…", exact: "✓", possible: "?", none: "", error: "!" };

describe("the shell around the sidebar (Chromium)", () => {
  let server;
  let browser;

  before(async () => {
    server = await startFixtureServer();
    browser = await launchBrowser({ port: server.port, rules: [`MAP ${COMPANION_HOST} 127.0.0.1:${server.port}`] });
    // On a busy machine the extension's service worker may start after the browser.
    if (!browser.context.serviceWorkers().length) {
      await browser.context.waitForEvent("serviceworker", { timeout: 15_000 });
    }
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const open = async (path, { collapse = false } = {}) => {
    await setStored(browser.context, { "sourcebar.collapsed": false });
    const page = await browser.context.newPage();
    await page.goto(`https://www.linkedin.com${path}`);
    const frame = await sidebarFrame(page);
    if (collapse) await minimise(page, frame);
    return { page, frame, tabId: await tabIdOf(frame) };
  };

  test("minimised, the pill says each verdict in a word, with the sidebar's sentence as its name", async () => {
    const { page, frame, tabId } = await open("/in/jane-doe/", { collapse: true });
    await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "true");
    const before = await pillState(page);
    assert.equal(before.verdict, "");
    assert.equal(before.label, "Open Sourcebar");
    // The shortcut is shown in the tooltip (the content script asks the background).
    await eventually(() => pillState(page), (s) => s.title.includes(`Open Sourcebar (${SHORTCUT})`), "the pill's tooltip");
    for (const [verdict, want] of Object.entries(PILL_EN)) {
      // The first page load is the content script's person number 1.
      await sendVerdict(frame, { verdict, navId: 1, label: want.says });
      const pill = await eventually(() => pillState(page), (s) => s.verdict === verdict, `the pill for ${verdict}`);
      assert.equal(pill.icon, want.icon);
      assert.equal(pill.word, want.word);
      assert.equal(pill.label, `${want.says} — Open Sourcebar`);
      // Minimised, an answer is also read out (a live region; a changed label is not).
      const { value: announced } = await inSidebarShadow(page, '[data-testid="pill-status"]', function text() {
        return [this.getAttribute("role"), this.textContent];
      });
      assert.deepEqual(announced, ["status", verdict === "pending" ? "" : want.says]);
      assert.equal(pill.title, `Open Sourcebar (${SHORTCUT})\n${want.says}\nDrag up or down, or use the arrow keys, to move it`);
      const button = await eventually(() => toolbar(browser.context, tabId), (t) => t.title.startsWith(want.says), `the toolbar for ${verdict}`);
      assert.equal(button.text, BADGE[verdict], `badge text for ${verdict}`);
      assert.equal(button.title, `${want.says} — Sourcebar: click or press ${SHORTCUT} to show or hide the panel`);
      await pillScreenshots(page, `30-pill-${verdict}-en`);
    }
    // Without a sentence, the pill and the button say the verdict in their own words.
    await sendVerdict(frame, { verdict: "exact", navId: 1 });
    await eventually(() => pillState(page), (s) => s.label === "Already in your ATS — Open Sourcebar", "the pill without a label");
    assert.match((await toolbar(browser.context, tabId)).title, /^Already in your ATS — Sourcebar/);
    await page.close();
  });

  test("the background passes on only known verdicts for the person on screen, and cleans the sentence", async () => {
    const { page, frame, tabId } = await open("/in/jane-doe/", { collapse: true });
    await sendVerdict(frame, { verdict: "exact", navId: 1, label: "In JazzHR · Jane Doe" });
    await eventually(() => toolbar(browser.context, tabId), (t) => t.text === "✓", "the exact badge");
    // Unknown verdicts, a stale person, a navId that is not a number: ignored.
    await sendVerdict(frame, { verdict: "maybe", navId: 1, label: "no" });
    await sendVerdict(frame, { verdict: "none", navId: 0, label: "an earlier person" });
    await sendVerdict(frame, { verdict: "error", navId: "1", label: "a string navId" });
    await page.waitForTimeout(500);
    assert.equal((await pillState(page)).verdict, "exact");
    assert.equal((await toolbar(browser.context, tabId)).text, "✓");
    // Control characters go, and the sentence stops at 120 characters.
    const long = `In JazzHR\u0000\u0007 · \u202eJane\nDoe ${"x".repeat(300)}`;
    await sendVerdict(frame, { verdict: "possible", navId: 1, label: long });
    const pill = await eventually(() => pillState(page), (s) => s.verdict === "possible", "the possible pill");
    const sentence = pill.label.replace(/ — Open Sourcebar$/, "");
    assert.equal([...sentence].length, 120);
    assert.match(sentence, /^In JazzHR · Jane Doe x+…$/);
    const button = await toolbar(browser.context, tabId);
    assert.ok(button.title.startsWith(sentence), button.title);
    // A web page cannot talk to the content script through window messages.
    await page.evaluate(() => window.postMessage({ type: "sourcebar:verdict", verdict: "none", navId: 1 }, "*"));
    await page.waitForTimeout(300);
    assert.equal((await pillState(page)).verdict, "possible");
    await page.close();
  });

  test("the pill drags up and down, a click still opens, and its place is remembered within the window", async () => {
    const { page } = await open("/in/jane-doe/", { collapse: true });
    await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "true");
    const start = await pillBox(page);
    assert.ok(start.shown);
    // Dragging: press, move 240 px down in steps, release. It moves, and stays minimised.
    const x = start.x + start.width / 2;
    const y = start.y + start.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x, y + 120, { steps: 6 });
    await page.mouse.move(x, y + 240, { steps: 6 });
    await page.mouse.up();
    await page.waitForTimeout(300);
    assert.equal(await collapsed(page), "true", "a drag must not open the panel");
    const moved = await pillBox(page);
    assert.ok(Math.abs(moved.y - (start.y + 240)) <= 2, `the pill moved to ${moved.y}, wanted ${start.y + 240}`);
    const stored = await worker(browser.context).evaluate(() => chrome.storage.local.get("sourcebar.pillTop"));
    assert.equal(stored["sourcebar.pillTop"], Math.round(moved.y));
    await screenshot(page, "31-pill-dragged");
    // The arrow keys move it too (dragging is not the only way).
    await inPillFocus(page);
    await page.keyboard.press("ArrowUp");
    await eventually(() => pillBox(page), (b) => Math.abs(b.y - (moved.y - 24)) <= 1, "the pill after ArrowUp");
    await page.keyboard.press("ArrowDown");
    await eventually(() => pillBox(page), (b) => Math.abs(b.y - moved.y) <= 1, "the pill after ArrowDown");
    // Remembered: after a reload it is where it was left.
    await page.reload();
    await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "true");
    const again = await pillBox(page);
    assert.ok(Math.abs(again.y - moved.y) <= 1, `after a reload the pill is at ${again.y}, was ${moved.y}`);
    // A click without movement opens the panel.
    await clickSidebarTab(page);
    assert.equal(await collapsed(page), "false");
    // A place outside a smaller window is brought back inside it.
    await setStored(browser.context, { "sourcebar.pillTop": 5000, "sourcebar.collapsed": true });
    await page.reload();
    await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "true");
    const clamped = await pillBox(page);
    const viewport = page.viewportSize();
    assert.ok(clamped.y >= 0 && clamped.y + clamped.height <= viewport.height, `the pill at ${clamped.y} is off screen`);
    await setStored(browser.context, { "sourcebar.pillTop": 96 });
    await page.close();
  });

  test("the toolbar button shows each tab's verdict, and forgets it on in-page navigation", async () => {
    const one = await open("/in/spa-one/");
    const jane = await open("/in/jane-doe/");
    assert.notEqual(one.tabId, jane.tabId);
    await sendVerdict(one.frame, { verdict: "exact", navId: 1, label: "In JazzHR · Sam Onne" });
    await sendVerdict(jane.frame, { verdict: "possible", navId: 1, label: "Maybe in JazzHR · Jane Doe" });
    await eventually(() => toolbar(browser.context, one.tabId), (t) => t.text === "✓", "tab one's badge");
    await eventually(() => toolbar(browser.context, jane.tabId), (t) => t.text === "?", "Jane's tab's badge");
    assert.match((await toolbar(browser.context, one.tabId)).title, /^In JazzHR · Sam Onne — /);
    assert.match((await toolbar(browser.context, jane.tabId)).title, /^Maybe in JazzHR · Jane Doe — /);
    const idle = `Sourcebar: show or hide the panel on a LinkedIn profile (${SHORTCUT}); settings elsewhere`;

    // LinkedIn moves to the next person in the page: the verdict goes at once.
    await one.page.bringToFront();
    await one.page.click("#go-second");
    const cleared = await eventually(() => toolbar(browser.context, one.tabId), (t) => t.text === "", "the badge after navigation");
    assert.equal(cleared.title, idle);
    // A late answer about the previous person never comes back.
    await sendVerdict(one.frame, { verdict: "exact", navId: 1, label: "In JazzHR · Sam Onne" });
    await one.page.waitForTimeout(500);
    assert.equal((await toolbar(browser.context, one.tabId)).text, "");
    // The next person's verdict shows.
    await sendVerdict(one.frame, { verdict: "error", navId: 2, label: "JazzHR did not answer" });
    await eventually(() => toolbar(browser.context, one.tabId), (t) => t.text === "!", "the next person's badge");
    // The other tab kept its own.
    assert.equal((await toolbar(browser.context, jane.tabId)).text, "?");
    // Leaving profiles (the feed, in the page): nothing is shown.
    await one.page.click("#go-feed");
    await one.page.locator("#sourcebar-root").waitFor({ state: "detached", timeout: 5_000 });
    const left = await eventually(() => toolbar(browser.context, one.tabId), (t) => t.text === "", "the badge on the feed");
    assert.equal(left.title, idle);
    await one.page.close();
    await jane.page.close();
  });

  test("a click on the toolbar button shows or hides the panel on a profile, and opens the settings elsewhere", async () => {
    const id = await extensionId(browser.context);
    const { page, tabId } = await open("/in/jane-doe/");
    const click = (tab) => worker(browser.context).evaluate((t) => globalThis.onToolbarClick(t), tab);
    assert.equal(await click({ id: tabId }), "toggled");
    await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "true");
    assert.equal(await click({ id: tabId }), "toggled");
    await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "false");

    // The feed has no panel: the click opens the settings.
    const feed = await browser.context.newPage();
    await feed.goto("https://www.linkedin.com/feed/");
    await feed.bringToFront();
    const [feedTab] = await worker(browser.context).evaluate(() => chrome.tabs.query({ active: true, lastFocusedWindow: true }));
    const [options] = await Promise.all([
      browser.context.waitForEvent("page", { timeout: 10_000 }),
      click({ id: feedTab.id }),
    ]);
    await options.waitForURL(`chrome-extension://${id}/options.html`);
    await options.close();
    await feed.close();
    await page.close();
  });

  test("a click on the toolbar button on a team's join page opens the settings with the invite", async () => {
    const id = await extensionId(browser.context);
    const join = await browser.context.newPage();
    const link = `https://${COMPANION_HOST}/join#code=inv_4Fq9-x2Z`;
    await join.goto(link);
    await join.getByText("Click the Sourcebar icon").waitFor();
    await join.bringToFront();
    // Chromium gives the button's click the tab with its URL (activeTab);
    // a test cannot click the toolbar, so it hands the handler that tab.
    const [tab] = await worker(browser.context).evaluate(() => chrome.tabs.query({ active: true, lastFocusedWindow: true }));
    assert.equal(tab.url, undefined, "without a click the background must not see the tab's address");
    const [options, outcome] = await Promise.all([
      browser.context.waitForEvent("page", { timeout: 10_000 }),
      worker(browser.context).evaluate((t) => globalThis.onToolbarClick(t), { ...tab, url: join.url() }),
    ]);
    assert.equal(outcome, "invite");
    await options.waitForLoadState("domcontentloaded");
    assert.equal(options.url(), `chrome-extension://${id}/options.html#invite=${encodeURIComponent(link)}`);
    await options.close();
    // A join page without a code, or another page on that host, is no invite.
    for (const other of [`https://${COMPANION_HOST}/join`, `https://${COMPANION_HOST}/join?x=1#code=abcd`, `https://${COMPANION_HOST}/joint#code=abcd`]) {
      const [plain, result] = await Promise.all([
        browser.context.waitForEvent("page", { timeout: 10_000 }),
        worker(browser.context).evaluate((t) => globalThis.onToolbarClick(t), { id: tab.id, url: other }),
      ]);
      assert.equal(result, "options", other);
      await plain.waitForURL(`chrome-extension://${id}/options.html`);
      await plain.close();
    }
    await join.close();
  });

  test("“Open contact info” clicks LinkedIn's own link, and the dialog's email reaches the sidebar", async () => {
    const { page, frame } = await open("/in/jane-doe/");
    await frame.getByTestId("profile-name").waitFor();
    assert.equal(await frame.inputValue('[data-testid="field-email"]'), "");
    // Nothing opens the dialog by itself, and the page cannot ask for it.
    await page.evaluate(() => window.postMessage({ type: "sourcebar:open-contact-info" }, "*"));
    await page.waitForTimeout(700);
    assert.equal(new URL(page.url()).pathname, "/in/jane-doe/");
    assert.equal(await page.locator("[role=dialog]").count(), 0);
    // Listen, in the sidebar's frame, to what the content script sends from now on.
    await frame.evaluate(() => {
      window.__captures = [];
      chrome.runtime.onMessage.addListener((m) => {
        if (m && m.type === "sourcebar:profile") window.__captures.push({ navId: m.navId, overlay: m.overlay || "" });
      });
    });
    // What the sidebar's "Open contact info" sends, through the background.
    await frame.evaluate(() => chrome.runtime.sendMessage({ type: "sourcebar:open-contact-info" }));
    await page.waitForURL("https://www.linkedin.com/in/jane-doe/overlay/contact-info/");
    await page.locator("[role=dialog] .ci-email").waitFor();
    // The same person (same navId) again, once the dialog's details arrived;
    // the dialog's mutations are read after they settle, not one by one.
    const captures = await eventually(
      () => frame.evaluate(() => window.__captures),
      (c) => c.some((x) => x.overlay.includes("mailto:Jane.Doe@Example.com")),
      "a capture with the dialog's email",
    );
    assert.ok(captures.every((c) => c.navId === 1), JSON.stringify(captures.map((c) => c.navId)));
    assert.ok(captures.length <= 3, `${captures.length} captures for one dialog`);
    // The same person, now with the email the dialog shows.
    await frame.waitForFunction(() => {
      const field = document.querySelector('[data-testid="field-email"]');
      return field && field.value === "jane.doe@example.com";
    }, null, { timeout: 5_000 });
    assert.match(await frame.getByTestId("profile-name").textContent(), /Jane Doe/);
    await screenshot(page, "32-contact-info-read-again");
    await page.close();
  });

  test("a dialog without an email leaves the email empty and the person in place", async () => {
    const { page, frame } = await open("/in/eve-adams/");
    await frame.getByTestId("profile-name").waitFor();
    await frame.evaluate(() => chrome.runtime.sendMessage({ type: "sourcebar:open-contact-info" }));
    await page.waitForURL("https://www.linkedin.com/in/eve-adams/overlay/contact-info/");
    await page.locator("[role=dialog] .ci-vanity-url").waitFor();
    await page.waitForTimeout(800);
    assert.equal(await frame.inputValue('[data-testid="field-email"]'), "");
    assert.match(await frame.getByTestId("profile-name").textContent(), /Eve <img src=x onerror=alert\(1\)> Adams/);
    await page.close();
  });
});

/** Gives the pill keyboard focus (as Tab would; a click would open the panel). */
async function inPillFocus(page) {
  const { value } = await inSidebarShadow(page, '[data-testid="sidebar-tab"]', function focus() {
    this.focus();
    return this.matches(":focus");
  });
  assert.ok(value, "the pill takes the keyboard focus");
}

describe("a French browser (Chromium)", () => {
  test("the pill and the toolbar button speak French", async () => {
    const server = await startFixtureServer();
    const browser = await launchBrowser({ port: server.port, lang: "fr-FR" });
    try {
      const page = await browser.context.newPage();
      await page.goto("https://www.linkedin.com/in/jane-doe/");
      const frame = await sidebarFrame(page);
      await minimise(page, frame);
      const tabId = await tabIdOf(frame);
      const words = {
        pending: ["…", "Vérification dans votre ATS…"],
        exact: ["Dans l’ATS", "Dans JazzHR · Jane Doe"],
        possible: ["À vérifier", "Peut-être dans JazzHR · 2 personnes à vérifier"],
        none: ["Nouveau", "Pas dans JazzHR"],
        error: ["Erreur", "JazzHR n’a pas répondu"],
      };
      for (const [verdict, [word, says]] of Object.entries(words)) {
        await sendVerdict(frame, { verdict, navId: 1, label: says });
        const pill = await eventually(() => pillState(page), (s) => s.verdict === verdict, `the pill for ${verdict}`);
        assert.equal(pill.word, word);
        assert.equal(pill.label, `${says} — Ouvrir Sourcebar`);
        assert.equal(pill.title, `Ouvrir Sourcebar (${SHORTCUT})\n${says}\nGlissez vers le haut ou le bas, ou utilisez les flèches, pour le déplacer`);
        const button = await eventually(() => toolbar(browser.context, tabId), (t) => t.title.startsWith(says), "the toolbar title");
        assert.equal(button.title, `${says} — Sourcebar : cliquez ou appuyez sur ${SHORTCUT} pour afficher ou masquer le panneau`);
        await pillScreenshots(page, `30-pill-${verdict}-fr`);
      }
      await page.close();
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
