// Sourcebar content script: thin on purpose.
//
// It recognises LinkedIn profile pages (also after LinkedIn's in-page
// navigation), injects one fixed sidebar host holding an iframe of the
// extension's own sidebar page, and hands that page the profile's markup.
// It never calls the network and never builds DOM from page text: every
// element it makes is created with createElement and filled with textContent.
(() => {
  "use strict";

  const api = globalThis.browser ?? globalThis.chrome;
  const HOST_ID = "sourcebar-root";
  const WIDTH = 360;
  const POLL_MS = 400;
  const SETTLE_MS = 250;
  const MAX_MARKUP = 2 * 1024 * 1024;
  const COLLAPSED_KEY = "sourcebar.collapsed";
  const PROFILE_PATH = /^\/in\/[^/]+/;

  /** Everything the script knows; one object so the flow is easy to follow. */
  const state = {
    host: null,
    frame: null,
    tab: null,
    badge: null,
    collapsed: false,
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
  };

  const isProfilePage = () =>
    location.protocol === "https:" && PROFILE_PATH.test(location.pathname);

  const personKey = () => {
    const m = location.pathname.match(/^\/in\/([^/]+)/);
    return m ? decodeURIComponent(m[1]).toLowerCase() : null;
  };

  const headingText = () => {
    const h1 = document.querySelector("main h1") || document.querySelector("h1");
    return h1 ? h1.textContent.trim() : "";
  };

  const message = (key, fallback) => {
    try {
      return api.i18n.getMessage(key) || fallback;
    } catch {
      return fallback;
    }
  };

  // ---- the sidebar host -------------------------------------------------

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
    const root = host.attachShadow({ mode: "open" });

    const style = document.createElement("style");
    style.textContent = `
      :host { all: initial; }
      iframe { border: 0; width: 100%; height: 100%; display: block;
               background: #fff; box-shadow: -2px 0 12px rgba(0,0,0,.18); }
      button.tab { position: absolute; top: 96px; right: 0; width: 36px; height: 44px;
               border: 0; border-radius: 8px 0 0 8px; background: #4338ca; color: #fff;
               font: 600 15px system-ui, sans-serif; cursor: pointer; display: none;
               box-shadow: -2px 0 8px rgba(0,0,0,.25); }
      button.tab:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
      span.badge { position: absolute; top: 4px; left: 4px; width: 10px; height: 10px;
               border-radius: 50%; border: 2px solid #fff; display: none; }
      :host([data-collapsed="true"]) iframe { display: none; }
      :host([data-collapsed="true"]) button.tab { display: block; }
    `;

    const frame = document.createElement("iframe");
    frame.src = api.runtime.getURL("sidebar.html");
    frame.title = message("sidebarLabel", "Sourcebar sidebar");
    frame.setAttribute("allow", "clipboard-write");

    const tab = document.createElement("button");
    tab.className = "tab";
    tab.type = "button";
    tab.setAttribute("data-testid", "sidebar-tab");
    tab.setAttribute("aria-label", message("tabOpen", "Open Sourcebar"));
    tab.title = message("tabOpen", "Open Sourcebar");
    tab.textContent = "S";
    tab.addEventListener("click", () => setCollapsed(false));

    const badge = document.createElement("span");
    badge.className = "badge";
    badge.setAttribute("data-testid", "sidebar-badge");
    tab.appendChild(badge);

    root.append(style, frame, tab);
    Object.assign(state, { host, frame, tab, badge, sidebarReady: false });
    applyCollapsed();
    document.documentElement.appendChild(host);
  }

  function removeHost() {
    if (state.host) state.host.remove();
    Object.assign(state, {
      host: null, frame: null, tab: null, badge: null,
      sidebarReady: false, personKey: null, heading: null,
    });
  }

  function applyCollapsed() {
    if (!state.host) return;
    state.host.dataset.collapsed = String(state.collapsed);
    state.host.style.width = state.collapsed ? "36px" : `${WIDTH}px`;
    state.host.style.height = state.collapsed ? "auto" : "100vh";
  }

  function setCollapsed(collapsed) {
    state.collapsed = collapsed;
    applyCollapsed();
    api.storage.local.set({ [COLLAPSED_KEY]: collapsed });
    if (!collapsed && state.frame) state.frame.focus();
  }

  function showBadge(verdict) {
    if (!state.badge) return;
    const colours = { exact: "#dc2626", possible: "#f59e0b", none: "#16a34a" };
    const colour = colours[verdict];
    state.badge.style.display = colour ? "block" : "none";
    if (colour) state.badge.style.background = colour;
    if (state.host) state.host.dataset.verdict = colour ? verdict : "";
  }

  // ---- what the sidebar receives -----------------------------------------

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
    // Contact details only when the user opened the overlay; never opened for them.
    const overlay = document.querySelector(
      "[role=dialog] .pv-contact-info, [role=dialog] section.pv-contact-info__contact-type, .artdeco-modal .pv-profile-section__section-info"
    );
    const dialog = overlay ? overlay.closest("[role=dialog], .artdeco-modal") : null;
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

  // ---- following the page ------------------------------------------------

  function check() {
    if (!isProfilePage()) {
      removeHost();
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
      showBadge(null);
      if (state.sidebarReady) {
        api.runtime
          .sendMessage({ type: "sourcebar:navigating", navId: state.navId, url: location.href })
          .catch(() => {});
      }
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

  window.addEventListener("message", (event) => {
    // Only the sidebar frame may talk to us, and only with known messages.
    if (!state.frame || event.source !== state.frame.contentWindow) return;
    const msg = event.data;
    if (!msg || typeof msg !== "object" || typeof msg.type !== "string") return;
    switch (msg.type) {
      case "sourcebar:ready":
        state.sidebarReady = true;
        state.heading = headingText();
        clearTimeout(state.settleTimer);
        sendProfile();
        break;
      case "sourcebar:collapse":
        setCollapsed(true);
        break;
      case "sourcebar:verdict":
        if (typeof msg.verdict === "string" && msg.navId === state.navId) showBadge(msg.verdict);
        break;
      default:
        break;
    }
  });

  api.runtime.onMessage.addListener((msg) => {
    if (msg && msg.type === "sourcebar:toggle" && state.host) setCollapsed(!state.collapsed);
  });

  api.storage.local.get(COLLAPSED_KEY).then((stored) => {
    state.collapsed = stored[COLLAPSED_KEY] === true;
    applyCollapsed();
  });

  window.addEventListener("popstate", check);
  const titleObserver = new MutationObserver(check);
  const watchTitle = () => {
    const title = document.querySelector("title");
    if (title) titleObserver.observe(title, { childList: true, characterData: true, subtree: true });
  };
  watchTitle();
  setInterval(check, POLL_MS);
  check();
})();
