// Loads the options page's WebAssembly (same module as the sidebar).
import init, { mount_options } from "./pkg/sourcebar.js";

await init();
mount_options();
