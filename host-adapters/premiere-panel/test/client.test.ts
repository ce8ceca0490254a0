// The client against a tiny in-test node (node:http + ws): errors in the node's words,
// health probing with reconnect, and job events over WebSocket with polling as the fallback.
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Connection, NodeClient, NodeError, WRONG_TOKEN, type Job, type WebSocketCtor, applyEvent, watchJob } from "../src/core/client";
// @ts-expect-error plain ESM helper shared with the e2e script, no declarations
import { startFakeNode } from "../e2e/fake-node.mjs";

type Fake = Awaited<ReturnType<typeof startFakeNode>>;
let node: Fake | undefined;
afterEach(async () => {
  await node?.close();
  node = undefined;
});

const start = async (o: object = {}) => (node = (await startFakeNode({ root: "/tmp", stepMs: 40, steps: 8, ...o })) as Fake);
const clientFor = (n: Fake, token = n.token) => new NodeClient({ baseUrl: n.url, token, WebSocket: WebSocket as unknown as WebSocketCtor, timeoutMs: 2000 });
const until = async (cond: () => boolean, ms = 5000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
};
const merge = { kind: "merge", version: 1, workspace: "/tmp/m", input: "/tmp/a.mp4", output: "/tmp/a_swap_v001.mp4", xseg: null, frames: "0-99", settings: {} };

