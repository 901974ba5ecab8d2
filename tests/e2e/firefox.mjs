// Firefox harness: Debian's Firefox ESR driven through geckodriver, with the
// built dist/firefox installed as a temporary add-on, and the real LinkedIn
// host names reaching the local HTTPS fixture server through a small proxy.
//
// Why a proxy: Firefox has no pref that maps a host name onto another port,
// and the fixture server must not need privileged port 443. With the proxy
// prefs, Firefox sends `CONNECT www.linkedin.com:443` to us; we tunnel it to
// the fixture server, so the page's origin, and so the manifest's real match
// patterns, are exactly LinkedIn's.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { connect } from "node:net";
import { delimiter, join } from "node:path";
import { Builder, By, until } from "selenium-webdriver";
import firefox from "selenium-webdriver/firefox.js";
import { ROOT, SHOTS } from "./harness.mjs";

export const FIREFOX_EXTENSION = join(ROOT, "dist", "firefox");
export const FIREFOX = process.env.FIREFOX || "/usr/bin/firefox-esr";
const LINKEDIN = /^([a-z0-9-]+\.)*linkedin\.com$/;

/** geckodriver from $GECKODRIVER, $PATH or cargo's bin directory. */
export function geckodriverPath() {
  if (process.env.GECKODRIVER) return process.env.GECKODRIVER;
  const dirs = (process.env.PATH || "").split(delimiter);
  dirs.push(join(process.env.CARGO_HOME || join(process.env.HOME || "/root", ".cargo"), "bin"));
  const found = dirs.map((d) => join(d, "geckodriver")).find((p) => existsSync(p));
  if (!found) throw new Error("geckodriver not found: run ./build.sh (it installs it with cargo install)");
  return found;
}

/**
 * An HTTP proxy that only tunnels `CONNECT <*.linkedin.com>:443` to the
 * fixture server on 127.0.0.1:`port`. Every other host is refused (and
 * remembered), so the browser never reaches the real network.
 */
