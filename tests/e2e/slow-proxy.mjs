// A loopback proxy in front of the companion that the sidebar tests point
// the extension at, so that a test can hold an answer back (to see the
// "pending" and "busy" states) or fail it (to see "Retry"), per path.
import { createServer } from "node:http";

/**
 * Starts the proxy to `target` (the companion's http://ADDR).
 * `rules`: a Map of RegExp (matched against "METHOD /path") to
 * `{ delayMs?, status? }`; change it while the proxy runs.
 */
export async function startSlowProxy(target) {
  const rules = new Map();
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const line = `${req.method} ${req.url}`;
    const rule = [...rules].find(([pattern]) => pattern.test(line))?.[1] ?? {};
    if (rule.delayMs) await new Promise((ok) => setTimeout(ok, rule.delayMs));
    const cors = {
      "access-control-allow-origin": req.headers.origin || "*",
      "access-control-allow-headers": "authorization, content-type, idempotency-key",
      "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
    };
    if (rule.status && req.method !== "OPTIONS") {
      res.writeHead(rule.status, { "content-type": "application/json", ...cors });
      res.end(JSON.stringify({ error: { code: "ats_unreachable", message: "held back by the test proxy" } }));
      return;
    }
    const headers = { ...req.headers };
    delete headers.host;
    delete headers["content-length"];
    try {
      const answer = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers,
        body: ["GET", "HEAD"].includes(req.method) ? undefined : Buffer.concat(chunks),
      });
      const out = {};
      answer.headers.forEach((value, key) => {
        if (!["content-encoding", "content-length", "transfer-encoding", "connection"].includes(key)) out[key] = value;
      });
      res.writeHead(answer.status, out);
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch (e) {
      res.writeHead(502, { "content-type": "text/plain", ...cors });
      res.end(String(e));
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    address: `http://127.0.0.1:${server.address().port}`,
    rules,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}
