// Readable SDK errors. explained(sdk) wraps a Polar SDK client so that a rejected
// call's error message says exactly what went wrong:
//
//   - the SDK rejected paylink's response (ResponseValidationError /
//     SDKValidationError): one line per offending field with the expected type and
//     the value paylink sent, then the raw body;
//   - paylink answered an error status: the status and the body.
//
// The error keeps its class, so `instanceof ResourceNotFound` still works.

/** Wraps an SDK object (and its sub-SDKs) so that rejections are explained. */
export function explained(obj, path = "sdk") {
  return new Proxy(obj, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof prop !== "string" || prop.startsWith("_") || prop === "constructor") return v;
      if (typeof v === "function") {
        return (...args) => {
          const res = v.apply(target, args);
          return res instanceof Promise ? res.catch((err) => Promise.reject(explain(err, `${path}.${prop}`))) : res;
        };
      }
      if (v && typeof v === "object" && Object.getPrototypeOf(v) !== Object.prototype) return explained(v, `${path}.${prop}`);
      return v;
    },
  });
}

/** Rewrites err's message (and stack header) in place and returns it. */
export function explain(err, call) {
  if (!(err instanceof Error) || err.explained) return err;
  let msg = `${call}: ${err.name}: ${err.message}`;
  if (typeof err.pretty === "function" && "rawValue" in err) {
    const whose = err.rawMessage === "Input validation failed" ? "our request (a bug in the test)" : "paylink's response";
    const issues = err.cause?.issues ? formatIssues(err.cause.issues, err.rawValue) : [err.pretty()];
    msg = `${call}: the SDK rejected ${whose} (${err.name}: ${err.rawMessage})\n` +
      issues.map((l) => `  - ${l}`).join("\n") +
      `\nraw value: ${JSON.stringify(err.rawValue, null, 2)}`;
  } else if (typeof err.statusCode === "number" && err.body !== undefined && !err.message.includes(String(err.body).trim())) {
    msg += `\nstatus ${err.statusCode}, body: ${err.body}`;
  }
  const frames = (err.stack ?? "").split("\n").filter((l) => l.startsWith("    at "));
  err.message = msg;
  err.stack = `${err.name}: ${msg}\n${frames.join("\n")}`;
  // Everything is in the message now: keep node's error printout to that.
  for (const k of ["body", "headers", "contentType", "rawResponse", "rawValue", "rawMessage", "data$"]) {
    if (Object.prototype.hasOwnProperty.call(err, k)) Object.defineProperty(err, k, { enumerable: false });
  }
  Object.defineProperty(err, "explained", { value: true, enumerable: false });
  return err;
}

/**
 * Formats zod issues as "at a.b.0: expected string, got number 5". For a union
 * (e.g. the four Discount shapes) it reports the member that came closest.
 */
export function formatIssues(issues, raw, prefix = []) {
  const out = [];
  for (const is of issues) {
    const path = [...prefix, ...(is.path ?? [])];
    if (is.code === "invalid_union" && Array.isArray(is.errors) && is.errors.length) {
      const flat = is.errors.every((b) => b.length === 1 && !b[0].path?.length && ["invalid_type", "invalid_value"].includes(b[0].code));
      if (flat) { // a nullable enum or scalar union: list every accepted value or type
        const accepted = is.errors.flatMap(([b]) => (b.code === "invalid_value" ? b.values.map((v) => JSON.stringify(v)) : [b.expected]));
        out.push(`at ${where(path)}: expected ${accepted.join(" | ")}, got ${describe(valueAt(raw, path))}`);
        continue;
      }
      const closest = is.errors.reduce((a, b) => (b.length < a.length ? b : a));
      out.push(`at ${where(path)}: no member of the union matched; the closest one (of ${is.errors.length}) says:`);
      out.push(...formatIssues(closest, raw, path).map((l) => `  ${l}`));
      continue;
    }
    const got = valueAt(raw, path);
    let what = is.message && is.message !== "Invalid input" ? is.message : is.code;
    if (is.code === "invalid_type") what = `expected ${is.expected}`;
    else if (is.code === "invalid_value" && is.values) what = `expected one of ${JSON.stringify(is.values)}`;
    else if (is.code === "invalid_format") what = `expected ${is.format} format`;
    out.push(`at ${where(path)}: ${what}, got ${describe(got)}`);
  }
  return out;
}

function where(path) {
  return path.length ? path.join(".") : "(top level)";
}

function valueAt(raw, path) {
  let v = raw;
  for (const k of path) {
    if (v === null || typeof v !== "object" || !(k in v)) return { missing: true };
    v = v[k];
  }
  return { value: v };
}

function describe(got) {
  if (got.missing) return "nothing (the field is missing)";
  const v = got.value;
  const type = v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
  const shown = JSON.stringify(v) ?? String(v);
  return `${type} ${shown.length > 80 ? shown.slice(0, 77) + "..." : shown}`;
}
