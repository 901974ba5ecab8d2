// Loads the sidebar's WebAssembly (no inline scripts in extension pages).
import init, { mount_sidebar } from "./pkg/sourcebar.js";

await init();
mount_sidebar();
