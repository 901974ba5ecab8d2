// Sourcebar's minimised sidebar: a pill on the right edge of the page that
// says the verdict with an icon and a word (colour only repeats them), names
// itself with the sidebar's sentence for screen readers, opens the panel on a
// click and can be dragged up or down (or moved with the arrow keys).
//
// Loaded just before content.js, in the same isolated world of the content
// script (never the page's): it only defines `sourcebarPill` there. Like the
// content script it builds DOM with createElement and textContent only.
(() => {
  "use strict";

  /** Movement (px) under which a press on the pill is a click, not a drag. */
  const DRAG_SLOP = 5;
  /** How far an arrow key moves the pill, in px. */
  const KEY_STEP = 24;
  /** The gap the pill keeps from the window's top and bottom edges, in px. */
  const MARGIN = 8;

  /** Per verdict: the icon, the word and the sentence used when the sidebar gave none (_locales keys). */
  const VERDICTS = {
    pending: { icon: "S", word: "pillPending", says: "verdictPending" },
    exact: { icon: "✓", word: "pillExact", says: "verdictExact" },
    possible: { icon: "?", word: "pillPossible", says: "verdictPossible" },
    none: { icon: "+", word: "pillNone", says: "verdictNone" },
    error: { icon: "!", word: "pillError", says: "verdictError" },
  };

  /** The pill's style, for the sidebar host's (closed) shadow root. */
  const CSS = `
    button.pill { display: none; align-items: center; gap: 6px; box-sizing: border-box;
             min-height: 40px; max-width: 160px; margin: 0; padding: 6px 12px 6px 8px;
             border: 2px solid #312e81; border-right: 0; border-radius: 20px 0 0 20px;
             background: #4338ca; color: #fff; font: 600 14px/1.2 system-ui, sans-serif;
             cursor: grab; touch-action: none; user-select: none;
             box-shadow: -2px 2px 8px rgba(0,0,0,.25); }
    button.pill.dragging { cursor: grabbing; }
    button.pill:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
    span.icon { display: inline-flex; align-items: center; justify-content: center; flex: none;
             width: 22px; height: 22px; border-radius: 50%; background: rgba(255,255,255,.22);
             font-size: 14px; font-weight: 700; }
    span.word { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    span.word:empty { display: none; }
    button.pill[data-verdict="pending"] { background: #f3f4f6; color: #374151; border-color: #9ca3af; }
    button.pill[data-verdict="pending"] span.icon { background: #e5e7eb; }
    button.pill[data-verdict="exact"] { background: #0f766e; border-color: #115e59; }
    button.pill[data-verdict="possible"] { background: #fbbf24; color: #1f2937; border-color: #b45309; }
    button.pill[data-verdict="possible"] span.icon { background: rgba(255,255,255,.55); }
    button.pill[data-verdict="none"] { background: #475569; border-color: #334155; }
    button.pill[data-verdict="error"] { background: #fff; color: #b91c1c; border-color: #b91c1c; }
    button.pill[data-verdict="error"] span.icon { background: #b91c1c; color: #fff; }
    span.announce { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
             overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  `;

  /**
   * Makes the pill.
   * `message(key, fallback)`: its words; `open()`: a click on it;
   * `top()`: where it is (px from the window's top); `moveTo(top, { save })`:
   * put it there (`save` once the user let go, to remember it);
   * `minimised()`: whether the pill is what the user sees (then a new verdict
   * is also announced to screen readers, through `announcer`).
   */
  function createPill({ message, open, top, moveTo, minimised }) {
    const button = document.createElement("button");
    button.className = "pill";
    button.type = "button";
    button.setAttribute("data-testid", "sidebar-tab");
    const icon = document.createElement("span");
    icon.className = "icon";
    icon.setAttribute("aria-hidden", "true");
    const word = document.createElement("span");
    word.className = "word";
    button.append(icon, word);
    // A polite live region: a changed aria-label alone is never read out.
    const announcer = document.createElement("span");
    announcer.className = "announce";
    announcer.setAttribute("role", "status");
    announcer.setAttribute("data-testid", "pill-status");

    const view = { verdict: null, label: "", shortcut: "" };

    function render() {
      const opens = message("tabOpen", "Open Sourcebar");
      const shown = view.verdict ? VERDICTS[view.verdict] : null;
      button.dataset.verdict = view.verdict || "";
      icon.textContent = shown ? shown.icon : "S";
      word.textContent = shown ? message(shown.word, "") : "";
      const says = shown ? view.label || message(shown.says, "") : "";
      button.setAttribute("aria-label", says ? `${says} — ${opens}` : opens);
      button.title = [
        view.shortcut ? message("tabOpenShortcut", `${opens} (${view.shortcut})`) : opens,
        says,
        message("pillMoveHint", "Drag up or down, or use the arrow keys, to move it"),
      ].filter(Boolean).join("\n");
      if (view.shortcut) button.setAttribute("aria-keyshortcuts", view.shortcut);
      else button.removeAttribute("aria-keyshortcuts");
      return says;
    }

    // A press that moves drags; one that does not is a click, which opens.
    let drag = null;
    let dragged = false;
    button.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      drag = { id: event.pointerId, startY: event.clientY, startTop: top(), moved: false };
      dragged = false;
      try {
        button.setPointerCapture(event.pointerId);
      } catch {
        // The pointer is already gone.
      }
    });
    button.addEventListener("pointermove", (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      const dy = event.clientY - drag.startY;
      if (!drag.moved && Math.abs(dy) < DRAG_SLOP) return;
      drag.moved = true;
      button.classList.add("dragging");
      moveTo(drag.startTop + dy, { save: false });
    });
    const release = (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      if (drag.moved) {
        dragged = true;
        moveTo(top(), { save: true });
        // A click may follow the release, or not: it must never open the panel.
        setTimeout(() => { dragged = false; }, 0);
      }
      button.classList.remove("dragging");
      drag = null;
    };
    button.addEventListener("pointerup", release);
    button.addEventListener("pointercancel", release);
    button.addEventListener("click", (event) => {
      if (dragged) {
        dragged = false;
        event.preventDefault();
        return;
      }
      open();
    });
    button.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
      event.preventDefault();
      event.stopPropagation();
      moveTo(top() + (event.key === "ArrowUp" ? -KEY_STEP : KEY_STEP), { save: true });
    });

    render();
    return {
      element: button,
      announcer,
      /** Shows `verdict` (null: none yet) with the sidebar's sentence for it. */
      show(verdict, label) {
        view.verdict = Object.hasOwn(VERDICTS, verdict) ? verdict : null;
        view.label = view.verdict && typeof label === "string" ? label : "";
        const says = render();
        // Only an answer, and only while minimised: the open panel says it itself.
        announcer.textContent = minimised() && view.verdict && view.verdict !== "pending" ? says : "";
      },
      /** The toggle shortcut's keys, shown in the tooltip ("" when none). */
      setShortcut(keys) {
        view.shortcut = keys;
        render();
      },
      /** Renders the words again (they arrived, or the language changed). */
      render,
      /** `wanted` kept inside the window, so the pill is always reachable. */
      clamp(wanted) {
        const height = button.offsetHeight || 40;
        const max = Math.max(MARGIN, window.innerHeight - height - MARGIN);
        return Math.round(Math.min(Math.max(wanted, MARGIN), max));
      },
    };
  }

  globalThis.sourcebarPill = { create: createPill, CSS, VERDICTS };
})();
