// Shared end-to-end harness: a HTTPS fixture server on 127.0.0.1 reached as
// www.linkedin.com, and Debian's Chromium with the real built extension.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { createServer } from "node:https";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, "..", "..");
export const FIXTURES = join(ROOT, "tests", "fixtures");
export const EXTENSION = join(ROOT, "dist", "chrome");
export const SHOTS = join(ROOT, "target", "e2e");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** A throwaway self-signed certificate, made once per run. */
function certificate() {
  const dir = mkdtempSync(join(tmpdir(), "sourcebar-cert-"));
  const key = join(dir, "key.pem");
  const cert = join(dir, "cert.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
    "-subj", "/CN=www.linkedin.com", "-keyout", key, "-out", cert,
  ], { stdio: "ignore" });
  const pair = { key: readFileSync(key), cert: readFileSync(cert) };
  rmSync(dir, { recursive: true, force: true });
  return pair;
}

/** Which fixture file answers a path: `/in/<id>/...` → profiles/<id>.html. */
function fixtureFor(pathname) {
  if (pathname === "/fixture-spa.js") return { file: "fixture-spa.js", type: "text/javascript" };
  const m = pathname.match(/^\/in\/([^/]+)(\/.*)?$/);
  if (m) {
    const id = decodeURIComponent(m[1]).toLowerCase();
    const contact = (m[2] || "").startsWith("/overlay/contact-info");
    const candidates = contact ? [`${id}.contact.html`, `${id}.html`] : [`${id}.html`];
    for (const name of candidates) {
      if (/^[a-z0-9.-]+$/.test(name) && existsSync(join(FIXTURES, "profiles", name))) {
        return { file: join("profiles", name), type: "text/html; charset=utf-8" };
      }
    }
    return null;
  }
  if (pathname === "/feed/" || pathname === "/") return { file: "feed.html", type: "text/html; charset=utf-8" };
  // A stand-in for the companion's join page, on whichever host a test maps here.
  if (pathname === "/join") return { file: "join.html", type: "text/html; charset=utf-8" };
  return null;
}

/** Serves the fixtures over HTTPS on 127.0.0.1 and a free port. */
export async function startFixtureServer() {
  const requests = [];
  const server = createServer(certificate(), (req, res) => {
    const url = new URL(req.url, "https://www.linkedin.com");
    requests.push(url.pathname);
    const found = fixtureFor(url.pathname);
    if (!found) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": found.type, "cache-control": "no-store" });
    res.end(readFileSync(join(FIXTURES, found.file)));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { port: server.address().port, requests, close: () => new Promise((ok) => server.close(ok)) };
}

/**
 * Launches Debian's Chromium, headless, with the built extension loaded and
 * www.linkedin.com mapped onto the fixture server.
 * `rules`: more host-resolver rules; `lang`: the browser's UI language.
 */
export async function launchBrowser({ port, rules = [], lang = "en-US" } = {}) {
  if (!existsSync(join(EXTENSION, "manifest.json"))) {
    throw new Error(`no built extension in ${EXTENSION}: run ./build.sh first`);
  }
  const profileDir = mkdtempSync(join(tmpdir(), "sourcebar-chromium-"));
  const mapping = [`MAP www.linkedin.com 127.0.0.1:${port}`, ...rules].join(", ");
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: false,
    locale: lang,
    viewport: { width: 1280, height: 800 },
    args: [
      "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      `--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`,
      `--host-resolver-rules=${mapping}`, "--ignore-certificate-errors", `--lang=${lang}`,
    ],
    env: { ...process.env, LANGUAGE: lang.replace("-", "_"), LANG: `${lang.replace("-", "_")}.UTF-8` },
  });
  const close = async () => {
    await context.close();
    rmSync(profileDir, { recursive: true, force: true });
  };
  return { context, close };
}

/** The extension's id, read from its background worker. */
export async function extensionId(context) {
  let [worker] = context.serviceWorkers();
  if (!worker) worker = await context.waitForEvent("serviceworker", { timeout: 10_000 });
  return new URL(worker.url()).host;
}

/** The sidebar's frame in `page`, once it has loaded. */
export async function sidebarFrame(page, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const frame = page.frames().find((f) => f.url().startsWith("chrome-extension://") && f.url().includes("sidebar.html"));
    if (frame) {
      await frame.waitForSelector(".sidebar-app", { timeout: Math.max(1, deadline - Date.now()) });
      return frame;
    }
    await page.waitForTimeout(100);
  }
  throw new Error("the sidebar frame never appeared");
}

/** Saves a screenshot under target/e2e/<name>.png. */
export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/**
 * Starts a helper process (companion, sandbox) and resolves once it prints
 * `listening on http://ADDR`; returns its address and a stop function.
 */
export async function startProcess(command, args, { env = {}, cwd = ROOT } = {}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const address = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${command} did not start:\n${output}`)), 60_000);
    const read = (chunk) => {
      output += chunk;
      const m = output.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", (chunk) => { output += chunk; });
    child.on("exit", (code) => { clearTimeout(timer); fail(new Error(`${command} exited with ${code}:\n${output}`)); });
  });
  child.stdout.on("data", (chunk) => { output += chunk; });
  const stop = () => new Promise((ok) => {
    if (child.exitCode !== null) return ok();
    child.once("exit", ok);
    child.kill("SIGTERM");
  });
  return { address, stop, output: () => output, child };
}

/**
 * Waits until `locator`'s attribute `name` reads `expected`, then returns.
 * A reactive page updates an attribute a moment after the click that caused
 * it, so a state check right after an action polls instead of reading once;
 * on timeout it fails naming the value it last saw.
 */
export async function expectAttribute(locator, name, expected, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let seen;
  for (;;) {
    seen = await locator.getAttribute(name, { timeout });
    if (seen === expected) return;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} stayed ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`);
}
