// Sourcebar content script: thin on purpose.
//
// It recognises LinkedIn profile pages (also after LinkedIn's in-page
// navigation), injects one fixed sidebar host holding an iframe of the
// extension's own sidebar page, and hands that page the profile's markup,
// again when LinkedIn's contact-info dialog opens. Minimised, the sidebar is
// a pill that shows the verdict in a word (pill.js). It never calls the network and
// never builds DOM from page text: every element it makes is created with
// createElement and filled with textContent.
(() => {
  "use strict";

  const api = globalThis.browser ?? globalThis.chrome;
  const HOST_ID = "sourcebar-root";
  const WIDTH = 360;
  const POLL_MS = 400;
  const SETTLE_MS = 250;
  /** How long the contact-info dialog must be still before it is read again. */
  const OVERLAY_SETTLE_MS = 250;
  const MAX_MARKUP = 2 * 1024 * 1024;
  const COLLAPSED_KEY = "sourcebar.collapsed";
  const PILL_TOP_KEY = "sourcebar.pillTop";
  const PILL_TOP_DEFAULT = 96;
  const PROFILE_PATH = /^\/in\/[^/]+/;
  const OVERLAY_SELECTOR =
    "[role=dialog] .pv-contact-info, [role=dialog] section.pv-contact-info__contact-type, .artdeco-modal .pv-profile-section__section-info";

  /** Everything the script knows; one object so the flow is easy to follow. */
  const state = {
    host: null,
    frame: null,
    /** The minimised sidebar (pill.js), and its distance from the window's top in px. */
    pill: null,
    pillTop: PILL_TOP_DEFAULT,
    collapsed: false,
    /** The toggle shortcut's keys, as the background reads them ("" when none). */
    shortcut: "",
    /** The pill's words in the user's language, from the background. */
    words: {},
    sidebarReady: false,
    /** Public id of the person on screen, and the heading we saw for them. */
    personKey: null,
    heading: null,
    /** The previous person's heading: LinkedIn swaps the URL before the page. */
    staleHeading: null,
    navigatedAt: 0,
    /** Bumped at each change of person, so the sidebar drops stale messages. */
    navId: 0,
    settleTimer: 0,
    /** The contact-info dialog's text as last sent, and its debounce timer. */
    overlaySent: "",
    overlayTimer: 0,
  };

  const isProfilePage = () =>
    location.protocol === "https:" && PROFILE_PATH.test(location.pathname);

  const personKey = () => {
    const m = location.pathname.match(/^\/in\/([^/]+)/);
    if (!m) return null;
    try {
      return decodeURIComponent(m[1]).toLowerCase();
    } catch {
      return m[1].toLowerCase();
    }
  };

  const headingText = () => {
    const h1 = document.querySelector("main h1") || document.querySelector("h1");
    return h1 ? h1.textContent.trim() : "";
  };

  /** The pill's words in the sidebar's language (the background reads them), else the browser's. */
  const message = (key, fallback) => {
    const word = state.words[key];
    if (typeof word === "string" && word) return word.slice(0, 200);
    try {
      return api.i18n.getMessage(key) || fallback;
    } catch {
      return fallback;
    }
  };

  /** Tells the background (never the page): it keeps the toolbar button in step. */
  const tellBackground = (msg) => {
    try {
      api.runtime.sendMessage(msg).catch(() => {});
    } catch {
      // The extension was reloaded: this script is an orphan now.
    }
  };

  // ---- the sidebar host -------------------------------------------------

  const STYLE = `
    :host { all: initial; }
    iframe { border: 0; width: 100%; height: 100%; display: block;
             background: #fff; box-shadow: -2px 0 12px rgba(0,0,0,.18); }
    :host([data-collapsed="true"]) iframe { display: none; }
    :host([data-collapsed="true"]) button.pill { display: flex; }
  `;

  function buildHost() {
    const host = document.createElement("div");
    host.id = HOST_ID;
    Object.assign(host.style, {
      position: "fixed",
      top: "0",
      right: "0",
      height: "100vh",
      width: `${WIDTH}px`,
      zIndex: "2147483646",
      display: "block",
    });
    // Closed: the page's scripts cannot reach into the sidebar's host
    // (host.shadowRoot is null for them).
    const root = host.attachShadow({ mode: "closed" });

    const style = document.createElement("style");
    style.textContent = STYLE + globalThis.sourcebarPill.CSS;

    const frame = document.createElement("iframe");
    frame.src = api.runtime.getURL("sidebar.html");
    frame.title = message("sidebarLabel", "Sourcebar sidebar");
    frame.setAttribute("allow", "clipboard-write");

    const pill = globalThis.sourcebarPill.create({
      message,
      open: () => setCollapsed(false),
      top: () => state.pillTop,
      moveTo: movePill,
      minimised: () => state.collapsed,
    });
    pill.setShortcut(state.shortcut);

    root.append(style, frame, pill.element, pill.announcer);
    Object.assign(state, { host, frame, pill, sidebarReady: false });
    applyCollapsed();
    document.documentElement.appendChild(host);
  }

  function removeHost() {
    if (state.host) state.host.remove();
    Object.assign(state, {
      host: null, frame: null, pill: null, sidebarReady: false, personKey: null, heading: null,
    });
  }

  function applyCollapsed() {
    if (!state.host) return;
    const { style } = state.host;
    state.host.dataset.collapsed = String(state.collapsed);
    if (state.collapsed) {
      Object.assign(style, { width: "auto", height: "auto", top: `${clampTop(state.pillTop)}px` });
    } else {
      Object.assign(style, { width: `${WIDTH}px`, height: "100vh", top: "0" });
    }
  }

  function setCollapsed(collapsed) {
    state.collapsed = collapsed;
    applyCollapsed();
    api.storage.local.set({ [COLLAPSED_KEY]: collapsed });
    if (!collapsed && state.frame) state.frame.focus();
  }

  // ---- the pill ------------------------------------------------------------

  /** `top` kept inside the window, so the pill is always reachable. */
  function clampTop(top) {
    const wanted = Number.isFinite(top) ? top : PILL_TOP_DEFAULT;
    return state.pill ? state.pill.clamp(wanted) : Math.max(0, Math.round(wanted));
  }

  /** Puts the pill at `top` (while dragged, or for good when `save`). */
  function movePill(top, { save }) {
    state.pillTop = clampTop(top);
    if (state.host && state.collapsed) state.host.style.top = `${state.pillTop}px`;
    if (save) api.storage.local.set({ [PILL_TOP_KEY]: state.pillTop });
  }

  function showVerdict(verdict, label) {
    if (state.pill) state.pill.show(verdict, label);
  }

  // ---- what the sidebar receives -----------------------------------------

  /** LinkedIn's contact-info dialog, when the user opened it. */
  function overlayDialog() {
    const overlay = document.querySelector(OVERLAY_SELECTOR);
    return overlay ? overlay.closest("[role=dialog], .artdeco-modal") : null;
  }

  const overlayText = (dialog) => (dialog ? dialog.textContent.replace(/\s+/g, " ").trim() : "");

  function capture() {
    const main = document.querySelector("main") || document.body;
    let markup = main ? main.outerHTML : "";
    if (markup.length > MAX_MARKUP) markup = markup.slice(0, MAX_MARKUP);
    // LinkedIn embeds its page data as JSON in <code> elements outside <main>.
    const data = [];
    let total = 0;
    for (const code of document.querySelectorAll("code")) {
      const text = code.textContent || "";
      if (!text.includes("publicIdentifier")) continue;
      total += text.length;
      if (total > MAX_MARKUP) break;
      data.push(text);
    }
    // Contact details only when the user opened the dialog; never opened for them.
    const dialog = overlayDialog();
    state.overlaySent = overlayText(dialog);
    return {
      type: "sourcebar:profile",
      navId: state.navId,
      url: location.href,
      title: document.title,
      markup,
      data,
      overlay: dialog ? dialog.outerHTML.slice(0, MAX_MARKUP) : null,
    };
  }

  function sendProfile() {
    if (!state.sidebarReady || !isProfilePage()) return;
    api.runtime.sendMessage(capture()).catch(() => {
      // The sidebar was reloaded or is gone; it asks again when ready.
    });
  }

  /**
   * The contact-info dialog opened, or its content arrived or changed: the
   * same person again (same navId), now with the dialog's details. The sidebar
   * keeps its panel and fills what is empty.
   */
  function checkOverlay() {
    state.overlayTimer = 0;
    if (!state.host || !state.sidebarReady || !isProfilePage()) return;
    // The person must still be the one on screen and already sent.
    if (personKey() !== state.personKey || state.heading === null) return;
    const text = overlayText(overlayDialog());
    if (!text || text === state.overlaySent) return;
    sendProfile();
  }

  const overlayObserver = new MutationObserver(() => {
    // Cheap on LinkedIn's busy pages: only a timer, the reading comes later.
    if (!state.host || state.overlayTimer) return;
    state.overlayTimer = setTimeout(checkOverlay, OVERLAY_SETTLE_MS);
  });

  /**
   * Clicks LinkedIn's own "Contact info" link of the person on screen, as the
   * user asked in the sidebar; LinkedIn opens its dialog, which we then read.
   */
  function openContactInfo() {
    if (!state.host || !isProfilePage()) return false;
    if (overlayDialog()) {
      // Already open: read it again.
      state.overlaySent = "";
      checkOverlay();
      return true;
    }
    const link =
      document.getElementById("top-card-text-details-contact-info") ||
      document.querySelector('main a[href*="/overlay/contact-info/"]');
    if (!link || link.tagName !== "A" || !link.href) return false;
    let url;
    try {
      url = new URL(link.href, location.href);
    } catch {
      return false;
    }
    const m = url.pathname.match(/^\/in\/([^/]+)\/overlay\/contact-info\/?$/);
    let key = null;
    try {
      key = m ? decodeURIComponent(m[1]).toLowerCase() : null;
    } catch {
      key = null;
    }
    if (url.origin !== location.origin || key !== state.personKey) return false;
    link.click();
    return true;
  }

  // ---- following the page ------------------------------------------------

  function check() {
    if (!isProfilePage()) {
      if (state.host) {
        removeHost();
        tellBackground({ type: "sourcebar:left" });
      }
      return;
    }
    if (!state.host) buildHost();
    const key = personKey();
    const heading = headingText();
    if (key !== state.personKey) {
      // A new person: tell the sidebar at once so it clears the previous one,
      // then send the markup once the page has settled on them.
      state.staleHeading = state.heading;
      state.navigatedAt = Date.now();
      state.personKey = key;
      state.heading = null;
      state.navId += 1;
      state.overlaySent = "";
      showVerdict(null, "");
      // The background clears the toolbar button; in Firefox it also passes
      // this on to the sidebar (Chromium's sidebar hears it directly).
      tellBackground({ type: "sourcebar:navigating", navId: state.navId, url: location.href });
    }
    // Until the heading changes, the page still shows the previous person
    // (unless two people share a name: after a while, trust the URL).
    const stillStale =
      heading === state.staleHeading && Date.now() - state.navigatedAt < 3000;
    if (heading && heading !== state.heading && !stillStale) {
      state.heading = heading;
      clearTimeout(state.settleTimer);
      state.settleTimer = setTimeout(sendProfile, SETTLE_MS);
    }
  }

  // The sidebar talks to us through the background worker's relay
  // (runtime messaging), never through window messages the page could read
  // or forge: only our own extension can send these.
  api.runtime.onMessage.addListener((msg, sender, reply) => {
    if (!sender || sender.id !== api.runtime.id) return undefined;
    if (!msg || typeof msg !== "object" || typeof msg.type !== "string") return undefined;
    switch (msg.type) {
      case "sourcebar:ready":
        if (!state.host) return undefined;
        state.sidebarReady = true;
        state.heading = headingText();
        clearTimeout(state.settleTimer);
        sendProfile();
        break;
      case "sourcebar:collapse":
        if (state.host) setCollapsed(true);
        break;
      case "sourcebar:toggle":
        if (state.host) setCollapsed(!state.collapsed);
        reply({ toggled: Boolean(state.host) });
        break;
      case "sourcebar:verdict": {
        // Only for the person on screen; the background shows it on the
        // toolbar button only when we say so.
        const shown = Boolean(state.pill) && typeof msg.verdict === "string" &&
          Object.hasOwn(globalThis.sourcebarPill.VERDICTS, msg.verdict) && msg.navId === state.navId;
        if (shown) showVerdict(msg.verdict, typeof msg.label === "string" ? msg.label.slice(0, 120) : "");
        reply({ shown });
        break;
      }
      case "sourcebar:open-contact-info":
        reply({ opened: openContactInfo() });
        break;
      default:
        break;
    }
    return undefined;
  });

  api.storage.local.get([COLLAPSED_KEY, PILL_TOP_KEY]).then((stored) => {
    state.collapsed = stored[COLLAPSED_KEY] === true;
    if (Number.isFinite(stored[PILL_TOP_KEY])) state.pillTop = stored[PILL_TOP_KEY];
    applyCollapsed();
  });

  /** Asks the background for the shortcut and the words in the user's language. */
  function loadWords() {
    api.runtime
      .sendMessage({ type: "sourcebar:pill-words" })
      .then((answer) => {
        if (!answer || typeof answer !== "object") return;
        if (typeof answer.keys === "string") state.shortcut = answer.keys.slice(0, 40);
        if (answer.words && typeof answer.words === "object") state.words = answer.words;
        if (state.frame) state.frame.title = message("sidebarLabel", "Sourcebar sidebar");
        if (state.pill) state.pill.setShortcut(state.shortcut);
      })
      .catch(() => {});
  }
  loadWords();
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes["sourcebar.lang"]) loadWords();
  });

  window.addEventListener("popstate", check);
  // Back from the browser's page cache: the browser cleared the toolbar
  // button, so read the person again as if just arrived (a fresh navId).
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted || !state.host) return;
    state.personKey = null;
    check();
    state.staleHeading = null;
  });
  // A smaller window keeps the pill inside it (the remembered place stays).
  window.addEventListener("resize", applyCollapsed);
  const titleObserver = new MutationObserver(check);
  const watchTitle = () => {
    const title = document.querySelector("title");
    if (title) titleObserver.observe(title, { childList: true, characterData: true, subtree: true });
  };
  watchTitle();
  if (document.body) overlayObserver.observe(document.body, { childList: true, subtree: true, characterData: true });
  setInterval(check, POLL_MS);
  check();
})();