export async function startLinkedInProxy(port) {
  const refused = [];
  const server = createServer((req, res) => {
    // Plain-HTTP requests through the proxy: LinkedIn is HTTPS-only.
    refused.push(req.url);
    res.writeHead(403).end();
  });
  const tunnels = new Set();
  server.on("connect", (req, client, head) => {
    const [host, targetPort] = req.url.split(":");
    if (!LINKEDIN.test(host) || targetPort !== "443") {
      refused.push(req.url);
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    const upstream = connect(port, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const drop = () => { upstream.destroy(); client.destroy(); };
    upstream.on("error", drop);
    client.on("error", drop);
    tunnels.add(drop);
    client.on("close", () => tunnels.delete(drop));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    port: server.address().port,
    refused,
    close: () => new Promise((ok) => {
      for (const drop of tunnels) drop();
      server.closeAllConnections();
      server.close(ok);
    }),
  };
}

/** The add-on id the Firefox manifest declares. */
function addonId() {
  const manifest = JSON.parse(readFileSync(join(FIREFOX_EXTENSION, "manifest.json"), "utf8"));
  return manifest.browser_specific_settings.gecko.id;
}

/**
 * Starts headless Firefox ESR with dist/firefox installed as a temporary
 * add-on. `proxyPort`: the LinkedIn proxy. Returns the driver, the add-on's
 * moz-extension:// base URL and a close function.
 */
export async function launchFirefox({ proxyPort, lang = "en-US", chrome = false }) {
  if (!existsSync(join(FIREFOX_EXTENSION, "manifest.json"))) {
    throw new Error(`no built extension in ${FIREFOX_EXTENSION}: run ./build.sh first`);
  }
  const id = addonId();
  // A fixed internal UUID, so the test knows the options page's address.
  const uuid = randomUUID();
  const options = new firefox.Options()
    .setBinary(FIREFOX)
    .addArguments("-headless")
    .windowSize({ width: 1280, height: 800 })
    .setAcceptInsecureCerts(true)
    .setPreference("extensions.webextensions.uuids", JSON.stringify({ [id]: uuid }))
    // LinkedIn's hosts: resolved to loopback if ever looked up directly, and
    // sent through the proxy (loopback itself is never proxied, so the
    // companion on 127.0.0.1 is reached directly).
    .setPreference("network.dns.localDomains", "www.linkedin.com,fr.linkedin.com,linkedin.com")
    .setPreference("network.proxy.type", 1)
    .setPreference("network.proxy.ssl", "127.0.0.1")
    .setPreference("network.proxy.ssl_port", proxyPort)
    .setPreference("network.proxy.http", "127.0.0.1")
    .setPreference("network.proxy.http_port", proxyPort)
    .setPreference("network.proxy.allow_hijacking_localhost", false)
    .setPreference("intl.locale.requested", lang)
    .setPreference("intl.accept_languages", lang);
  const service = new firefox.ServiceBuilder(geckodriverPath());
  // The browser's own (chrome) context, where the toolbar button lives.
  if (chrome) service.addArguments("--allow-system-access");
  if (process.env.SOURCEBAR_GECKO_LOG) service.setStdio(["ignore", "inherit", "inherit"]);
  const driver = await new Builder().forBrowser("firefox").setFirefoxOptions(options).setFirefoxService(service).build();
  try {
    const installed = await driver.installAddon(FIREFOX_EXTENSION, true);
    if (installed !== id) throw new Error(`installed add-on ${installed}, expected ${id}`);
  } catch (err) {
    await driver.quit();
    throw err;
  }
  return { driver, base: `moz-extension://${uuid}`, close: () => driver.quit() };
}

/** Waits for `css` in the current frame and returns the element. */
export async function waitFor(driver, css, timeout = 10_000) {
  const element = await driver.wait(until.elementLocated(By.css(css)), timeout, `waiting for ${css}`);
  await driver.wait(until.elementIsVisible(element), timeout, `waiting for ${css} to show`);
  return element;
}

/**
 * Switches the driver into the sidebar's frame on the current page. The
 * sidebar is an iframe inside the content script's shadow root: reached
 * through the root while it is open, else by scanning the page's frames.
 */
export async function enterSidebar(driver, timeout = 15_000) {
  await driver.switchTo().defaultContent();
  const host = await driver.wait(until.elementLocated(By.css("#sourcebar-root")), timeout, "no sidebar host on the page");
  let frame = null;
  try {
    const root = await host.getShadowRoot();
    frame = await root.findElement(By.css("iframe"));
  } catch {
    frame = null;
  }
  if (frame) {
    await driver.switchTo().frame(frame);
  } else {
    await switchToFrameByUrl(driver, (url) => url.startsWith("moz-extension://") && url.includes("/sidebar.html"), timeout);
  }
  await waitFor(driver, ".sidebar-app", timeout);
}

async function switchToFrameByUrl(driver, wanted, timeout) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (let i = 0; ; i++) {
      await driver.switchTo().defaultContent();
      try {
        await driver.switchTo().frame(i);
      } catch {
        break;
      }
      if (wanted(await driver.executeScript("return location.href"))) return;
    }
    await driver.sleep(200);
  }
  await driver.switchTo().defaultContent();
  throw new Error("the sidebar frame never appeared");
}

/** Saves a screenshot of the whole tab under target/e2e/<name>.png. */
export async function firefoxScreenshot(driver, name) {
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, `${name}.png`), Buffer.from(await driver.takeScreenshot(), "base64"));
}

/** The version line of a binary, for the test log. */
export function versionOf(binary) {
  try {
    return execFileSync(binary, ["--version"]).toString().trim().split("\n")[0];
  } catch {
    return `${binary}: unknown version`;
  }
}

/**
 * Runs `script` in the browser's own (chrome) context, where the toolbar
 * lives, with the add-on's toolbar button state as `action` (its per-tab
 * data) and `button` (the browser action); needs `launchFirefox({ chrome: true })`.
 */
async function inToolbar(driver, script) {
  await driver.setContext(firefox.Context.CHROME);
  try {
    return await driver.executeScript(`
      const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
      const extension = ExtensionParent.GlobalManager.getExtension(${JSON.stringify(addonId())});
      const button = ExtensionParent.apiManager.global.browserActionFor(extension);
      const tab = gBrowser.selectedTab;
      ${script}
    `);
  } finally {
    await driver.setContext(firefox.Context.CONTENT);
  }
}

/** The toolbar button's badge text and title for the selected tab. */
export function toolbarButton(driver) {
  return inToolbar(driver, `return {
    text: button.action.getProperty(tab, "badgeText") || "",
    title: button.action.getProperty(tab, "title") || "",
  };`);
}

/**
 * A click on the add-on's toolbar button for the selected tab, as the user's
 * (it grants activeTab and fires action.onClicked).
 */
export function clickToolbarButton(driver) {
  return inToolbar(driver, "button.triggerAction(window); return true;");
}
