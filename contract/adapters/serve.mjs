// What the adapter tests share: an app's HTTP server on a free loopback port,
// waiting for something to come true, and the one line that sends an adapter's
// fixed Polar host to paylink.
import { createServer } from "node:http";

/** Serves handler(req, res) on 127.0.0.1; returns {url, close}. */
export async function listen(handler) {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((err) => {
      res.writeHead(500).end(String(err?.stack || err));
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
  };
}

/** Resolves once ok() is true (it may be async); fails with what() after 30 s. */
export async function until(ok, what) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (await ok()) return;
    if (Date.now() > deadline) throw new Error(`after 30s: ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Routes every request the process sends to Polar's API hosts (production and
 * sandbox, the only ones the express and hono adapters can name) to paylinkURL,
 * by wrapping the global fetch the SDK calls. Returns a function that undoes it.
 * The README shows the same few lines for an app's own start-up.
 */
export function polarHostsTo(paylinkURL) {
  const real = globalThis.fetch;
  const polarHosts = new Set(["https://api.polar.sh", "https://sandbox-api.polar.sh"]);
  globalThis.fetch = (input, init) => {
    const req = new Request(input, init);
    const u = new URL(req.url);
    if (!polarHosts.has(u.origin)) return real(req);
    return real(new Request(paylinkURL + u.pathname + u.search, req));
  };
  return () => { globalThis.fetch = real; };
}

/** Adapts a fetch-style handler (hono's app.fetch) to node:http, for listen(). */
export function nodeFetch(fetchHandler) {
  return async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    const body = ["GET", "HEAD"].includes(req.method) ? undefined : Buffer.concat(chunks);
    const out = await fetchHandler(new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body }));
    res.writeHead(out.status, Object.fromEntries(out.headers));
    res.end(Buffer.from(await out.arrayBuffer()));
  };
}
