// Sourcebar background worker: routes the keyboard shortcut and the toolbar
// button to the tab, shows the verdict on the toolbar button per tab, and
// relays the sidebar's few messages to its own tab's content script (so they
// never pass through the page: window.postMessage would let LinkedIn read them).
// In Firefox it also relays the content script's messages to the sidebar frame.
// It keeps no state of its own (the content script knows which person is on
// screen) and makes no network request.
const api = globalThis.browser ?? globalThis.chrome;

const SIDEBAR_PATH = "/sidebar.html";
const EXTENSION_PROTOCOL = new URL(api.runtime.getURL("")).protocol;
const TOGGLE_COMMAND = "toggle-sidebar";
const MAX_LABEL = 120;

/**
 * What the toolbar button shows per verdict: badge text (API.md: empty for
 * `none`), its colours, and the word of the title when the sidebar gave no
 * label. The text is the cue; the colour only repeats it.
 */
const BADGES = {
  pending: { text: "…", background: "#6b7280", color: "#ffffff", word: "verdictPending" },
  exact: { text: "✓", background: "#0f766e", color: "#ffffff", word: "verdictExact" },
  possible: { text: "?", background: "#fbbf24", color: "#1f2937", word: "verdictPossible" },
  none: { text: "", background: "#475569", color: "#ffffff", word: "verdictNone" },
  error: { text: "!", background: "#b91c1c", color: "#ffffff", word: "verdictError" },
};

// ---- words -------------------------------------------------------------

// The toolbar button and the pill speak the sidebar's language: the user's
// `sourcebar.lang` setting, else the browser's (as src/i18n.rs decides), in
// the words of static/_locales. `i18n.getMessage` would follow the browser's
// interface language alone, which may differ from both.
const LANG_KEY = "sourcebar.lang";
const catalogs = new Map();

function catalog(lang) {
  if (!catalogs.has(lang)) {
    catalogs.set(
      lang,
      fetch(api.runtime.getURL(`_locales/${lang}/messages.json`))
        .then((res) => res.json())
        .catch(() => ({})),
    );
  }
  return catalogs.get(lang);
}

async function language() {
  let tag = "";
  try {
    const stored = await api.storage.local.get(LANG_KEY);
    tag = typeof stored[LANG_KEY] === "string" ? stored[LANG_KEY] : "";
  } catch {
    tag = "";
  }
  if (!tag) tag = globalThis.navigator ? navigator.language || "" : "";
  return tag.toLowerCase().startsWith("fr") ? "fr" : "en";
}

/** A message's text with its named placeholders ($KEYS$ → substitutions[0], ...). */
function fill(entry, substitutions) {
  const placeholders = entry.placeholders || {};
  return String(entry.message).replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name) => {
    const placeholder = placeholders[name.toLowerCase()];
    if (!placeholder) return whole;
    return String(placeholder.content).replace(/\$([1-9])/g, (_, n) => substitutions[n - 1] ?? "");
  });
}

/** The message `key` in the user's language (English when it lacks one). */
async function say(key, substitutions = []) {
  const lang = await language();
  const entry = (await catalog(lang))[key] || (await catalog("en"))[key];
  if (entry) return fill(entry, substitutions);
  try {
    return api.i18n.getMessage(key, substitutions) || "";
  } catch {
    return "";
  }
}

/** What the content script's pill says, in the user's language, with the shortcut. */
async function pillWords() {
  const keys = await toggleShortcut();
  const names = [
    "tabOpen", "sidebarLabel", "pillMoveHint", "pillPending", "pillExact", "pillPossible", "pillNone", "pillError",
    "verdictPending", "verdictExact", "verdictPossible", "verdictNone", "verdictError",
  ];
  const words = {};
  for (const name of names) words[name] = await say(name);
  words.tabOpenShortcut = keys ? await say("tabOpenShortcut", [keys]) : "";
  return { keys, lang: await language(), words };
}

// ---- the keyboard shortcut ---------------------------------------------

/** The keys of the toggle shortcut ("Alt+Shift+S"), or "" when the user removed it. */
async function toggleShortcut() {
  try {
    const commands = await api.commands.getAll();
    const toggle = commands.find((c) => c.name === TOGGLE_COMMAND);
    return (toggle && toggle.shortcut) || "";
  } catch {
    return "";
  }
}

