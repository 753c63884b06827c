// Contract harness: runs a real paylink binary and points Polar's official SDK
// (@polar-sh/sdk, pinned in package.json) at it.
//
//   PAYLINK_BIN                 the paylink binary to run (required; .ci/run builds it)
//   CONTRACT_ENGINE             sqlite (default) or postgres
//   PAYLINK_TEST_DATABASE_URL   PostgreSQL server for CONTRACT_ENGINE=postgres; each
//                               start() gets a fresh schema on it, dropped by stop()
//   CONTRACT_LOGS=1             copy paylink's stderr to ours
//   CONTRACT_STRICT=1           ignore pending.mjs: pending resources fail for real
//
// A test file is all it takes to cover a new resource: call start() in before(),
// stop() in after(), and use the returned sdk. Every SDK call made through it turns a
// response the SDK rejects into an error whose message names the field, the expected
// type and the raw response body.

import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach } from "node:test";
import assert from "node:assert/strict";

import { Polar } from "@polar-sh/sdk";
import { HTTPValidationError } from "@polar-sh/sdk/models/errors/httpvalidationerror.js";
import { PolarError } from "@polar-sh/sdk/models/errors/polarerror.js";
import { ResourceNotFound } from "@polar-sh/sdk/models/errors/resourcenotfound.js";
import { ResponseValidationError } from "@polar-sh/sdk/models/errors/responsevalidationerror.js";
import { SDKValidationError } from "@polar-sh/sdk/models/errors/sdkvalidationerror.js";

import { explained } from "./explain.mjs";
import { PENDING } from "./pending.mjs";

export { HTTPValidationError, PolarError, ResourceNotFound, ResponseValidationError, SDKValidationError };

/** The engine this run tests: "sqlite" or "postgres". */
export const ENGINE = process.env.CONTRACT_ENGINE || "sqlite";

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

/**
 * Starts paylink on a fresh database of ENGINE, on a free port, with the demo
 * organization seeded. Returns {url, token, orgId, databaseURL, sdk, newOrg, stop}.
 */
