// Loads the sidebar's WebAssembly (no inline scripts in extension pages).
// The marks let a test time each part of the way to a verdict in the browser.
import init, { mount_sidebar } from "./pkg/sidebar.js";

performance.mark("sourcebar-js-start");
await init();
performance.mark("sourcebar-wasm-ready");
mount_sidebar();