/** Asks the tab's content script to show or hide its panel; true when it did. */
async function togglePanel(tabId) {
  try {
    const answer = await api.tabs.sendMessage(tabId, { type: "sourcebar:toggle" }, { frameId: 0 });
    return Boolean(answer && answer.toggled);
  } catch {
    // No content script in that tab (not a profile page).
    return false;
  }
}

api.commands.onCommand.addListener(async (command, tab) => {
  if (command !== TOGGLE_COMMAND) return;
  let target = tab;
  if (!target || target.id === undefined) {
    [target] = await api.tabs.query({ active: true, currentWindow: true });
  }
  if (target && target.id !== undefined) await togglePanel(target.id);
});

// ---- the toolbar button ------------------------------------------------

/** The toolbar title when the tab shows no verdict: what a click does, and the shortcut. */
async function defaultTitle() {
  const keys = await toggleShortcut();
  return keys ? say("actionTitleShortcut", [keys]) : say("actionTitle");
}

/**
 * The invite link the tab shows, when it is a companion's join page
 * (`{companion}/join#code=…`, interface 3), else null. The tab's URL is known
 * only after a click on our button (activeTab), never from browsing.
 */
function joinPageUrl(tab) {
  if (!tab || typeof tab.url !== "string") return null;
  let url;
  try {
    url = new URL(tab.url);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password || url.search) return null;
  if (!/(^|\/)join\/?$/.test(url.pathname)) return null;
  const code = new URLSearchParams(url.hash.slice(1)).get("code");
  if (!code || !/^[A-Za-z0-9_-]{4,200}$/.test(code)) return null;
  return url.href;
}

/**
 * A click on the toolbar button (interface 4): on a join page, the options
 * page with the invite filled in; on a profile, the panel shows or hides;
 * anywhere else, the options page. Named, so that a test can call it through
 * the worker (a headless browser has no toolbar to click).
 */
async function onToolbarClick(tab) {
  const invite = joinPageUrl(tab);
  if (invite) {
    const create = { url: `${api.runtime.getURL("options.html")}#invite=${encodeURIComponent(invite)}` };
    if (Number.isInteger(tab.index)) create.index = tab.index + 1;
    await api.tabs.create(create);
    return "invite";
  }
  if (tab && Number.isInteger(tab.id) && (await togglePanel(tab.id))) return "toggled";
  await api.runtime.openOptionsPage();
  return "options";
}
globalThis.onToolbarClick = onToolbarClick;
api.action.onClicked.addListener((tab) => {
  onToolbarClick(tab);
});

