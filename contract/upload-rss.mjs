// Measures paylink's memory while the SDK uploads a large file through Polar's
// part protocol: files.create, a PUT of each 10 MB part (the bytes generated as
// they are sent), files.uploaded. It prints the server process's resident set
// (VmRSS) and peak (VmHWM) before and after. Not a test: run it by hand,
//   PAYLINK_BIN=/tmp/paylink node upload-rss.mjs [MB]
// (CONTRACT_ENGINE=postgres with PAYLINK_TEST_DATABASE_URL for PostgreSQL).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import { ENGINE, start } from "./harness.mjs";

const MB = Number(process.argv[2] || 100);
const SIZE = MB * 1024 * 1024;
const PART = 10_000_000;

/** Bytes [start, end) of a fixed sequence. */
function chunk(start, end) {
  const b = Buffer.allocUnsafe(end - start);
  for (let i = 0; i < b.length; i++) b[i] = ((start + i) * 2654435761) >>> 24;
  return b;
}

function mem(pid) {
  const s = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k) => Number(s.match(new RegExp(`${k}:\\s+(\\d+) kB`))[1]);
  return { rss: kb("VmRSS") >> 10, hwm: kb("VmHWM") >> 10 };
}

const pl = await start();
try {
  const parts = [];
  const whole = createHash("sha256");
  for (let s = 0, n = 1; s < SIZE; s += PART, n++) {
    const e = Math.min(s + PART, SIZE);
    const c = chunk(s, e);
    whole.update(c);
    parts.push({ number: n, chunkStart: s, chunkEnd: e, checksumSha256Base64: createHash("sha256").update(c).digest("base64") });
  }
  const before = mem(pl.pid);
  const t0 = Date.now();
  const up = await pl.sdk.files.create({ name: "big.bin", mimeType: "application/octet-stream", service: "downloadable",
    size: SIZE, checksumSha256Base64: whole.digest("base64"), upload: { parts } });
  const done = [];
  let peak = before.rss;
  for (const p of up.upload.parts) {
    const res = await fetch(p.url, { method: "PUT", headers: p.headers, body: chunk(p.chunkStart, p.chunkEnd) });
    if (res.status !== 200) throw new Error(`part ${p.number}: ${res.status} ${await res.text()}`);
    done.push({ number: p.number, checksumEtag: res.headers.get("etag"), checksumSha256Base64: p.checksumSha256Base64 });
    peak = Math.max(peak, mem(pl.pid).rss);
  }
  const file = await pl.sdk.files.uploaded({ id: up.id, fileUploadCompleted: { id: up.upload.id, path: up.upload.path, parts: done } });
  const after = mem(pl.pid);
  if (!file.isUploaded) throw new Error("not uploaded");
  console.log(`${ENGINE}: ${MB} MB in ${parts.length} parts through the SDK in ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
    `paylink RSS ${before.rss} MB before, ${after.rss} MB after (highest sampled after a part ${peak} MB); ` +
    `peak RSS (VmHWM) ${before.hwm} MB before, ${after.hwm} MB after (grew ${after.hwm - before.hwm} MB)`);
} finally {
  await pl.stop();
}
