// A stand-in for `dflc serve` that speaks the /v1 API the panel is written against: used by the
// client's unit tests (reconnect, WebSocket fallback) and to try the browser page without the
// real node (`node e2e/fake-node.mjs` serves dist/web on 127.0.0.1:47600). Not a spec: where
// the real node differs, the real node is right and this file follows it.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { WebSocketServer } from "ws";

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
/** A w×h PNG filled with one colour: enough to see a preview change. */
export function png(w, h, [r, g, b]) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3).map((_, i) => [r, g, b][i % 3])]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

export const MERGE_SCHEMA = [
  { path: "settings.mode", flag: "--mode", type: "choice", default: "overlay", choices: ["overlay", "hist-match", "seamless", "seamless-hist-match", "raw-rgb", "raw-predict"], help: "How the predicted face is blended in" },
  { path: "settings.maskMode", flag: "--mask-mode", type: "choice", default: "learned-prd*learned-dst", choices: ["full", "dst", "learned-prd", "learned-dst", "learned-prd*learned-dst", "xseg-prd", "xseg-dst"], help: "Which mask cuts the face out" },
  { path: "settings.erodeMask", flag: "--erode", type: "int", default: 0, min: -400, max: 400, help: "Shrink (+) or grow (-) the mask, in pixels at 256" },
  { path: "settings.blurMask", flag: "--blur", type: "int", default: 0, min: 0, max: 400, help: "Feather the mask edge" },
  { path: "settings.color", flag: "--color", type: "choice", default: "rct", choices: ["none", "rct", "lct", "mkl", "mkl-m", "idt", "idt-m", "sot-m", "mix-m"], help: "Colour transfer" },
  { path: "settings.faceScale", flag: "--face-scale", type: "int", default: 0, min: -50, max: 50, help: "Scale the face" },
  { path: "settings.sharpen", flag: "--sharpen", type: "choice", default: "none", choices: ["none", "box", "gaussian"], help: "Sharpen filter" },
  { path: "settings.sharpenAmount", flag: "--sharpen-amount", type: "int", default: 0, min: 0, max: 100, help: "Sharpen amount" },
  { path: "settings.motionBlur", flag: "--motion-blur", type: "int", default: 0, min: 0, max: 100, help: "Motion blur power" },
  { path: "settings.denoise", flag: "--denoise", type: "int", default: 0, min: 0, max: 500, help: "Temporal denoise" },
  { path: "settings.smooth", flag: "--smooth", type: "bool", default: true, help: "Smooth landmarks over time" },
  { path: "settings.codec", flag: "--codec", type: "choice", default: "h264", choices: ["h264", "h265", "prores4444", "ffv1"], help: "Output codec" },
  { path: "settings.crf", flag: "--crf", type: "double", default: 18, min: 0, max: 51, help: "Quality (lower is better)" },
];

/**
 * start({ port, token, root, staticDir, stepMs, steps }) -> controller.
 * `root` is a real folder the /v1/files picker lists (the only root); jobs fail with 403 for
 * paths outside it, as the node does.
 */
