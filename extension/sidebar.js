// Loads the sidebar's WebAssembly (no inline scripts in extension pages).
//
// The sidebar says "ready" before its wasm has loaded, so the content script's
// capture of the page travels while the wasm compiles. The few messages that
// arrive meanwhile are kept, untouched, for the sidebar, which checks each one
// (our own tab's top frame only) exactly as it checks later ones.
// The marks let a test time each part of the way to a verdict in the browser.
import init, { mount_sidebar } from "./pkg/sidebar.js";

performance.mark("sourcebar-js-start");
const api = globalThis.browser ?? globalThis.chrome;
const MAX_EARLY = 8;
const early = [];
const keep = (message, sender) => {
  if (early.length < MAX_EARLY) early.push([message, sender]);
};
let saidReady = false;
let tabLookup = null;
let settingsLookup = null;
try {
  // The stored settings (src/settings.rs, Settings::KEYS), asked now too.
  settingsLookup = api.storage.local.get(["sourcebar.companionUrl", "sourcebar.token", "sourcebar.lang"]);
  // Which tab this is, asked now; Firefox's framed pages have no tabs API.
  if (api.tabs && typeof api.tabs.getCurrent === "function") tabLookup = api.tabs.getCurrent();
  api.runtime.onMessage.addListener(keep);
  api.runtime.sendMessage({ type: "sourcebar:ready" }).catch(() => {});
  saidReady = true;
} catch {
  // Not in an extension (a plain page): the sidebar says ready itself.
}
await init();
performance.mark("sourcebar-wasm-ready");
if (saidReady) api.runtime.onMessage.removeListener(keep);
// No message can arrive between here and the sidebar's own listener: both
// happen in this task and its microtasks, and messages come as tasks.
mount_sidebar(saidReady, early, tabLookup, settingsLookup);
