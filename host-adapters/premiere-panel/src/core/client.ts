// The one module that knows the node's HTTP/WebSocket API (dflc serve, /v1). Everything the UI
// needs from the node goes through here, so an API change is adjusted in one place.
// Works in UXP (fetch + WebSocket, no EventSource), browsers and Node (tests inject `ws`).

export const DEFAULT_PORT = 47600;
export const DEFAULT_URL = `http://127.0.0.1:${DEFAULT_PORT}`;
export const WRONG_TOKEN = "wrong token — copy it from ~/.config/dflcomposite/token";

export interface Health {
  version: string;
  apiVersion: number;
  cpu: string;
  gpu: string | null;
  slots: number;
}
export interface PluginInfo {
  stage: string;
  family: string;
  name: string;
  version: string;
  description: string;
}
export interface ModelInfo {
  path: string;
  kind: "swap" | "xseg";
  iteration: number;
  resolution: number;
  faceType: string;
  archi: string;
  previewUrl?: string;
}
export type FieldType = "int" | "double" | "bool" | "string" | "choice" | "path" | "paths";
export interface SchemaField {
  path: string;
  flag?: string;
  type: FieldType;
  default?: unknown;
  min?: number;
  max?: number;
  choices?: string[];
  help?: string;
}
export type JobState = "queued" | "running" | "done" | "failed" | "cancelled";
export interface Progress {
  stage: string;
  fraction: number;
  message: string;
}
export interface Job {
  id: string;
  kind: string;
  state: JobState;
  progress: Progress | null;
  eta: number | null;
  results: string[];
  error: { message: string; exitCode?: number } | null;
  created: string;
  spec: Record<string, unknown>;
}
export interface FieldError {
  path: string;
  message: string;
}
export interface FileEntry {
  name: string;
  dir: boolean;
  size?: number;
}
export interface FileListing {
  roots: string[];
  path: string;
  entries: FileEntry[];
}
/** A message on /v1/jobs/{id}/events. Fields beyond `type` are read leniently (see applyEvent). */
export interface JobEvent {
  type: "progress" | "state" | "log" | "preview" | string;
  [key: string]: unknown;
}

export type ErrorKind = "offline" | "unauthorized" | "forbidden" | "invalid" | "notfound" | "server";

/** An error worth showing as is: the node's own wording, or what to do about it. */
export class NodeError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
    readonly status = 0,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = "NodeError";
  }
}

/** The subset of the WebSocket API shared by browsers, UXP and the `ws` package. */
export interface WebSocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  close(): void;
}
export type WebSocketCtor = new (url: string) => WebSocketLike;

export interface ClientOptions {
  baseUrl?: string;
  token?: string;
  fetch?: typeof fetch;
  WebSocket?: WebSocketCtor;
  /** Per-request timeout; a hung node must not hang the panel. */
  timeoutMs?: number;
}

export class NodeClient {
  baseUrl: string;
  token: string;
  private readonly fetchFn: typeof fetch;
  private readonly wsCtor: WebSocketCtor | undefined;
  private readonly timeoutMs: number;

  constructor(o: ClientOptions = {}) {
    this.baseUrl = (o.baseUrl ?? DEFAULT_URL).replace(/\/+$/, "");
    this.token = o.token ?? "";
    this.fetchFn = o.fetch ?? ((...a) => fetch(...a));
    this.wsCtor = o.WebSocket ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
    this.timeoutMs = o.timeoutMs ?? 10000;
  }