export async function start() {
  const bin = process.env.PAYLINK_BIN;
  if (!bin) throw new Error("PAYLINK_BIN is not set: build paylink (go build -o /tmp/paylink ./cmd/paylink) and export PAYLINK_BIN=/tmp/paylink");
  const db = freshDatabase();
  let child;
  try {
    child = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--database", db.url], {
      env: { ...process.env, ...(db.storage ? { PAYLINK_STORAGE_URL: db.storage } : {}), PAYLINK_DEMO: "true", PAYLINK_LOG_LEVEL: process.env.PAYLINK_LOG_LEVEL || "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (err) {
    db.drop();
    throw err;
  }
  const out = { stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (s) => (out.stdout += s));
  child.stderr.setEncoding("utf8").on("data", (s) => {
    out.stderr += s;
    if (process.env.CONTRACT_LOGS) process.stderr.write(s);
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));

  let url, token;
  try {
    ({ url, token } = await waitForStartup(child, out, exited));
  } catch (err) {
    child.kill("SIGKILL");
    db.drop();
    throw err;
  }

  const sdk = polarSDK(token, url);
  const orgs = await sdk.organizations.listOrganizations({});
  const orgId = orgs.result.items[0]?.id;

  let stopped = false;
  return {
    url,
    token,
    orgId,
    databaseURL: db.url,
    /** The paylink process id (its /proc/PID/status tells its memory). */
    pid: child.pid,
    sdk,
    /** Logs paylink wrote so far (stderr), for failure messages. */
    logs: () => out.stderr,
    /** Creates another organization through the CLI; returns {orgId, token, sdk}. */
    newOrg(name, scopes = []) {
      const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${randomBytes(3).toString("hex")}`;
      const id = cli(bin, ["org", "create", "--database", db.url, "--name", name, "--slug", slug]);
      const args = ["token", "create", "--database", db.url, "--org", slug];
      if (scopes.length) args.push("--scopes", scopes.join(","));
      const tok = cli(bin, args);
      return { orgId: id, token: tok, sdk: polarSDK(tok, url) };
    },
    /** Stops paylink (SIGTERM, then SIGKILL) and drops its database. */
    async stop() {
      if (stopped) return;
      stopped = true;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      const { code, signal } = await exited;
      clearTimeout(timer);
      db.drop();
      if (code !== 0 && signal !== "SIGTERM") {
        throw new Error(`paylink exited with code ${code} signal ${signal} on shutdown; stderr:\n${out.stderr}`);
      }
    },
  };
}

/** Returns a Polar SDK client for token against url, with errors made readable. */
export function polarSDK(token, url) {
  return explained(new Polar({ accessToken: token, serverURL: url }), "sdk");
}

/**
 * Marks the tests of the current describe block as pending while resource is listed
 * in pending.mjs (its API is not built yet): they still run and print their
 * failures, but node:test reports them as TODO, so they do not fail the run.
 * CONTRACT_STRICT=1 ignores the list. Call it first thing inside describe().
 */
export function pending(resource) {
  const reason = process.env.CONTRACT_STRICT ? undefined : PENDING[resource];
  if (reason) beforeEach((t) => t.todo(`pending: ${reason}`));
  return reason;
}

/**
 * Asserts that promise rejects with an instance of ErrorClass (e.g. ResourceNotFound,
 * HTTPValidationError) and returns the error. Any other outcome fails with the details.
 */
export async function expectError(promise, ErrorClass, what = "") {
  let value;
  try {
    value = await promise;
  } catch (err) {
    if (err instanceof ErrorClass) return err;
    const body = err?.body ? `\nbody: ${err.body}` : "";
    assert.fail(`${what}: expected ${ErrorClass.name}, got ${err?.name}: ${err?.message}${body}`);
  }
  assert.fail(`${what}: expected ${ErrorClass.name}, but the call succeeded with ${JSON.stringify(value)?.slice(0, 500)}`);
}

/** Asserts that a 422 names the location loc (e.g. ["body","prices",0,"price_amount"]). */
export function assertLoc(err, loc) {
  const locs = (err.detail ?? []).map((d) => JSON.stringify(d.loc));
  assert.ok(locs.includes(JSON.stringify(loc)), `422 should locate ${JSON.stringify(loc)}; got ${locs.join(", ") || err.body}`);
}

/** Collects the items of every page of an SDK list call (the SDK follows max_page). */
export async function listAll(pages) {
  const items = [];
  let n = 0;
  for await (const page of await pages) {
    items.push(...page.result.items);
    if (++n > 100) throw new Error("listAll: more than 100 pages; is pagination.max_page right?");
  }
  return items;
}

/** A random suffix for names and codes that must be unique. */
export function uniq() {
  return randomBytes(4).toString("hex");
}

// --- internals ---

function freshDatabase() {
  if (ENGINE === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "paylink-contract-"));
    return { url: `sqlite:${join(dir, "paylink.db")}`, drop: () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (ENGINE !== "postgres") throw new Error(`CONTRACT_ENGINE=${ENGINE}: want sqlite or postgres`);
  const base = process.env.PAYLINK_TEST_DATABASE_URL;
  if (!base) throw new Error("CONTRACT_ENGINE=postgres needs PAYLINK_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)");
  const schema = `contract_${randomBytes(6).toString("hex")}`;
  psql(base, `CREATE SCHEMA ${schema}`);
  const u = new URL(base);
  u.searchParams.set("search_path", schema);
  // Uploaded files go to a folder of the test's own, not ./paylink-files.
  const files = mkdtempSync(join(tmpdir(), "paylink-contract-files-"));
  return {
    url: u.toString(),
    storage: `file://${files}`,
    drop: () => {
      psql(base, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      rmSync(files, { recursive: true, force: true });
    },
  };
}

function psql(url, sql) {
  execFileSync("psql", [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], { stdio: ["ignore", "ignore", "pipe"] });
}

function cli(bin, args) {
  try {
    return execFileSync(bin, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch (err) {
    throw new Error(`paylink ${args.slice(0, 2).join(" ")} failed: ${err.stderr || err.message}`);
  }
}

async function waitForStartup(child, out, exited) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exit;
  exited.then((e) => (exit = e));
  for (;;) {
    if (exit) throw new Error(`paylink exited (code ${exit.code}) before it was ready; stdout:\n${out.stdout}\nstderr:\n${out.stderr}`);
    const url = line(out.stdout, "paylink is running at ");
    const token = line(out.stdout, "API token:");
    if (url && token) {
      try {
        const res = await fetch(`${url}/healthz`);
        if (res.ok) return { url, token };
      } catch {
        // not listening yet
      }
    }
    if (Date.now() > deadline) throw new Error(`paylink did not start within ${START_TIMEOUT_MS / 1000}s; stdout:\n${out.stdout}\nstderr:\n${out.stderr}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function line(text, label) {
  for (const l of text.split("\n")) {
    const i = l.indexOf(label);
    if (i >= 0) return l.slice(i + label.length).trim();
  }
  return "";
}

/** A merchant's endpoint on 127.0.0.1 that records every request's raw body and headers. */
export async function receiver() {
  const got = [];
  const waiters = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}/paylink`,
    got,
    /** Resolves once n requests have arrived; rejects after 30 s. */
    async wait(n) {
      const deadline = Date.now() + 30_000;
      while (got.length < n) {
        if (Date.now() > deadline) throw new Error(`receiver: ${got.length} of ${n} requests after 30s`);
        await new Promise((r) => { waiters.push(r); setTimeout(r, 200); });
      }
      return got;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}