export async function startFakeNode(o = {}) {
  const token = o.token ?? "test-token";
  const root = o.root ?? process.cwd();
  const stepMs = o.stepMs ?? 200;
  const steps = o.steps ?? 10;
  const state = { ws: true, jobs: new Map(), next: 1, sockets: new Set(), requests: [], hung: [] };
  const models = o.models ?? [
    { path: path.join(root, "models", "alice"), kind: "swap", iteration: 12000, resolution: 128, faceType: "wf", archi: "liae-ud", previewUrl: "/v1/models/preview.png?m=alice" },
    { path: path.join(root, "models", "xseg"), kind: "xseg", iteration: 3000, resolution: 256, faceType: "wf", archi: "xseg" },
  ];
  const inside = (p) => typeof p !== "string" || path.resolve(p).startsWith(path.resolve(root));
  const send = (res, status, body, type = "application/json") => {
    res.writeHead(status, { "Content-Type": type });
    res.end(type === "application/json" ? JSON.stringify(body) : body);
  };
  const broadcast = (job, msg) => {
    for (const s of state.sockets) if (s.jobId === job.id) s.send(JSON.stringify(msg));
  };
  const tick = (job) => {
    if (job.state !== "running") return;
    job.step++;
    job.progress = { stage: "merge", fraction: job.step / steps, message: `frame ${job.step * 10}/${steps * 10}` };
    job.eta = ((steps - job.step) * stepMs) / 1000;
    broadcast(job, { type: "progress", ...job.progress, eta: job.eta });
    broadcast(job, { type: "log", line: `merged ${job.step * 10} frames` });
    job.preview = png(64, 64, [40 + job.step * 20, 80, 160]);
    broadcast(job, { type: "preview" });
    if (job.step >= steps) {
      job.state = "done";
      job.eta = null;
      job.results = [job.spec.output];
      broadcast(job, { type: "state", state: "done", results: job.results });
    } else job.timer = setTimeout(() => tick(job), stepMs);
  };
  const view = ({ timer, step, preview, log, ...j }) => j;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    state.requests.push(`${req.method} ${url.pathname}`);
    if (!url.pathname.startsWith("/v1/")) {
      if (!o.staticDir) return send(res, 404, { error: "not found" });
      const file = path.join(o.staticDir, url.pathname === "/" ? "index.html" : path.normalize(url.pathname));
      if (!file.startsWith(o.staticDir) || !fs.existsSync(file)) return send(res, 404, "not found", "text/plain");
      const type = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" }[path.extname(file)] ?? "application/octet-stream";
      return send(res, 200, fs.readFileSync(file), type);
    }
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { error: "unauthorized" });
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => route(req.method, url, body, res));
  });

  const route = (method, url, body, res) => {
    const p = url.pathname;
    const m = /^\/v1\/jobs\/([^/]+)(\/preview\.png|\/log)?$/.exec(p);
    if (method === "GET" && p === "/v1/health") return send(res, 200, { version: "0.0-fake", apiVersion: 1, cpu: "2 threads", gpu: null, slots: 1 });
    if (method === "GET" && p === "/v1/plugins") return send(res, 200, [{ stage: "merge", family: "color", name: "rct", version: "1.0", description: "Reinhard colour transfer" }]);
    if (method === "GET" && p === "/v1/models") return send(res, 200, models);
    if (method === "GET" && p === "/v1/models/preview.png") return send(res, 200, png(64, 64, [200, 120, 40]), "image/png");
    if (method === "GET" && p.startsWith("/v1/schema/")) return p.endsWith("/merge") ? send(res, 200, MERGE_SCHEMA) : send(res, 200, []);
    if (method === "GET" && p === "/v1/files") {
      const rel = url.searchParams.get("path") || root;
      const dir = path.resolve(rel);
      if (!inside(dir)) return send(res, 403, { errors: [{ path: "$.path", message: `${dir} is outside the node's roots` }] });
      const entries = fs.readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory(), size: e.isDirectory() ? 0 : fs.statSync(path.join(dir, e.name)).size }));
      return send(res, 200, { roots: [root], path: dir, entries });
    }
    if (method === "GET" && p === "/v1/jobs") return send(res, 200, [...state.jobs.values()].map(view));
    if (method === "POST" && p === "/v1/jobs") {
      let spec;
      try {
        spec = JSON.parse(body);
      } catch {
        return send(res, 400, { errors: [{ path: "$", message: "not JSON" }] });
      }
      const errors = [];
      const erode = spec.settings?.erodeMask;
      if (erode !== undefined && (erode < -400 || erode > 400)) errors.push({ path: "$.settings.erodeMask", message: "must be between -400 and 400" });
      if (!["merge", "swap", "train", "mask", "extract"].includes(spec.kind)) errors.push({ path: "$.kind", message: `unknown job kind '${spec.kind}'` });
      if (errors.length) return send(res, 422, { errors });
      for (const k of ["workspace", "input", "output", "dst"]) if (!inside(spec[k])) return send(res, 403, { errors: [{ path: `$.${k}`, message: `${spec[k]} is outside the node's roots` }] });
      const id = `j${state.next++}`;
      const job = { id, kind: spec.kind, state: "running", progress: { stage: "start", fraction: 0, message: "" }, eta: null, results: [], error: null, created: new Date().toISOString(), spec, step: 0 };
      if (spec.input && String(spec.input).includes("noface")) {
        job.state = "failed";
        job.error = { message: "no face found in the input", exitCode: 5 };
      } else job.timer = setTimeout(() => tick(job), stepMs);
      state.jobs.set(id, job);
      return send(res, 201, { id });
    }
    const job = m && state.jobs.get(decodeURIComponent(m[1]));
    if (m && !job) return send(res, 404, { error: `no job ${m[1]}` });
    if (job && method === "GET" && !m[2]) return send(res, 200, view(job));
    if (job && method === "DELETE" && !m[2]) {
      clearTimeout(job.timer);
      if (job.state === "running" || job.state === "queued") {
        job.state = "cancelled";
        broadcast(job, { type: "state", state: "cancelled" });
      }
      return send(res, 200, view(job));
    }
    if (job && m[2] === "/preview.png") return job.preview ? send(res, 200, job.preview, "image/png") : send(res, 404, { error: "no preview yet" });
    if (job && m[2] === "/log") return send(res, 200, Array.from({ length: job.step }, (_, i) => `merged ${(i + 1) * 10} frames`).join("\n"), "text/plain");
    return send(res, 404, { error: `no route ${method} ${p}` });
  };

  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url, "http://x");
    const m = /^\/v1\/jobs\/([^/]+)\/events$/.exec(url.pathname);
    if (state.ws === "hang") return void state.hung.push(socket); // never answers the upgrade
    if (!state.ws || !m || url.searchParams.get("token") !== token) {
      socket.end("HTTP/1.1 " + (state.ws ? "401 Unauthorized" : "404 Not Found") + "\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.jobId = decodeURIComponent(m[1]);
      state.sockets.add(ws);
      ws.on("close", () => state.sockets.delete(ws));
    });
  });

  const listen = (port) => new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server.address().port));
  });
  let port = await listen(o.port ?? 0);

  return {
    token,
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    state,
    /** Accept (true), refuse (false) or never answer ("hang") WebSocket upgrades. */
    setWebSocket(on) {
      state.ws = on;
    },
    /** Drop every open event socket, as a proxy or a node restart would. */
    dropSockets() {
      for (const s of state.sockets) s.terminate();
      state.sockets.clear();
    },
    /** Stop listening (the node went away); jobs keep their state, as SQLite keeps them. */
    async pause() {
      for (const s of state.sockets) s.terminate();
      state.sockets.clear();
      server.closeAllConnections?.();
      await new Promise((r) => server.close(() => r()));
      for (const j of state.jobs.values()) clearTimeout(j.timer);
    },
    async resume() {
      port = await listen(port);
      for (const j of state.jobs.values()) if (j.state === "running") j.timer = setTimeout(() => tick(j), stepMs);
    },
    async close() {
      for (const j of state.jobs.values()) clearTimeout(j.timer);
      for (const s of state.hung) s.destroy();
      for (const s of state.sockets) s.terminate();
      server.closeAllConnections?.();
      await new Promise((r) => (server.listening ? server.close(() => r()) : r()));
    },
  };
}

// Run by hand: node e2e/fake-node.mjs [staticDir] -> serves the page and the fake API.
if (import.meta.url === `file://${process.argv[1]}`) {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const staticDir = path.resolve(process.argv[2] ?? path.join(here, "..", "dist", "web"));
  const node = await startFakeNode({ port: Number(process.env.PORT ?? 47600), token: process.env.DFLC_TOKEN ?? "test-token", root: process.env.DFLC_ROOT ?? process.cwd(), staticDir, stepMs: 500, steps: 20 });
  console.log(`fake node on ${node.url} (token ${node.token}), serving ${staticDir}`);
}
