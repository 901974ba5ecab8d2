// Steps several end-to-end tests take: set up the extension as its options
// page would, open that page, and wait for the sidebar's verdict or action.
import { extensionId } from "./harness.mjs";

/** Stores the companion, the token and the language as the options page would. */
export async function storeSettings(context, values) {
  let [worker] = context.serviceWorkers();
  if (!worker) worker = await context.waitForEvent("serviceworker", { timeout: 10_000 });
  await worker.evaluate((v) => chrome.storage.local.set(v), values);
}

/** Opens the options page (at `hash`) in a new tab. */
export async function openOptions(context, hash = "") {
  const id = await extensionId(context);
  const page = await context.newPage();
  await page.setViewportSize({ width: 1100, height: 800 });
  await page.goto(`chrome-extension://${id}/options.html${hash}`);
  return page;
}

/** Waits until the sidebar's verdict is `verdict`. */
export const verdictIs = (frame, verdict) =>
  frame.locator(`[data-testid="verdict"][data-verdict="${verdict}"]`).waitFor({ timeout: 15_000 });

/** Waits until the sidebar's primary action is `action`. */
export const primaryIs = (frame, action) =>
  frame.locator(`[data-testid="primary-action"][data-action="${action}"]`).waitFor({ timeout: 10_000 });
