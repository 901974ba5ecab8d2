// The core path in Firefox ESR with the real built extension (dist/firefox),
// the real companion and the JazzHR sandbox: sign in on the options page, see
// the verdict on a LinkedIn profile (in the sidebar, on the minimised pill and
// on the toolbar button, which a click also drives), upload a new candidate.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { By } from "selenium-webdriver";
import { startFixtureServer } from "./harness.mjs";
import { json, startServices } from "./services.mjs";
import {
  FIREFOX, clickToolbarButton, enterSidebar, firefoxScreenshot, geckodriverPath, launchFirefox, startLinkedInProxy,
  toolbarButton, versionOf, waitFor,
} from "./firefox.mjs";

const ATS_KEY = "e2e-firefox-jazzhr-key-0042";

const sandboxRecords = async (services, email) =>
  (await json(`${services.sandbox.address}/_sandbox/candidates?email=${encodeURIComponent(email)}`)).body;

describe("Firefox ESR with the real extension, companion and sandbox", () => {
  let server;
  let proxy;
  let services;
  let firefox;

  before(async () => {
    server = await startFixtureServer();
    proxy = await startLinkedInProxy(server.port);
    services = await startServices({
      atsKey: ATS_KEY, seed: 50, team: "Firefox", adminEmail: "admin@firefox.test", adminName: "Fay Fox",
    });
    // chrome: the toolbar button is read and clicked in the browser's own context.
    firefox = await launchFirefox({ proxyPort: proxy.port, chrome: true });
    console.log(`# ${versionOf(FIREFOX)}; ${versionOf(geckodriverPath())}`);
  });

  after(async () => {
    await firefox?.close();
    await services?.stop();
    await proxy?.close();
    await server?.close();
  });

  test("the sidebar's settings button opens the options page, where a token signs in", async () => {
    const { driver, base } = firefox;
    // WebDriver may not navigate a tab to moz-extension:// pages; a user
    // goes there from the sidebar's "not connected" notice anyway.
    await driver.get("https://www.linkedin.com/in/jane-doe/");
    await enterSidebar(driver);
    const notice = await waitFor(driver, '[data-testid="not-connected"]');
    const profileTab = await driver.getWindowHandle();
    await notice.findElement(By.css("button")).click();
    const optionsTab = await driver.wait(async () => {
      const handles = await driver.getAllWindowHandles();
      return handles.find((h) => h !== profileTab);
    }, 10_000, "the options page never opened");
    await driver.switchTo().window(optionsTab);
    await driver.wait(async () => (await driver.getCurrentUrl()).startsWith(base), 10_000);
    assert.equal(await driver.getCurrentUrl(), `${base}/options.html`);
    // A token and the server's address are under "Advanced" (an invite link is the usual way in).
    await (await waitFor(driver, '[data-testid="advanced-toggle"]')).click();
    const url = await waitFor(driver, '[data-testid="companion-url"]');
    await url.clear();
    await url.sendKeys(services.companion.address);
    await (await waitFor(driver, '[data-testid="token"]')).sendKeys(services.adminToken);
    await (await waitFor(driver, '[data-testid="btn-sign-in"]')).click();
    const whoami = await waitFor(driver, '[data-testid="whoami"]');
    assert.match(await whoami.getText(), /admin@firefox\.test/);
    await firefoxScreenshot(driver, "firefox-01-options");
    await driver.close();
    await driver.switchTo().window(profileTab);
  });

  test("shows the verdict for a known candidate on a real LinkedIn URL", async () => {
    const { driver } = firefox;
    await driver.get("https://www.linkedin.com/in/jane-doe/overlay/contact-info/");
    assert.equal(await driver.getCurrentUrl(), "https://www.linkedin.com/in/jane-doe/overlay/contact-info/");
    await enterSidebar(driver);
    const verdict = await waitFor(driver, '[data-testid="verdict"][data-verdict="exact"]', 15_000);
    assert.match(await verdict.getText(), /In JazzHR · Jane Doe/);
    await waitFor(driver, '[data-testid="primary-action"][data-action="merge"]');
    assert.match(await driver.findElement(By.css('[data-testid="match"]')).getText(), /same email/);
    // The sidebar told the content script (its minimised pill) too, through
    // the extension's messaging. The host's shadow root is closed to the page;
    // WebDriver still reaches it, as a user's eyes would.
    await driver.switchTo().defaultContent();
    const host = await driver.findElement(By.css("#sourcebar-root"));
    assert.equal(await driver.executeScript("return arguments[0].shadowRoot", host), null, "the page cannot open the root");
    const pill = await (await host.getShadowRoot()).findElement(By.css('[data-testid="sidebar-tab"]'));
    const pillSays = () => driver.executeScript(
      "return [arguments[0].dataset.verdict, arguments[0].textContent, arguments[0].getAttribute('aria-label')]", pill,
    );
    await driver.wait(async () => (await pillSays())[0] === "exact", 5_000, "the pill never showed the exact verdict");
    const [, text, label] = await pillSays();
    assert.equal(text, "✓In ATS");
    assert.match(label, /— Open Sourcebar$/);
    // The toolbar button shows it for this tab, with the shortcut in its title.
    const waitForButton = (ok, what) => driver.wait(async () => ok(await toolbarButton(driver)), 5_000, what);
    await waitForButton((b) => b.text === "✓", "the toolbar badge never showed the exact verdict");
    assert.match((await toolbarButton(driver)).title, / — Sourcebar: click or press Alt\+Shift\+S to show or hide the panel$/);
    // A click on the toolbar button minimises the panel to its pill, and opens it again.
    const collapsed = () => driver.executeScript("return document.getElementById('sourcebar-root').dataset.collapsed");
    await clickToolbarButton(driver);
    await driver.wait(async () => (await collapsed()) === "true", 5_000, "the toolbar click did not minimise the panel");
    await firefoxScreenshot(driver, "firefox-02b-pill-exact");
    await clickToolbarButton(driver);
    await driver.wait(async () => (await collapsed()) === "false", 5_000, "the toolbar click did not open the panel");
    await firefoxScreenshot(driver, "firefox-02-exact");
  });

  test("the toolbar badge follows in-page navigation to the next person", async () => {
    const { driver } = firefox;
    await driver.get("https://www.linkedin.com/in/spa-one/");
    await enterSidebar(driver);
    await waitFor(driver, '[data-testid="verdict"][data-verdict="possible"]', 15_000);
    await driver.switchTo().defaultContent();
    await driver.wait(async () => (await toolbarButton(driver)).text === "?", 5_000, "no possible badge");
    const possibleTitle = (await toolbarButton(driver)).title;
    // LinkedIn's in-page navigation: the content script's message reaches the
    // background in Firefox too, and the previous person's verdict goes.
    await driver.findElement(By.css("#go-second")).click();
    await driver.wait(async () => {
      const button = await toolbarButton(driver);
      return button.text === "" && button.title !== possibleTitle;
    }, 5_000, "the previous person's badge stayed");
    // The next person (nobody like them in JazzHR): no badge text, a title that says so.
    await enterSidebar(driver);
    await waitFor(driver, '[data-testid="verdict"][data-verdict="none"]', 15_000);
    await driver.switchTo().defaultContent();
    await driver.wait(async () => /^(New candidate|Not in|New · not in)/.test((await toolbarButton(driver)).title), 5_000, "no title for the new person");
    assert.equal((await toolbarButton(driver)).text, "");
  });

  test("a click on the toolbar button on a join page opens the settings with the invite", async () => {
    const { driver, base } = firefox;
    // The fixture server answers /join as the companion's join page does;
    // the click gives the background the tab's address (activeTab), nothing else does.
    const link = "https://www.linkedin.com/join#code=inv_firefox_42";
    await driver.get(link);
    const joinTab = await driver.getWindowHandle();
    await clickToolbarButton(driver);
    const optionsTab = await driver.wait(async () => {
      const handles = await driver.getAllWindowHandles();
      return handles.find((h) => h !== joinTab);
    }, 10_000, "the options page never opened");
    await driver.switchTo().window(optionsTab);
    await driver.wait(async () => (await driver.getCurrentUrl()).startsWith(base), 10_000);
    assert.equal(await driver.getCurrentUrl(), `${base}/options.html#invite=${encodeURIComponent(link)}`);
    await driver.close();
    await driver.switchTo().window(joinTab);
  });

  test("the verdict picks the primary action: choose on possible matches, a confirmation over an exact one", async () => {
    const { driver } = firefox;
    const primary = async () => (await waitFor(driver, '[data-testid="primary-action"]')).getAttribute("data-action");
    // Possible matches: nothing is primary until a card is chosen.
    await driver.get("https://www.linkedin.com/in/spa-one/");
    await enterSidebar(driver);
    await waitFor(driver, '[data-testid="verdict"][data-verdict="possible"]', 15_000);
    assert.equal(await primary(), "choose");
    assert.match(await (await waitFor(driver, '[data-testid="action-reason"]')).getText(), /Pick the matching profile/);
    await (await waitFor(driver, '[data-testid="match"] .chips')).click();
    await driver.wait(async () => (await primary()) === "merge", 5_000, "choosing a card did not make merge primary");
    await (await waitFor(driver, '[data-testid="btn-none-of-these"]')).click();
    await driver.wait(async () => (await primary()) === "upload", 5_000, "“None of these” did not make upload primary");
    await driver.switchTo().defaultContent();
    await firefoxScreenshot(driver, "firefox-04-possible");
    // An exact match: uploading a second copy waits behind a confirmation.
    await driver.get("https://www.linkedin.com/in/jane-doe/overlay/contact-info/");
    await enterSidebar(driver);
    await waitFor(driver, '[data-testid="verdict"][data-verdict="exact"]', 15_000);
    assert.equal(await primary(), "merge");
    await (await waitFor(driver, '[data-testid="btn-not-same"]')).click();
    const confirm = await waitFor(driver, '[data-testid="confirm"]');
    assert.match(await confirm.getText(), /JazzHR already has Jane Doe/);
    await driver.switchTo().defaultContent();
    await firefoxScreenshot(driver, "firefox-05-confirm");
  });

  test("uploads a new candidate, and the sandbox receives it", async () => {
    const { driver } = firefox;
    const email = "eve.adams@firefox.example";
    assert.deepEqual(await sandboxRecords(services, email), []);
    await driver.get("https://www.linkedin.com/in/eve-adams/");
    await enterSidebar(driver);
    const verdict = await waitFor(driver, '[data-testid="verdict"][data-verdict="none"]', 15_000);
    assert.match(await verdict.getText(), /New · not in JazzHR/);
    await (await waitFor(driver, '[data-testid="field-email"]')).sendKeys(email);
    const upload = await waitFor(driver, '[data-testid="btn-upload"]');
    await driver.wait(() => upload.isEnabled(), 5_000, "the upload button stays disabled");
    await upload.click();
    const result = await waitFor(driver, '[data-testid="upload-result"][data-state="created"]', 15_000);
    await driver.executeScript("arguments[0].scrollIntoView({ block: 'center' })", result);
    const [record, ...more] = await sandboxRecords(services, email);
    assert.equal(more.length, 0);
    assert.equal(record.email, email);
    assert.equal(record.first_name, "Eve");
    await driver.switchTo().defaultContent();
    await firefoxScreenshot(driver, "firefox-03-uploaded");
  });
});
