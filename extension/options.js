// Loads the options page's WebAssembly (its own module: the sidebar's carries none of this page's code).
import init, { mount_options } from "./pkg/options.js";

await init();
mount_options();
