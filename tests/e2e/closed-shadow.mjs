// Reading inside the sidebar host's *closed* shadow root from a test.
// The page's own scripts cannot (host.shadowRoot is null for them); the
// DevTools protocol can, which is how a test checks the minimised pill.

/** Depth-first search of a DevTools DOM tree (shadow roots included). */
function findNode(node, test) {
  if (test(node)) return node;
  for (const child of [...(node.children || []), ...(node.shadowRoots || [])]) {
    const found = findNode(child, test);
    if (found) return found;
  }
  return null;
}

const attribute = (node, name) => {
  const list = node.attributes || [];
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1];
  return undefined;
};

/**
 * Runs `fn` (with `this` = the element matching `selector` inside the
 * sidebar host's shadow root) and returns its JSON result, plus the root's
 * mode as DevTools reports it.
 */
export async function inSidebarShadow(page, selector, fn) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send("DOM.getDocument", { depth: -1, pierce: true });
    const host = findNode(root, (n) => attribute(n, "id") === "sourcebar-root");
    if (!host) throw new Error("no #sourcebar-root in the page");
    const [shadow] = host.shadowRoots || [];
    if (!shadow) throw new Error("the sidebar host has no shadow root");
    const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: shadow.nodeId, selector });
    if (!nodeId) throw new Error(`nothing matches ${selector} in the sidebar's shadow root`);
    const { object } = await cdp.send("DOM.resolveNode", { nodeId });
    const { result, exceptionDetails } = await cdp.send("Runtime.callFunctionOn", {
      objectId: object.objectId, functionDeclaration: fn.toString(), returnByValue: true,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.text);
    return { mode: shadow.shadowRootType, value: result.value };
  } finally {
    await cdp.detach();
  }
}

/** The pill's box in the page, and whether it is shown. */
export async function pillBox(page) {
  const { value } = await inSidebarShadow(page, '[data-testid="sidebar-tab"]', function box() {
    const r = this.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height, shown: getComputedStyle(this).display !== "none" };
  });
  return value;
}

/**
 * Clicks the minimised sidebar's pill like a user: with the mouse, at its
 * centre, and waits until the sidebar is open again.
 *
 * Right after collapsing, the browser may still route a click at that point
 * to the hidden sidebar frame (another process) until its hit-test regions
 * catch up; a user clicks again, and so does this, once, before failing with
 * what was under the pointer.
 */
export async function clickSidebarTab(page) {
  const expanded = () => page.evaluate(() => document.getElementById("sourcebar-root")?.dataset.collapsed === "false");
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const box = await pillBox(page);
    if (!box.shown || box.width === 0) throw new Error("the sidebar's pill is not shown");
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.click(x, y);
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline) {
      if (await expanded()) return;
      await page.waitForTimeout(100);
    }
    if (attempt === 2) {
      const under = await page.evaluate(([px, py]) => {
        const el = document.elementFromPoint(px, py);
        return el ? `${el.tagName}#${el.id} collapsed=${document.getElementById("sourcebar-root")?.dataset.collapsed}` : "nothing";
      }, [x, y]);
      throw new Error(`clicking the pill at (${x}, ${y}) did not open the sidebar; under the pointer: ${under}`);
    }
  }
}

/**
 * What the minimised pill says: its verdict (`""` before any), icon, word,
 * accessible name and tooltip.
 */
export async function pillState(page) {
  const { value } = await inSidebarShadow(page, '[data-testid="sidebar-tab"]', function state() {
    return {
      verdict: this.dataset.verdict,
      icon: this.querySelector(".icon").textContent,
      word: this.querySelector(".word").textContent,
      label: this.getAttribute("aria-label"),
      title: this.title,
      background: getComputedStyle(this).backgroundColor,
    };
  });
  return value;
}