  private async send(method: string, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const ctl = typeof AbortController === "function" ? new AbortController() : undefined;
    const timer = ctl ? setTimeout(() => ctl.abort(), timeoutMs) : undefined;
    let res: Response;
    try {
      res = await this.fetchFn(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: ctl?.signal,
      });
    } catch {
      throw new NodeError(`the node at ${this.baseUrl} does not answer — is \`dflc serve\` running?`, "offline");
    } finally {
      if (timer) clearTimeout(timer);
    }
    if (!res.ok) throw await errorFrom(res);
    return res;
  }

  private async json<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
    return (await (await this.send(method, path, body, timeoutMs)).json()) as T;
  }

  health = () => this.json<Health>("GET", "/v1/health");
  plugins = () => this.json<PluginInfo[]>("GET", "/v1/plugins");
  // The node verifies each model file's checksum the first time it lists it: seconds per large model.
  models = () => this.json<ModelInfo[]>("GET", "/v1/models", undefined, 120000);
  schema = (kind: string) => this.json<SchemaField[]>("GET", `/v1/schema/${encodeURIComponent(kind)}`);
  jobs = () => this.json<Job[]>("GET", "/v1/jobs");
  job = (id: string) => this.json<Job>("GET", `/v1/jobs/${encodeURIComponent(id)}`);
  createJob = (spec: object) => this.json<{ id: string }>("POST", "/v1/jobs", spec);
  cancel = async (id: string) => void (await this.send("DELETE", `/v1/jobs/${encodeURIComponent(id)}`));
  log = async (id: string) => (await this.send("GET", `/v1/jobs/${encodeURIComponent(id)}/log`)).text();

  files(root?: string, path?: string): Promise<FileListing> {
    // Built by hand: URLSearchParams is not in every UXP version.
    const q = [root && `root=${encodeURIComponent(root)}`, path && `path=${encodeURIComponent(path)}`].filter(Boolean).join("&");
    return this.json<FileListing>("GET", `/v1/files${q ? `?${q}` : ""}`);
  }

  /**
   * An image behind the bearer token as a data: URL (an <img src> cannot send the header, and
   * UXP has no blob URLs). `path` is /v1/jobs/{id}/preview.png or a model's previewUrl.
   */
  async imageDataUrl(path: string): Promise<string> {
    const rel = path.startsWith(this.baseUrl) ? path.slice(this.baseUrl.length) : path;
    const res = await this.send("GET", rel);
    const type = res.headers.get("Content-Type") ?? "image/png";
    return `data:${type};base64,${toBase64(new Uint8Array(await res.arrayBuffer()))}`;
  }

  previewPath = (id: string) => `/v1/jobs/${encodeURIComponent(id)}/preview.png`;

  /** WebSocket URL of a job's events; the token goes in the query (no headers on an upgrade). */
  eventsUrl(id: string): string {
    const ws = this.baseUrl.replace(/^http/, "ws");
    return `${ws}/v1/jobs/${encodeURIComponent(id)}/events?token=${encodeURIComponent(this.token)}`;
  }

  openEvents(id: string): WebSocketLike | null {
    if (!this.wsCtor) return null;
    try {
      return new this.wsCtor(this.eventsUrl(id));
    } catch {
      return null;
    }
  }
}

async function errorFrom(res: Response): Promise<NodeError> {
  let text = "";
  try {
    text = await res.text();
  } catch {
    /* body unreadable: fall back to the status */
  }
  let body: { errors?: FieldError[]; error?: string | { message?: string }; message?: string; title?: string } = {};
  try {
    body = JSON.parse(text);
  } catch {
    /* plain-text error */
  }
  const errors = Array.isArray(body.errors) ? body.errors : [];
  const nodeWords =
    errors.map((e) => (e.path ? `${e.path.replace(/^\$\./, "")}: ${e.message}` : e.message)).join("; ") ||
    (typeof body.error === "string" ? body.error : body.error?.message) ||
    body.message ||
    body.title ||
    text.trim() ||
    `${res.status} ${res.statusText}`;
  switch (res.status) {
    case 401:
      return new NodeError(WRONG_TOKEN, "unauthorized", 401);
    case 403:
      return new NodeError(nodeWords || "that path is outside the node's roots", "forbidden", 403, errors);
    case 400:
    case 422:
      return new NodeError(nodeWords, "invalid", res.status, errors);
    case 404:
      return new NodeError(nodeWords, "notfound", 404, errors);
    default:
      return new NodeError(nodeWords, "server", res.status, errors);
  }
}

