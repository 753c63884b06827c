// SDK 1.x validates nothing at run time: its contract is its TypeScript types. This
// reads the declarations it ships (dist/<api-version>/index.d.mts and the files
// that one imports) and checks a value against a declared type the way tsc would
// check a literal of it: every required key present, every value of the declared
// primitive, literal, array, interface or union type. Types it does not model
// (generics other than Record, inline object types) are accepted as they are.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Loads the declarations of `pkg` (an npm alias of @polar-sh/sdk 1.x) for apiVersion. */
export function declarations(pkg, apiVersion) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "node_modules", pkg);
  const entry = join(root, "dist", apiVersion, "index.d.mts");
  const files = [...readFileSync(entry, "utf8").matchAll(/from "\.\.\/([^"]+)\.mjs"/g)].map((m) => join(root, "dist", `${m[1]}.d.mts`));
  const interfaces = new Map();
  const aliases = new Map();
  for (const f of files) parse(readFileSync(f, "utf8"), interfaces, aliases);
  return { interfaces, aliases, check: (type, value) => check({ interfaces, aliases }, type, value, type) };
}

function parse(src, interfaces, aliases) {
  const lines = src.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const alias = lines[i].match(/^type (\w+) = (.*);$/);
    if (alias) {
      // The bundle declares some names (Status) once per module: any of them is accepted.
      const seen = aliases.get(alias[1]);
      aliases.set(alias[1], seen && seen !== alias[2] ? `${seen} | ${alias[2]}` : alias[2]);
      continue;
    }
    const head = lines[i].match(/^interface (\w+)(?: extends [^{]+)? \{(\}?)$/);
    if (!head) continue;
    const fields = new Map();
    for (i++; head[2] === "" && i < lines.length && lines[i] !== "}"; i++) {
      const f = lines[i].match(/^ {2}("?[\w$-]+"?)(\?)?: (.*);$/);
      if (f) fields.set(f[1].replaceAll('"', ""), { optional: f[2] === "?", type: f[3] });
    }
    interfaces.set(head[1], fields);
  }
}

/** Splits a type at its top-level "|". */
function alternatives(type) {
  const out = [];
  let depth = 0, start = 0, quoted = false;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === '"') quoted = !quoted;
    if (quoted) continue;
    if ("<({[".includes(c)) depth++;
    if (">)}]".includes(c)) depth--;
    if (c === "|" && depth === 0) {
      out.push(type.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(type.slice(start).trim());
  return out.filter(Boolean);
}

/** Returns the problems of value against type, [] when it conforms. */
function check(decl, type, value, path) {
  const alts = alternatives(type);
  let best = null;
  for (const alt of alts) {
    const probs = checkOne(decl, alt, value, path);
    if (probs.length === 0) return [];
    if (!best || probs.length < best.length) best = probs;
  }
  return alts.length > 1 ? [`${path}: matches none of ${type}; closest: ${best.join("; ")}`] : best;
}

function checkOne(decl, type, value, path) {
  if (type.startsWith("(") && type.endsWith(")")) type = type.slice(1, -1);
  if (type === "null") return value === null ? [] : [`${path}: ${JSON.stringify(value)} is not null`];
  if (type === "string" || type === "number" || type === "boolean") {
    return typeof value === type ? [] : [`${path}: ${JSON.stringify(value)} is not a ${type}`];
  }
  if (/^"[^"]*"$/.test(type) || /^-?\d+(\.\d+)?$/.test(type) || type === "true" || type === "false") {
    return JSON.stringify(value) === type ? [] : [`${path}: ${JSON.stringify(value)} is not ${type}`];
  }
  if (type.endsWith("[]")) {
    if (!Array.isArray(value)) return [`${path}: ${JSON.stringify(value)} is not an array`];
    return value.flatMap((v, i) => check(decl, type.slice(0, -2), v, `${path}[${i}]`));
  }
  if (decl.aliases.has(type)) return check(decl, decl.aliases.get(type), value, path);
  const fields = decl.interfaces.get(type);
  if (!fields) return []; // Record<…>, unknown, inline object types: not modelled
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [`${path}: ${JSON.stringify(value)} is not a ${type}`];
  const probs = [];
  for (const [key, f] of fields) {
    if (!(key in value)) {
      if (!f.optional) probs.push(`${path}.${key}: missing (required by ${type})`);
      continue;
    }
    probs.push(...check(decl, f.type, value[key], `${path}.${key}`));
  }
  return probs;
}
