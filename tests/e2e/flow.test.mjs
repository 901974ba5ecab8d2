// The whole loop in Chromium with the real extension, the real companion and
// the JazzHR sandbox: sign in, dedupe, merge, upload, queue, FR, admin screens.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { clickSidebarTab, pillState } from "./closed-shadow.mjs";
import {
  ROOT, SHOTS, extensionId, launchBrowser, screenshot, sidebarFrame, startFixtureServer,
} from "./harness.mjs";
import { json, startServices } from "./services.mjs";
import { primaryIs, verdictIs } from "./steps.mjs";
import { startSlowProxy } from "./slow-proxy.mjs";

const ATS_KEY = "e2e-jazzhr-key-000042";
const AXE = readFileSync(join(ROOT, "tests", "node_modules", "axe-core", "axe.min.js"), "utf8");

async function signIn(context, services, { token, invite, email }) {
  const id = await extensionId(context);
  const page = await context.newPage();
  await page.goto(`chrome-extension://${id}/options.html`);
  if (token) {
    // The server's address and a token are under "Advanced".
    await page.getByTestId("advanced-toggle").click();
    await page.getByTestId("companion-url").fill(services.companion.address);
    await page.getByTestId("token").fill(token);
  } else {
    // The invite link carries the server and the code.
    await page.getByTestId("invite-link").fill(`${services.companion.address}/join#code=${invite}`);
    await page.getByTestId("invite-email").fill(email);
    await page.getByTestId("invite-name").fill("Sam Sourcer");
  }
  await page.getByTestId("btn-sign-in").click();
  await page.getByTestId("whoami").waitFor({ timeout: 10_000 });
  return page;
}

async function axeCheck(frame, label) {
  await frame.evaluate(AXE);
  const result = await frame.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => `${v.id}: ${v.help}`);
  });
  assert.deepEqual(result, [], `${label}: serious or critical accessibility violations`);
}

/** Stores "not collapsed", as the sidebar's tab would, for the pages opened next. */
async function expandForNextTests(context) {
  const [worker] = context.serviceWorkers();
  await worker?.evaluate(() => chrome.storage.local.set({ "sourcebar.collapsed": false }));
}

/** Waits until the minimised pill (in the closed shadow root) shows `verdict`. */
async function waitForPill(page, verdict, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let seen;
  while (Date.now() < deadline) {
    seen = (await pillState(page)).verdict;
    if (seen === verdict) return;
    await page.waitForTimeout(100);
  }
  assert.equal(seen, verdict, "the pill's verdict");
}


/** The window the issue measures at: a laptop. */
const VIEWPORT = { width: 1366, height: 768 };

/** Saves a screenshot named for the state and the language (`sidebar-<state>-<lang>`). */
const shot = async (page, state, lang = "en") => {
  mkdirSync(SHOTS, { recursive: true });
  // The sidebar alone (the fixture page beside it says nothing).
  const { width, height } = page.viewportSize();
  await page.screenshot({ path: join(SHOTS, `sidebar-${state}-${lang}.png`), clip: { x: width - 360, y: 0, width: 360, height } });
};


/** Text of `selector` once the team's ATS name has arrived (it loads beside the check). */
const namedText = async (frame, selector) => {
  await frame.waitForFunction((s) => {
    const text = document.querySelector(s)?.textContent;
    return text !== undefined && !/your ATS|votre ATS/.test(text);
  }, selector, { timeout: 10_000 });
  return (await frame.locator(selector).first().textContent()).trim();
};

const verdictText = (frame) => namedText(frame, '[data-testid="verdict"] .verdict-text');
const reasonText = (frame) => namedText(frame, '[data-testid="action-reason"]');


/** Asserts the element is wholly inside the page's viewport (never below the fold). */
async function inViewport(page, frame, selector) {
  const box = await frame.locator(selector).first().boundingBox();
  const { width, height } = page.viewportSize();
  assert.ok(box, `${selector} is not rendered`);
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height,
    `${selector} at ${JSON.stringify(box)} is outside the ${width}×${height} viewport`);
}

const sandboxRecord = async (services, email) =>
  (await json(`${services.sandbox.address}/_sandbox/candidates?email=${encodeURIComponent(email)}`)).body;