function toBase64(bytes: Uint8Array): string {
  const B = (globalThis as { Buffer?: { from(b: Uint8Array): { toString(e: string): string } } }).Buffer;
  if (B) return B.from(bytes).toString("base64");
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

// ---- connection: probe /v1/health, back off while the node is away ------------------------

export type ConnState = "connecting" | "online" | "offline" | "unauthorized";

export interface ConnectionOptions {
  intervalMs?: number; // between probes while online
  minBackoffMs?: number; // first retry after a failure, doubling ...
  maxBackoffMs?: number; // ... up to this
}

export class Connection {
  state: ConnState = "connecting";
  health: Health | null = null;
  lastError: NodeError | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private backoff: number;
  private running = false;
  private readonly listeners = new Set<(c: Connection) => void>();
  private readonly o: Required<ConnectionOptions>;

  constructor(
    readonly client: NodeClient,
    o: ConnectionOptions = {},
  ) {
    this.o = { intervalMs: 5000, minBackoffMs: 1000, maxBackoffMs: 30000, ...o };
    this.backoff = this.o.minBackoffMs;
  }

  onChange(cb: (c: Connection) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.probe();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  /** Probe now (after a token or URL change) instead of waiting for the next tick. */
  async probe(): Promise<ConnState> {
    clearTimeout(this.timer);
    let next: ConnState;
    try {
      this.health = await this.client.health();
      this.lastError = null;
      next = "online";
      this.backoff = this.o.minBackoffMs;
    } catch (e) {
      this.lastError = e instanceof NodeError ? e : new NodeError(String(e), "server");
      next = this.lastError.kind === "unauthorized" ? "unauthorized" : "offline";
    }
    this.state = next;
    if (this.running) {
      // An unauthorized node will not start accepting the same token: wait for a new one.
      const delay = next === "online" ? this.o.intervalMs : this.backoff;
      if (next === "offline") this.backoff = Math.min(this.backoff * 2, this.o.maxBackoffMs);
      if (next !== "unauthorized") this.timer = setTimeout(() => void this.probe(), delay);
    }
    this.listeners.forEach((l) => l(this));
    return next;
  }
}

// ---- following one job: WebSocket events, polling when the socket is not there ------------

export const TERMINAL: ReadonlySet<JobState> = new Set(["done", "failed", "cancelled"]);

export interface WatchOptions {
  pollMs?: number; // polling period while the socket is down
  wsRetryMs?: number; // how long to poll before trying the socket again
  wsOpenTimeoutMs?: number; // a socket that has not opened by then counts as failed
}

export interface JobUpdate {
  job: Job;
  via: "ws" | "poll";
  /** A log line or a new preview, when the update came from such an event. */
  log?: string;
  preview?: boolean;
}

export interface Watch {
  stop(): void;
  /** Resolves with the job in its final state. */
  done: Promise<Job>;
  /** "ws" while events arrive over the socket, "poll" while falling back. */
  readonly mode: "ws" | "poll" | "stopped";
}

/** Applies one event message to a job (pure). Unknown types leave the job as it was. */
export function applyEvent(job: Job, ev: JobEvent): Job {
  const n = { ...job };
  if (ev.type === "progress") {
    const p = (ev.progress as Partial<Progress> | undefined) ?? (ev as Partial<Progress>);
    n.progress = {
      stage: String(p.stage ?? job.progress?.stage ?? ""),
      fraction: Number(p.fraction ?? job.progress?.fraction ?? 0),
      message: String(p.message ?? ""),
    };
    if (ev.eta !== undefined) n.eta = ev.eta as number | null;
    if (job.state === "queued") n.state = "running";
  } else if (ev.type === "state") {
    if (typeof ev.state === "string") n.state = ev.state as JobState;
    if (ev.error !== undefined) n.error = ev.error as Job["error"];
    if (Array.isArray(ev.results)) n.results = ev.results as string[];
  }
  return n;
}

export function watchJob(client: NodeClient, id: string, onUpdate: (u: JobUpdate) => void, o: WatchOptions = {}): Watch {
  const pollMs = o.pollMs ?? 1000;
  const wsRetryMs = o.wsRetryMs ?? 5000;
  const openTimeout = o.wsOpenTimeoutMs ?? 3000;
  let job: Job | null = null;
  let ws: WebSocketLike | null = null;
  let mode: "ws" | "poll" | "stopped" = "poll";
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let wsTimer: ReturnType<typeof setTimeout> | undefined;
  let resolve!: (j: Job) => void;
  let reject!: (e: unknown) => void;
  const done = new Promise<Job>((res, rej) => {
    resolve = res;
    reject = rej;
  });

  const finish = (j: Job) => {
    stop();
    resolve(j);
  };
  const stop = () => {
    mode = "stopped";
    clearTimeout(pollTimer);
    clearTimeout(wsTimer);
    discard();
  };
  // Drop the socket we no longer want. onerror stays a no-op: closing a socket that is still
  // connecting fires an error event, which the `ws` package throws when nobody listens.
  const discard = () => {
    const s = ws;
    if (!s) return;
    ws = null;
    s.onopen = s.onmessage = s.onclose = null;
    s.onerror = () => {};
    try {
      s.close();
    } catch {
      /* already closed */
    }
  };

  const publish = (j: Job, via: "ws" | "poll", extra: Partial<JobUpdate> = {}) => {
    job = j;
    onUpdate({ job: j, via, ...extra });
  };

  // Terminal: fetch once more for the full record (results, error wording) when we can.
  const settle = async (via: "ws" | "poll") => {
    if (mode === "stopped") return;
    try {
      const j = await client.job(id);
      publish(j, via);
      finish(j);
    } catch {
      if (job) finish(job);
    }
  };

  const poll = async () => {
    if (mode !== "poll") return;
    try {
      const j = await client.job(id);
      if (mode !== "poll") return;
      publish(j, "poll");
      if (TERMINAL.has(j.state)) return finish(j);
    } catch (e) {
      if (e instanceof NodeError && (e.kind === "notfound" || e.kind === "unauthorized")) {
        stop();
        return reject(e);
      }
      // offline: keep polling; the node may be restarting (jobs survive restarts)
    }
    if (mode === "poll") pollTimer = setTimeout(() => void poll(), pollMs);
  };

  const fallBack = () => {
    if (mode === "stopped") return;
    discard();
    if (mode !== "poll") {
      mode = "poll";
      void poll();
    }
    clearTimeout(wsTimer);
    wsTimer = setTimeout(tryWs, wsRetryMs);
  };

  const tryWs = () => {
    if (mode === "stopped" || ws) return;
    const s = client.openEvents(id);
    if (!s) return; // no WebSocket in this runtime: polling only
    ws = s;
    const openTimer = setTimeout(fallBack, openTimeout);
    s.onopen = () => {
      clearTimeout(openTimer);
      if (ws !== s) return;
      mode = "ws";
      clearTimeout(pollTimer);
      clearTimeout(wsTimer);
    };
    s.onmessage = (ev) => {
      if (ws !== s || !job) return;
      let msg: JobEvent;
      try {
        msg = JSON.parse(typeof ev.data === "string" ? ev.data : String(ev.data)) as JobEvent;
      } catch {
        return;
      }
      if (msg.type === "log") {
        publish(job, "ws", { log: String(msg.line ?? msg.text ?? msg.message ?? "") });
      } else if (msg.type === "preview") {
        publish(job, "ws", { preview: true });
      } else {
        const j = applyEvent(job, msg);
        publish(j, "ws");
        if (TERMINAL.has(j.state)) void settle("ws");
      }
    };
    s.onerror = () => {
      clearTimeout(openTimer);
      if (ws === s) fallBack();
    };
    s.onclose = () => {
      clearTimeout(openTimer);
      if (ws === s) fallBack();
    };
  };

  // Start: one GET for the whole record, then events; polling runs until the socket opens.
  void (async () => {
    await poll();
    if (mode === "poll") tryWs();
  })();

  return {
    stop,
    done,
    get mode() {
      return mode;
    },
  };
}
