// Loads the Import screen: part of the options page's WebAssembly, mounted on its own page.
import init, { mount_import } from "./pkg/options.js";

await init();
mount_import();