describe("sourcing with the companion and the JazzHR sandbox", () => {
  let server;
  let services;
  let member;
  let proxy;

  before(async () => {
    server = await startFixtureServer();
    services = await startServices({ atsKey: ATS_KEY });
    member = await launchBrowser({ port: server.port });
    proxy = await startSlowProxy(services.companion.address);
  });

  after(async () => {
    await proxy?.close();
    await member?.close();
    await services?.stop();
    await server?.close();
  });

  /** Points the signed-in member's extension at the test proxy (same companion behind it). */
  const throughProxy = async () => {
    const [worker] = member.context.serviceWorkers();
    await worker.evaluate((url) => chrome.storage.local.set({ "sourcebar.companionUrl": url }), proxy.address);
  };

  /**
   * What the content script sends when LinkedIn's contact-info dialog opens
   * on Jane Doe's page: the same navId, the dialog's markup (the content
   * script's own sending is tested with it), relayed like the background does.
   */
  const sendContactInfoCapture = async (page) => {
    const capture = await page.evaluate(async () => {
      const html = await (await fetch("/in/jane-doe/overlay/contact-info/")).text();
      const dialog = new DOMParser().parseFromString(html, "text/html").querySelector("[role=dialog]");
      const data = [...document.querySelectorAll("code")].map((c) => c.textContent).filter((t) => t.includes("publicIdentifier"));
      return {
        type: "sourcebar:profile", navId: 1, url: location.href, title: document.title,
        markup: document.querySelector("main").outerHTML, data, overlay: dialog.outerHTML,
      };
    });
    const [worker] = member.context.serviceWorkers();
    await worker.evaluate((msg) => chrome.runtime.sendMessage(msg).catch(() => {}), capture);
  };

  /** Opens a profile in a new tab at the laptop size; returns the page and the sidebar. */
  const openProfile = async (path) => {
    const page = await member.context.newPage();
    await page.setViewportSize(VIEWPORT);
    await page.goto(`https://www.linkedin.com${path}`);
    return { page, frame: await sidebarFrame(page) };
  };

  test("a member signs in with an invite", async () => {
    const page = await signIn(member.context, services, { invite: services.invite(), email: "sam@e2e.test" });
    assert.match(await page.getByTestId("whoami").textContent(), /sam@e2e\.test.*E2E/);
    assert.equal(await page.getByTestId("role").textContent(), "member");
    // Members see the status, not the admin actions.
    await page.getByTestId("connection").first().waitFor();
    assert.equal(await page.getByTestId("btn-test").count(), 0);
    assert.equal(await page.getByTestId("providers").count(), 0);
    assert.equal(await page.getByTestId("people").count(), 0);
    await axeCheck(page.mainFrame(), "options (member)");
    await screenshot(page, "10-options-member");
    await page.close();
  });


  test("a match card shows the person's applications, read again from the ATS once selected", async () => {
    await throughProxy();
    // In the ATS since the first sync: one application moving, one closed.
    const post = (path, body) => json(`${services.sandbox.address}${path}`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    const [jane] = await sandboxRecord(services, "jane.doe@example.com");
    const backend = (await post("/_sandbox/jobs", { title: "Backend Engineer" })).body.id;
    const sales = (await post("/_sandbox/jobs", { title: "Sales Lead" })).body.id;
    assert.equal((await post("/_sandbox/applications", { candidate_id: jane.id, job_id: backend, stage: "Phone screen" })).status, 201);
    assert.equal((await post("/_sandbox/applications", { candidate_id: jane.id, job_id: sales, status: "rejected" })).status, 201);
    const { page, frame } = await openProfile("/in/jane-doe/overlay/contact-info/");
    await verdictIs(frame, "exact");
    // The exact match is selected: its applications are read from the ATS.
    const card = frame.getByTestId("match").first();
    await card.locator('[data-testid="applications"][data-freshness="fresh"]').waitFor({ timeout: 10_000 });
    const lines = await card.getByTestId("application").allTextContents();
    assert.ok(lines.some((l) => /^Backend Engineer · Phone screen · (just now|\d+ \w+ ago|yesterday)$/.test(l)), JSON.stringify(lines));
    assert.ok(lines.includes("Rejected · Sales Lead") || lines.some((l) => l.startsWith("Rejected · Sales Lead · ")), JSON.stringify(lines));
    await axeCheck(frame, "sidebar (applications)");
    await shot(page, "exact-applications");
    await page.close();
  });

  // ---- the sidebar: verdict first, the verdict picks the action ----------

  test("a later capture of the same person (contact info) fills the empty email and checks again, in place", async () => {
    await throughProxy();
    const { page, frame } = await openProfile("/in/jane-doe/");
    await frame.locator('[data-testid="verdict"]:not([data-verdict="pending"])').waitFor({ timeout: 15_000 });
    assert.notEqual(await frame.getByTestId("verdict").getAttribute("data-verdict"), "exact");
    // A choice between matches to make: the missing email is not asked for yet.
    assert.equal(await frame.getByTestId("field-email").count(), 0);
    assert.equal(await frame.getByTestId("profile-email").count(), 0);
    await frame.evaluate(() => { document.querySelector(".profile").dataset.marker = "kept"; });
    await sendContactInfoCapture(page);
    await frame.getByTestId("profile-email").waitFor({ timeout: 5_000 });
    assert.equal((await frame.getByTestId("profile-email").textContent()).toLowerCase(), "jane.doe@example.com");
    await verdictIs(frame, "exact");
    assert.equal(await frame.evaluate(() => document.querySelector(".profile").dataset.marker), "kept", "the panel was rebuilt");
    await shot(page, "contact-info-filled");
    await page.close();
  });

  test("exact match: merge is the one primary action, upload waits behind a confirmation", async () => {
    await throughProxy();
    // What the sidebar tells the background (toolbar badge and title, the pill's label).
    const [worker] = member.context.serviceWorkers();
    await worker.evaluate(() => {
      globalThis.__verdicts = [];
      chrome.runtime.onMessage.addListener((m) => {
        if (m?.type === "sourcebar:verdict") globalThis.__verdicts.push(`${m.verdict}|${m.label}`);
      });
    });
    const { page, frame } = await openProfile("/in/jane-doe/overlay/contact-info/");
    await verdictIs(frame, "exact");
    assert.equal(await verdictText(frame), "In JazzHR · Jane Doe");
    await waitForPill(page, "exact");
    await primaryIs(frame, "merge");
    assert.equal((await frame.getByTestId("btn-merge").textContent()).trim(), "Merge into Jane Doe");
    assert.equal(await frame.getByTestId("btn-upload").count(), 0, "no upload button beside merge");
    // "Open in JazzHR" opens the record where the connection says its records live.
    const recordUrl = await frame.getByTestId("open-in-ats").getAttribute("href");
    assert.ok(recordUrl.startsWith(services.sandbox.address), recordUrl);
    assert.match((await json(recordUrl)).body.email, /^jane\.doe@example\.com$/i);
    await inViewport(page, frame, '[data-testid="primary-action"]');
    const card = frame.getByTestId("match").first();
    assert.equal(await card.getAttribute("data-confidence"), "same");
    const words = await card.textContent();
    assert.match(words, /Same person/);
    assert.match(words, /✓ same email/);
    assert.doesNotMatch(words, /\d%/, "the score is in a tooltip, not on the card");
    assert.match(await card.getAttribute("title"), /Match score: \d+%/);
    await axeCheck(frame, "sidebar (exact)");
    await shot(page, "exact");

    // Uploading a second copy takes a confirmation that names the person.
    await frame.getByTestId("btn-not-same").click();
    const confirm = frame.getByTestId("confirm");
    await confirm.waitFor();
    assert.match(await confirm.textContent(), /JazzHR already has Jane Doe/);
    assert.equal(await confirm.getByTestId("btn-upload").count(), 1);
    await axeCheck(frame, "sidebar (confirm)");
    await shot(page, "exact-confirm-upload");
    await frame.getByTestId("btn-cancel").click();
    await confirm.waitFor({ state: "detached" });

    // Each action has its own busy state; the outcome replaces the buttons.
    proxy.rules.set(/^POST \/v1\/candidates\/[^/]+\/merge/, { delayMs: 1500 });
    try {
      await frame.getByTestId("btn-merge").click();
      const merging = frame.locator('[data-testid="btn-merge"][aria-busy="true"]');
      await merging.waitFor({ timeout: 2_000 });
      assert.equal((await merging.textContent()).trim(), "Merging…");
      assert.doesNotMatch(await frame.locator("body").textContent(), /Uploading…/);
      await shot(page, "exact-merging");
      await frame.getByTestId("merge-result").waitFor({ timeout: 15_000 });
    } finally {
      proxy.rules.clear();
    }
    assert.equal(await frame.getByTestId("btn-merge").count(), 0, "the outcome replaced the buttons");
    const result = await frame.getByTestId("merge-result").textContent();
    assert.match(result, /✓ Merged into Jane Doe/);
    assert.match(result, /LinkedIn URL \(as a note\) · appended/);
    assert.doesNotMatch(result, /unchanged/, "only what changed is listed");
    assert.equal(await frame.locator('[role="status"] [data-testid="merge-result"]').count(), 1);
    assert.match(await verdictText(frame), /^In JazzHR · Jane Doe · merged just now by you$/);
    const told = await worker.evaluate(() => globalThis.__verdicts);
    assert.ok(told[0].startsWith("pending|"), JSON.stringify(told));
    assert.ok(told.includes("exact|In JazzHR · Jane Doe"), JSON.stringify(told));
    assert.equal(told.at(-1), "exact|In JazzHR · Jane Doe · merged just now by you");
    const [record] = await sandboxRecord(services, "jane.doe@example.com");
    assert.equal(record.email, "jane.doe@example.com");
    assert.ok(record.notes.some((n) => n.contents.includes("LinkedIn: https://www.linkedin.com/in/jane-doe/")));
    await axeCheck(frame, "sidebar (merged)");
    await shot(page, "exact-merged");
    await page.close();
  });

  test("possible matches: nothing is primary until a card or “None of these” is chosen", async () => {
    await throughProxy();
    const { page, frame } = await openProfile("/in/spa-one/");
    await verdictIs(frame, "possible");
    assert.match(await verdictText(frame), /^Check · \d possible match(es)? in JazzHR$/);
    await primaryIs(frame, "choose");
    assert.ok(await frame.getByTestId("btn-merge").isDisabled());
    assert.match(await reasonText(frame), /Pick the matching profile above/);
    await inViewport(page, frame, '[data-testid="primary-action"]');
    const top = frame.getByTestId("match").first();
    assert.match(await top.textContent(), /Sam Onne/);
    assert.match(await top.getByTestId("name-pair").textContent(), /Sam One.*Sam Onne/);
    assert.match(await top.getByTestId("confidence").textContent(), /Maybe|Likely the same/);
    await axeCheck(frame, "sidebar (possible)");
    await shot(page, "possible");

    // The whole card is the target.
    await top.locator(".chips").click();
    await primaryIs(frame, "merge");
    assert.equal((await frame.getByTestId("btn-merge").textContent()).trim(), "Merge into Sam Onne");
    assert.ok(await frame.getByTestId("btn-merge").isEnabled());
    await shot(page, "possible-chosen");
    await frame.getByTestId("btn-none-of-these").click();
    await primaryIs(frame, "upload");
    assert.equal((await frame.getByTestId("btn-upload").textContent()).trim(), "Upload to JazzHR");
    await shot(page, "possible-none-of-these");

    // Switching person: the previous verdict never shows for the next one.
    await page.click("#go-second");
    await frame.waitForFunction(() => !document.body.textContent.includes("Sam One"), null, { timeout: 5_000 });
    assert.notEqual(await frame.locator('[data-testid="verdict"][data-verdict="possible"]').count(), 1);
    await frame.getByText("Alex Two").waitFor({ timeout: 10_000 });
    await verdictIs(frame, "none");
    await primaryIs(frame, "upload");
    await page.close();
  });

  test("a new person: upload waits for the verdict, says why it waits, and is done in place", async () => {
    await throughProxy();
    proxy.rules.set(/^POST \/v1\/dedupe/, { delayMs: 1500 });
    let page;
    let frame;
    try {
      ({ page, frame } = await openProfile("/in/eve-adams/"));
      await verdictIs(frame, "pending");
      // Nothing can be sent before the check answers.
      assert.equal(await frame.getByTestId("btn-upload").count(), 0);
      assert.equal(await frame.getByTestId("btn-merge").count(), 0);
      assert.equal(await frame.getByTestId("primary-action").count(), 0);
      assert.ok(await frame.getByTestId("btn-wait").isDisabled());
      assert.match(await reasonText(frame), /Waiting for JazzHR to answer/);
      await shot(page, "pending");
    } finally {
      proxy.rules.clear();
    }
    const before = await frame.getByTestId("btn-wait").boundingBox();
    await verdictIs(frame, "none");
    assert.equal(await verdictText(frame), "New · not in JazzHR");
    await primaryIs(frame, "upload");
    const button = frame.getByTestId("btn-upload");
    const after = await button.boundingBox();
    assert.ok(Math.abs(after.y - before.y) < 2, `the button moved from ${before.y} to ${after.y}`);
    await inViewport(page, frame, '[data-testid="btn-upload"]');
    // No email on the page: the button says why it waits, and offers the way out.
    assert.ok(await button.isDisabled());
    assert.equal(
      await reasonText(frame),
      "JazzHR needs an email to create a candidate — open Contact info or type it Open contact info",
    );
    await frame.getByTestId("btn-open-contact-info").waitFor();
    await axeCheck(frame, "sidebar (new, email missing)");
    await shot(page, "new-needs-email");

    await frame.getByTestId("field-email").fill("eve.adams@initech.example");
    assert.ok(await button.isEnabled());
    assert.equal(await frame.getByTestId("action-reason").count(), 0);
    await button.dblclick();
    await frame.locator('[data-testid="upload-result"][data-state="created"]').waitFor({ timeout: 15_000 });
    assert.equal(await frame.getByTestId("btn-upload").count(), 0, "the outcome replaced the button");
    assert.match(await frame.getByTestId("upload-result").textContent(), /✓ Uploaded to JazzHR/);
    await verdictIs(frame, "exact");
    assert.equal(await verdictText(frame), "In JazzHR · added just now by you");
    await page.waitForTimeout(500);
    assert.equal((await sandboxRecord(services, "eve.adams@initech.example")).length, 1);
    await axeCheck(frame, "sidebar (uploaded)");
    await shot(page, "new-uploaded");
    await page.close();
  });

  test("the match card remembers what the team did with the person", async () => {
    await throughProxy();
    // Eve was uploaded by Sam (this member) in the test before.
    const { page, frame } = await openProfile("/in/eve-adams/");
    await frame.locator('[data-testid="verdict"]:not([data-verdict="pending"])').waitFor({ timeout: 15_000 });
    const history = frame.getByTestId("match").first().getByTestId("history");
    await history.first().waitFor({ timeout: 10_000 });
    assert.match(await history.first().textContent(), /^Uploaded by Sam Sourcer · (just now|1 minute ago)$/);
    await shot(page, "team-history");
    await page.close();
  });

  test("a merge says plainly when the ATS keeps its own, different email", async () => {
    await throughProxy();
    const { page, frame } = await openProfile("/in/ludwig-van-der-rohe/");
    await verdictIs(frame, "exact");
    await primaryIs(frame, "merge");
    // A merge needs no email: none is asked for, and Edit adds one.
    assert.equal(await frame.getByTestId("field-email").count(), 0);
    await frame.getByTestId("btn-edit").click();
    await frame.getByTestId("field-email").fill("ludwig.new@bauhaus.example");
    // The page's email differs from the record's: shown as a conflict, never a reason.
    assert.match(await frame.getByTestId("match").first().textContent(), /✗ different email/);
    await frame.getByTestId("btn-merge").click();
    const kept = frame.getByTestId("kept-email");
    await kept.waitFor({ timeout: 15_000 });
    assert.equal(
      (await kept.textContent()).trim(),
      "JazzHR keeps its email ludwig@bauhaus.example; the page shows ludwig.new@bauhaus.example. Merge never overwrites it.",
    );
    assert.equal((await sandboxRecord(services, "ludwig.new@bauhaus.example")).length, 0);
    await shot(page, "exact-merged-other-email");
    await page.close();
  });

  test("an upload over an exact match while JazzHR is down is confirmed, queued, then delivered", async () => {
    await throughProxy();
    await json(`${services.sandbox.address}/_sandbox/faults`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "error_503", probability: 1.0, path_prefix: "/v1/applicants" }),
    });
    const { page, frame } = await openProfile("/in/ludwig-van-der-rohe/");
    await verdictIs(frame, "exact");
    await primaryIs(frame, "merge");
    await frame.getByTestId("btn-not-same").click();
    await frame.getByTestId("confirm").waitFor();
    await frame.getByTestId("field-email").fill("ludwig.second@bauhaus.example");
    await frame.getByTestId("confirm").getByTestId("btn-upload").click();
    await frame.locator('[data-testid="upload-result"][data-state="queued"]').waitFor({ timeout: 20_000 });
    // Released at once: no button says "Uploading…" while the queue holds it.
    assert.doesNotMatch(await frame.locator("body").textContent(), /Uploading…|Merging…/);
    assert.match(await frame.getByTestId("upload-result").textContent(), /◔ Queued, will be delivered/);
    await shot(page, "queued");
    await fetch(`${services.sandbox.address}/_sandbox/faults`, { method: "DELETE" });
    await frame.locator('[data-testid="upload-result"][data-state="created"]').waitFor({ timeout: 30_000 });
    assert.match(await frame.getByTestId("upload-result").textContent(), /✓ Delivered to JazzHR/);
    assert.equal(await verdictText(frame), "In JazzHR · added just now by you");
    assert.equal((await sandboxRecord(services, "ludwig.second@bauhaus.example")).length, 1);
    await shot(page, "queued-then-delivered");
    await page.close();
  });

  test("a failed check shows in the verdict with Retry", async () => {
    await throughProxy();
    proxy.rules.set(/^POST \/v1\/dedupe/, { status: 503 });
    const { page, frame } = await openProfile("/in/jane-smith-jones/");
    try {
      await verdictIs(frame, "error");
      assert.equal(await verdictText(frame), "Could not check JazzHR");
      assert.equal(await frame.getByTestId("toast").count(), 0, "the failure is in the verdict, not a toast");
      assert.match(await reasonText(frame), /The check failed/);
      await axeCheck(frame, "sidebar (check failed)");
      await shot(page, "check-failed");
    } finally {
      proxy.rules.clear();
    }
    await frame.getByTestId("btn-retry").click();
    await frame.locator('[data-testid="verdict"]:not([data-verdict="pending"]):not([data-verdict="error"])').waitFor({ timeout: 15_000 });
    assert.equal(await frame.getByTestId("btn-retry").count(), 0);
    await frame.getByTestId("primary-action").waitFor();
    await page.close();
  });

  test("from navigation to a readable verdict, measured on the fixture pages", async (t) => {
    // Straight to the companion: the test proxy is a fault injector, not part of the product.
    const [worker] = member.context.serviceWorkers();
    await worker.evaluate((url) => chrome.storage.local.set({ "sourcebar.companionUrl": url }), services.companion.address);
    const paths = ["/in/jane-doe/overlay/contact-info/", "/in/spa-one/", "/in/eve-adams/", "/in/ludwig-van-der-rohe/", "/in/jane-smith-jones/"];
    const page = await member.context.newPage();
    await page.setViewportSize(VIEWPORT);
    const times = [];
    const inFrame = [];
    // Each part of the way, from the previous step (see `steps` below).
    const parts = { frame: [], script: [], wasm: [], capture: [], request: [], dedupe: [], render: [] };
    for (let i = 0; i < 40; i++) {
      await page.goto(`https://www.linkedin.com${paths[i % paths.length]}`);
      const frame = await sidebarFrame(page);
      await frame.locator('[data-testid="verdict"]:not([data-verdict="pending"])').waitFor({ timeout: 15_000 });
      // Timed by the browser, not by this test's round trips: from the
      // page's navigation start to the sidebar's "verdict shown" mark, both
      // on the same epoch clock (timeOrigin).
      const navigationStart = await page.evaluate(() => performance.timeOrigin);
      const shown = await frame.evaluate(() => {
        const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
        const dedupe = performance.getEntriesByType("resource").filter((r) => r.name.endsWith("/v1/dedupe")).pop();
        return at("sourcebar-verdict") === null ? null : {
          frameStart: performance.timeOrigin,
          verdict: at("sourcebar-verdict"),
          scriptStart: at("sourcebar-js-start"),
          wasmReady: at("sourcebar-wasm-ready"),
          captured: at("sourcebar-profile-received"),
          dedupeStart: dedupe ? dedupe.startTime : null,
          answered: at("sourcebar-dedupe-answered"),
        };
      });
      assert.ok(shown, "the sidebar marks the moment its verdict is shown");
      times.push(shown.frameStart + shown.verdict - navigationStart);
      inFrame.push(shown.verdict);
      const steps = [["frame", shown.frameStart - navigationStart, 0], ["script", shown.scriptStart, 0],
        ["wasm", shown.wasmReady, shown.scriptStart],
        ["capture", shown.captured, shown.wasmReady], ["request", shown.dedupeStart, shown.captured],
        ["dedupe", shown.answered, shown.dedupeStart], ["render", shown.verdict, shown.answered]];
      for (const [name, end, begin] of steps) {
        if (end !== null && begin !== null) parts[name].push(end - begin);
      }
    }
    const pct = (list, q) => {
      const sorted = [...list].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)].toFixed(0);
    };
    const line = `navigation to readable verdict over ${times.length} page loads: p50 ${pct(times, 0.5)} ms, `
      + `p95 ${pct(times, 0.95)} ms, max ${pct(times, 1)} ms; of which inside the sidebar frame `
      + `(frame start to verdict): p50 ${pct(inFrame, 0.5)} ms, p95 ${pct(inFrame, 0.95)} ms`;
    const split = `where the time goes (p50): page to sidebar frame ${pct(parts.frame, 0.5)} ms, `
      + `frame to its script ${pct(parts.script, 0.5)} ms, wasm loaded in ${pct(parts.wasm, 0.5)} ms, `
      + `to the page's capture ${pct(parts.capture, 0.5)} ms, `
      + `to the dedupe request ${pct(parts.request, 0.5)} ms, dedupe answered in ${pct(parts.dedupe, 0.5)} ms, `
      + `shown ${pct(parts.render, 0.5)} ms later`;
    console.log(line);
    console.log(split);
    t.diagnostic(line);
    t.diagnostic(split);
    await page.close();
  });

  test("French: every state speaks French", async () => {
    await throughProxy();
    const [worker] = member.context.serviceWorkers();
    await worker.evaluate(() => chrome.storage.local.set({ "sourcebar.lang": "fr" }));
    try {
      let { page, frame } = await openProfile("/in/jane-doe/overlay/contact-info/");
      await verdictIs(frame, "exact");
      assert.equal(await verdictText(frame), "Dans JazzHR · Jane Doe");
      assert.equal((await frame.getByTestId("btn-merge").textContent()).trim(), "Fusionner avec Jane Doe");
      assert.match(await frame.getByTestId("match").first().textContent(), /✓ même e-mail/);
      assert.match(await frame.getByTestId("match").first().textContent(), /Même personne/);
      await shot(page, "exact", "fr");
      await frame.getByTestId("btn-not-same").click();
      assert.match(await frame.getByTestId("confirm").textContent(), /JazzHR a déjà Jane Doe/);
      await shot(page, "exact-confirm-upload", "fr");
      await frame.getByTestId("btn-cancel").click();
      proxy.rules.set(/^POST \/v1\/candidates\/[^/]+\/merge/, { delayMs: 1500 });
      try {
        await frame.getByTestId("btn-merge").click();
        await frame.locator('[data-testid="btn-merge"][aria-busy="true"]').waitFor({ timeout: 2_000 });
        assert.equal((await frame.getByTestId("btn-merge").textContent()).trim(), "Fusion…");
        await shot(page, "exact-merging", "fr");
        await frame.getByTestId("merge-result").waitFor({ timeout: 15_000 });
      } finally {
        proxy.rules.clear();
      }
      assert.match(await frame.getByTestId("merge-result").textContent(), /✓ Fusionné avec Jane Doe/);
      await shot(page, "exact-merged", "fr");
      await page.close();

      ({ page, frame } = await openProfile("/in/jane-doe/"));
      await frame.locator('[data-testid="verdict"]:not([data-verdict="pending"])').waitFor({ timeout: 15_000 });
      await sendContactInfoCapture(page);
      await frame.getByTestId("profile-email").waitFor({ timeout: 5_000 });
      await verdictIs(frame, "exact");
      await shot(page, "contact-info-filled", "fr");
      await page.close();

      ({ page, frame } = await openProfile("/in/ludwig-van-der-rohe/"));
      await verdictIs(frame, "exact");
      await frame.getByTestId("btn-edit").click();
      await frame.getByTestId("field-email").fill("ludwig.new@bauhaus.example");
      assert.match(await frame.getByTestId("match").first().textContent(), /✗ e-mail différent/);
      await frame.getByTestId("btn-merge").click();
      await frame.getByTestId("kept-email").waitFor({ timeout: 15_000 });
      assert.match(await frame.getByTestId("kept-email").textContent(), /^JazzHR garde son e-mail \S+@bauhaus\.example\u00a0; la page indique ludwig\.new@bauhaus\.example/);
      await shot(page, "exact-merged-other-email", "fr");
      await page.close();

      await json(`${services.sandbox.address}/_sandbox/faults`, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: "error_503", probability: 1.0, path_prefix: "/v1/applicants" }),
      });
      ({ page, frame } = await openProfile("/in/ludwig-van-der-rohe/"));
      await verdictIs(frame, "exact");
      await frame.getByTestId("btn-not-same").click();
      await frame.getByTestId("field-email").fill("ludwig.third@bauhaus.example");
      await frame.getByTestId("confirm").getByTestId("btn-upload").click();
      await frame.locator('[data-testid="upload-result"][data-state="queued"]').waitFor({ timeout: 20_000 });
      assert.match(await frame.getByTestId("upload-result").textContent(), /En file d’attente, sera envoyé/);
      await shot(page, "queued", "fr");
      await fetch(`${services.sandbox.address}/_sandbox/faults`, { method: "DELETE" });
      await frame.locator('[data-testid="upload-result"][data-state="created"]').waitFor({ timeout: 30_000 });
      assert.match(await frame.getByTestId("upload-result").textContent(), /✓ Envoyé dans JazzHR/);
      await shot(page, "queued-then-delivered", "fr");
      await page.close();

      proxy.rules.set(/^POST \/v1\/dedupe/, { delayMs: 1500 });
      try {
        ({ page, frame } = await openProfile("/in/jane-smith-jones/"));
        await verdictIs(frame, "pending");
        assert.equal(await verdictText(frame), "Vérification dans JazzHR…");
        assert.match(await reasonText(frame), /En attente de la réponse de JazzHR/);
        await shot(page, "pending", "fr");
      } finally {
        proxy.rules.clear();
      }
      await page.close();

      ({ page, frame } = await openProfile("/in/spa-one/"));
      await verdictIs(frame, "possible");
      assert.match(await verdictText(frame), /^À vérifier · \d doublons? possibles? dans JazzHR$/);
      assert.match(await reasonText(frame), /Choisissez le profil correspondant/);
      await shot(page, "possible", "fr");
      // The keyboard's way in: the card's radio button.
      await frame.getByTestId("match").first().locator('input[type="radio"]').press("Space");
      await primaryIs(frame, "merge");
      assert.equal((await frame.getByTestId("btn-merge").textContent()).trim(), "Fusionner avec Sam Onne");
      await shot(page, "possible-chosen", "fr");
      await frame.getByTestId("btn-none-of-these").click();
      await primaryIs(frame, "upload");
      await shot(page, "possible-none-of-these", "fr");
      // Alex Two is new to the ATS.
      await page.click("#go-second");
      await frame.getByText("Alex Two").waitFor({ timeout: 10_000 });
      await verdictIs(frame, "none");
      assert.equal(await verdictText(frame), "Nouveau · absent de JazzHR");
      assert.match(await reasonText(frame), /JazzHR exige un e-mail pour créer un candidat/);
      await axeCheck(frame, "sidebar (French, new)");
      await shot(page, "new-needs-email", "fr");
      await frame.getByTestId("field-email").fill("alex.two@second.example");
      await frame.getByTestId("btn-upload").click();
      await frame.locator('[data-testid="upload-result"][data-state="created"]').waitFor({ timeout: 15_000 });
      assert.equal(await verdictText(frame), "Dans JazzHR · ajouté à l’instant par vous");
      await shot(page, "new-uploaded", "fr");
      await page.close();

      proxy.rules.set(/^POST \/v1\/dedupe/, { status: 503 });
      try {
        ({ page, frame } = await openProfile("/in/eve-adams/"));
        await verdictIs(frame, "error");
        assert.equal((await frame.getByTestId("btn-retry").textContent()).trim(), "Réessayer");
        await shot(page, "check-failed", "fr");
      } finally {
        proxy.rules.clear();
      }
      await page.close();

      ({ page, frame } = await openProfile("/in/eve-adams/"));
      const history = frame.getByTestId("match").first().getByTestId("history");
      await history.first().waitFor({ timeout: 15_000 });
      assert.match(await history.first().textContent(), /^Importé par Sam Sourcer · (à l’instant|il y a \d+\u00a0minutes?)$/);
      await shot(page, "team-history", "fr");
      await page.close();
    } finally {
      await worker.evaluate(() => chrome.storage.local.remove("sourcebar.lang"));
    }
  });

  test("the page never hears the verdict or the badge", async (t) => {
    // Whatever happens here, the next tests start with the sidebar open.
    t.after(() => expandForNextTests(member.context));
    const page = await member.context.newPage();
    // LinkedIn's own scripts, in the page's world, listening to every message.
    await page.addInitScript(() => {
      window.__heard = [];
      const record = (event) => {
        let data;
        try { data = JSON.stringify(event.data); } catch { data = String(event.data); }
        window.__heard.push({ origin: event.origin, data });
      };
      window.addEventListener("message", record, true);
      document.addEventListener("message", record, true);
    });
    await page.goto("https://www.linkedin.com/in/jane-doe/overlay/contact-info/");
    const frame = await sidebarFrame(page);
    await frame.locator('[data-testid="verdict"][data-verdict="exact"]').waitFor({ timeout: 15_000 });
    // The pill still got the verdict, through the extension's own messaging.
    await waitForPill(page, "exact");
    await frame.getByTestId("btn-collapse").click();
    await page.waitForFunction(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "true");
    // Minimised, the pill says it in a word, not only in colour.
    assert.equal((await pillState(page)).word, "In ATS");
    await screenshot(page, "11b-collapsed-with-exact-badge");
    const heard = await page.evaluate(() => window.__heard);
    assert.deepEqual(heard, [], "the page received window messages from Sourcebar");
    // Nor does anything the page can read on the host say it.
    const attrs = await page.evaluate(() =>
      [...document.getElementById("sourcebar-root").attributes].map((a) => `${a.name}=${a.value}`).join(" "));
    assert.doesNotMatch(attrs, /verdict|exact|possible/);
    await clickSidebarTab(page);
    await page.close();
  });

  test("an admin connects, tests, relinks, deactivates and deletes a connection", async () => {
    const admin = await launchBrowser({ port: server.port });
    try {
      const page = await signIn(admin.context, services, { token: services.adminToken });
      page.on("dialog", (d) => d.accept());
      assert.equal(await page.getByTestId("role").textContent(), "admin");
      await page.getByTestId("providers-available").getByText("JazzHR").click();
      assert.ok(await page.getByTestId("btn-connect").isDisabled(), "Connect waits for a key");
      await page.getByTestId("conn-name").fill("JazzHR EU");
      await page.getByTestId("connect-advanced").locator("summary").click();
      await page.getByTestId("conn-url").fill(`${services.sandbox.address}/v1`);
      await page.getByTestId("conn-key").fill("not-the-key-123");
      await page.getByTestId("btn-connect").click();
      await page.locator('[data-testid="toast"][data-code="invalid_key"]').waitFor({ timeout: 10_000 });
      await page.getByTestId("conn-key").fill(ATS_KEY);
      await page.getByTestId("btn-connect").click();
      await page.getByText("ATS connected — JazzHR has been connected to your organization.").waitFor({ timeout: 10_000 });
      await screenshot(page, "18-admin-connected");
      const row = page.getByTestId("connection").filter({ hasText: "JazzHR EU" });
      await row.waitFor();
      await row.getByTestId("btn-test").click();
      await page.getByText("Connection works").waitFor();
      // Relink, Deactivate and Delete are in the connection's menu.
      await row.getByTestId("btn-more").click();
      await row.getByTestId("menu-relink").click();
      await row.getByTestId("relink-key").fill(ATS_KEY);
      await row.getByTestId("btn-relink").click();
      await page.locator('[data-testid="toast"][data-code="ok"]').waitFor();
      await row.getByTestId("btn-more").click();
      await row.getByTestId("btn-deactivate").click();
      await page.locator('[data-testid="connection"][data-status="deactivated"]').waitFor();
      await axeCheck(page.mainFrame(), "options (admin)");
      await screenshot(page, "19-admin-deactivated");
      const deactivated = page.getByTestId("connection").filter({ hasText: "JazzHR EU" });
      await deactivated.getByTestId("btn-more").click();
      await deactivated.getByTestId("btn-delete").click();
      await deactivated.getByTestId("btn-confirm-delete").click();
      await page.getByTestId("connection").filter({ hasText: "JazzHR EU" }).waitFor({ state: "detached" });
      const list = await json(`${services.companion.address}/v1/connections`, { headers: services.auth });
      assert.deepEqual(list.body.map((c) => c.name), ["JazzHR"]);
      const audit = await json(`${services.companion.address}/v1/audit`, { headers: services.auth });
      const actions = audit.body.map((e) => e.action);
      for (const a of ["connect", "relink", "deactivate", "delete", "merge", "upload"]) assert.ok(actions.includes(a), a);
      await screenshot(page, "20-admin-after-delete");
    } finally {
      await admin.close();
    }
  });
});