/** A label from the sidebar: text only, without control characters, at most 120 characters. */
function cleanLabel(label) {
  if (typeof label !== "string") return "";
  const chars = Array.from(label.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, " ").replace(/\s+/g, " ").trim());
  return chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join("")}…` : chars.join("");
}

/** Shows `verdict` (with the sidebar's `label`) on the toolbar button of tab `tabId`. */
async function showVerdict(tabId, verdict, label) {
  const badge = BADGES[verdict];
  const keys = await toggleShortcut();
  const what = label || (await say(badge.word));
  const title = keys ? await say("actionTitleVerdictShortcut", [what, keys]) : await say("actionTitleVerdict", [what]);
  await Promise.all([
    api.action.setBadgeText({ tabId, text: badge.text }),
    api.action.setBadgeBackgroundColor({ tabId, color: badge.background }),
    typeof api.action.setBadgeTextColor === "function"
      ? api.action.setBadgeTextColor({ tabId, color: badge.color })
      : null,
    api.action.setTitle({ tabId, title }),
  ]).catch(() => {
    // The tab closed meanwhile.
  });
}

/** Clears the tab's verdict from the toolbar button: another person, or no profile. */
async function clearVerdict(tabId) {
  const title = await defaultTitle();
  await Promise.all([
    api.action.setBadgeText({ tabId, text: "" }),
    api.action.setTitle({ tabId, title }),
  ]).catch(() => {});
}

// The button's own title says what a click does, with the shortcut.
const setDefaultTitle = () => defaultTitle().then((title) => api.action.setTitle({ title })).catch(() => {});
setDefaultTitle();
api.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes[LANG_KEY]) setDefaultTitle();
});

// ---- messages from the content script ----------------------------------

/** The tab of a message from the top frame of a page running our content script; else null. */
function contentScriptTab(sender) {
  if (!sender || sender.id !== api.runtime.id || !sender.tab || sender.frameId !== 0) return null;
  if (typeof sender.url === "string" && sender.url.startsWith(api.runtime.getURL(""))) return null;
  const tabId = sender.tab.id;
  return Number.isInteger(tabId) && tabId >= 0 ? tabId : null;
}

// Firefox gives an extension page framed in a web page (our sidebar) only the
// APIs of a content script: it never receives the content script's
// runtime.sendMessage, only tabs.sendMessage. So there (and only there, or
// Chromium's sidebar would read each message twice) the background passes
// the content script's messages on to the tab they came from, and to no other.
const RELAYED = new Set(["sourcebar:profile", "sourcebar:navigating"]);
const RELAYS = typeof api.runtime.getBrowserInfo === "function";

api.runtime.onMessage.addListener((msg, sender, reply) => {
  const tabId = contentScriptTab(sender);
  if (tabId === null || !msg || typeof msg !== "object") return undefined;
  switch (msg.type) {
    case "sourcebar:navigating":
    case "sourcebar:left":
      // Another person (or none): the previous verdict must not stay on the button.
      clearVerdict(tabId);
      break;
    case "sourcebar:pill-words":
      // The content script can read neither the shortcut nor our locale files.
      pillWords().then(reply, () => reply(null));
      return true;
    default:
      break;
  }
  if (RELAYS && RELAYED.has(msg.type)) {
    api.tabs.sendMessage(tabId, msg).catch(() => {
      // The tab closed or has no sidebar yet; the sidebar asks again when ready.
    });
  }
  return undefined;
});

// ---- messages from the sidebar -----------------------------------------

/** The tab of a message from our own sidebar frame; null when unsure (refuse). */
function sidebarTab(sender) {
  if (!sender || sender.id !== api.runtime.id || typeof sender.url !== "string") return null;
  let url;
  try {
    url = new URL(sender.url);
  } catch {
    return null;
  }
  if (url.protocol !== EXTENSION_PROTOCOL || url.pathname !== SIDEBAR_PATH) return null;
  const tabId = sender.tab ? sender.tab.id : undefined;
  return Number.isInteger(tabId) && tabId >= 0 ? tabId : null;
}

/** What a sidebar may tell its tab: a closed set, rebuilt field by field. */
function forContentScript(msg) {
  switch (msg && msg.type) {
    case "sourcebar:ready":
    case "sourcebar:collapse":
    case "sourcebar:open-contact-info":
      return { type: msg.type };
    case "sourcebar:verdict": {
      if (typeof msg.verdict !== "string" || !Object.hasOwn(BADGES, msg.verdict)) return null;
      if (!Number.isInteger(msg.navId)) return null;
      const out = { type: msg.type, verdict: msg.verdict, navId: msg.navId };
      const label = cleanLabel(msg.label);
      if (label) out.label = label;
      return out;
    }
    default:
      return null;
  }
}

api.runtime.onMessage.addListener((msg, sender, reply) => {
  const tabId = sidebarTab(sender);
  if (tabId === null) return undefined;
  if (msg && msg.type === "sourcebar:which-tab") {
    reply({ tabId });
    return undefined;
  }
  const out = forContentScript(msg);
  if (!out) return undefined;
  // frameId 0: only the content script of the tab's top page, never another frame.
  api.tabs
    .sendMessage(tabId, out, { frameId: 0 })
    .then((answer) => {
      // The content script accepts a verdict only for the person on screen
      // (its navId): only then does the toolbar button show it.
      if (out.type === "sourcebar:verdict" && answer && answer.shown === true) {
        showVerdict(tabId, out.verdict, out.label);
      }
    })
    .catch(() => {
      // The page went away with its content script: nothing to tell.
    });
  return undefined;
});