describe("requests", () => {
  it("reads health, models and schema with the bearer token", async () => {
    const n = await start();
    const c = clientFor(n);
    expect((await c.health()).apiVersion).toBe(1);
    expect((await c.models())[0]!.kind).toBe("swap");
    expect((await c.schema("merge")).find((f) => f.path === "settings.erodeMask")?.max).toBe(400);
    expect(n.state.requests).toContain("GET /v1/health");
  });
  it("says what to do on a wrong token", async () => {
    const n = await start();
    const err = await clientFor(n, "nope").health().catch((e) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect(err.kind).toBe("unauthorized");
    expect(err.message).toBe(WRONG_TOKEN);
  });
  it("keeps the node's wording and field paths for 422 and 403", async () => {
    const n = await start();
    const c = clientFor(n);
    const bad = await c.createJob({ ...merge, settings: { erodeMask: 900 } }).catch((e) => e);
    expect(bad.kind).toBe("invalid");
    expect(bad.errors).toEqual([{ path: "$.settings.erodeMask", message: "must be between -400 and 400" }]);
    expect(bad.message).toBe("settings.erodeMask: must be between -400 and 400");
    const outside = await c.createJob({ ...merge, input: "/etc/passwd" }).catch((e) => e);
    expect(outside.kind).toBe("forbidden");
    expect(outside.message).toContain("outside the node's roots");
  });
  it("reports a node that is not there as offline", async () => {
    const c = new NodeClient({ baseUrl: "http://127.0.0.1:9", token: "x", timeoutMs: 500 });
    const err = await c.health().catch((e) => e);
    expect(err.kind).toBe("offline");
    expect(err.message).toMatch(/dflc serve/);
  });
  it("fetches a preview as a data URL and a job's log", async () => {
    const n = await start();
    const c = clientFor(n);
    const { id } = await c.createJob(merge);
    await until(() => n.state.jobs.get(id).step >= 2);
    expect(await c.imageDataUrl(c.previewPath(id))).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(await c.log(id)).toContain("merged 10 frames");
  });
});

describe("connection", () => {
  it("goes offline when the node stops and back online when it returns", async () => {
    const n = await start();
    const conn = new Connection(clientFor(n), { intervalMs: 30, minBackoffMs: 20, maxBackoffMs: 80 });
    const seen: string[] = [];
    conn.onChange((c) => seen.at(-1) !== c.state && seen.push(c.state));
    conn.start();
    await until(() => conn.state === "online");
    await n.pause();
    await until(() => conn.state === "offline");
    await n.resume();
    await until(() => conn.state === "online");
    conn.stop();
    expect(seen).toEqual(["online", "offline", "online"]);
    expect(conn.health?.version).toBe("0.0-fake");
  });
  it("stops probing on a wrong token until told to probe again", async () => {
    const n = await start();
    const client = clientFor(n, "wrong");
    const conn = new Connection(client, { intervalMs: 20, minBackoffMs: 20 });
    conn.start();
    await until(() => conn.state === "unauthorized");
    const probes = n.state.requests.length;
    await new Promise((r) => setTimeout(r, 120));
    expect(n.state.requests.length).toBe(probes);
    client.token = n.token;
    expect(await conn.probe()).toBe("online");
    conn.stop();
  });
});

describe("following a job", () => {
  it("follows events over the WebSocket to done, with the results", async () => {
    const n = await start();
    const c = clientFor(n);
    const { id } = await c.createJob(merge);
    const vias = new Set<string>();
    let logs = 0;
    let previews = 0;
    const w = watchJob(c, id, (u) => {
      vias.add(u.via);
      if (u.log) logs++;
      if (u.preview) previews++;
    }, { pollMs: 1000 });
    const job = await w.done;
    expect(job.state).toBe("done");
    expect(job.results).toEqual(["/tmp/a_swap_v001.mp4"]);
    expect(vias.has("ws")).toBe(true);
    expect(logs).toBeGreaterThan(0);
    expect(previews).toBeGreaterThan(0);
    expect(w.mode).toBe("stopped");
  });
  it("polls when the node refuses the WebSocket", async () => {
    const n = await start();
    n.setWebSocket(false);
    const c = clientFor(n);
    const { id } = await c.createJob(merge);
    const fractions: number[] = [];
    const w = watchJob(c, id, (u) => fractions.push(u.job.progress?.fraction ?? 0), { pollMs: 20, wsRetryMs: 10000 });
    const job = await w.done;
    expect(job.state).toBe("done");
    expect(new Set(fractions).size).toBeGreaterThan(2); // saw progress move while polling
  });
  it("polls when the upgrade never completes, and drops that socket quietly", async () => {
    const n = await start();
    n.setWebSocket("hang");
    const c = clientFor(n);
    const { id } = await c.createJob(merge);
    const w = watchJob(c, id, () => {}, { pollMs: 20, wsOpenTimeoutMs: 100, wsRetryMs: 10000 });
    await until(() => n.state.hung.length === 1);
    // Closing a socket still connecting makes `ws` emit an error; unhandled it would crash the run.
    expect((await w.done).state).toBe("done");
  });
  it("falls back to polling when the socket drops mid-job, and back to the socket later", async () => {
    const n = await start({ stepMs: 60, steps: 12 });
    const c = clientFor(n);
    const { id } = await c.createJob(merge);
    const vias: string[] = [];
    const w = watchJob(c, id, (u) => vias.push(u.via), { pollMs: 20, wsRetryMs: 150 });
    await until(() => w.mode === "ws");
    n.dropSockets();
    await until(() => w.mode === "poll");
    await until(() => w.mode === "ws" || w.mode === "stopped");
    const job = await w.done;
    expect(job.state).toBe("done");
    expect(vias).toContain("poll");
    expect(vias.lastIndexOf("ws")).toBeGreaterThan(vias.indexOf("poll"));
  });
  it("rides out a node restart (jobs survive it) and reports cancel", async () => {
    const n = await start({ stepMs: 50, steps: 40 });
    const c = clientFor(n);
    const { id } = await c.createJob(merge);
    const w = watchJob(c, id, () => {}, { pollMs: 20, wsRetryMs: 50 });
    await until(() => w.mode === "ws");
    await n.pause();
    await until(() => w.mode === "poll");
    await new Promise((r) => setTimeout(r, 100));
    await n.resume();
    await c.cancel(id);
    expect((await w.done).state).toBe("cancelled");
  });
  it("stops with the node's error for an unknown job", async () => {
    const n = await start();
    const w = watchJob(clientFor(n), "nope", () => {}, { pollMs: 20 });
    await expect(w.done).rejects.toMatchObject({ kind: "notfound" });
  });
});

describe("applyEvent", () => {
  const base: Job = { id: "j", kind: "merge", state: "queued", progress: null, eta: null, results: [], error: null, created: "", spec: {} };
  it("reads progress flat or nested, and state with results or error", () => {
    const a = applyEvent(base, { type: "progress", stage: "merge", fraction: 0.5, message: "half", eta: 12 });
    expect(a).toMatchObject({ state: "running", progress: { stage: "merge", fraction: 0.5, message: "half" }, eta: 12 });
    const b = applyEvent(a, { type: "progress", progress: { stage: "merge", fraction: 0.75, message: "" } });
    expect(b.progress?.fraction).toBe(0.75);
    expect(applyEvent(b, { type: "state", state: "failed", error: { message: "no face", exitCode: 5 } }).error?.exitCode).toBe(5);
    expect(applyEvent(b, { type: "something-new" })).toEqual(b);
  });
});
