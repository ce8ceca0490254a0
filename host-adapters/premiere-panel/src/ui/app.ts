// The UI shared by the Premiere panel and the browser page: node status and token, the merge
// form, the swap wizard, models, and the job list. Host differences come in through `Host`.

import { Connection, type Job, type ModelInfo, NodeClient, NodeError, WRONG_TOKEN, type Watch, watchJob } from "../core/client";
import { type JobSpec, canTrainMore, checkSpec, describe, formatEta, isTerminal, jobTitle, percent, trainMoreSpec } from "../core/jobs";
import { type PlaceMode, baseName, outputPath, versionedName } from "../core/placement";
import type { Host, MergeTarget } from "../host/host";
import { bar, fill, h, message } from "./dom";
import { mergeTab } from "./merge";
import { modelsTab } from "./models";
import { type PickOptions, parentPath, pickPaths } from "./picker";
import { swapTab } from "./swap";

/** What the tabs share. */
export interface Ctx {
  client: NodeClient;
  host: Host;
  conn: Connection;
  models: () => ModelInfo[];
  onModels: (cb: () => void) => void;
  pick: (o: PickOptions, start?: string) => Promise<string[] | null>;
  /** Submits a job and follows it; throws NodeError (with field errors) when the node refuses. */
  startJob: (spec: JobSpec, target?: MergeTarget) => Promise<string>;
  outputFor: (input: string, taken?: string[], ext?: string) => Promise<string>;
  showTab: (name: string) => void;
  /** Preselect a model in the merge tab. */
  useModel: (path: string) => void;
  placeMode: () => PlaceMode;
}

const KEY_TOKEN = "dflc.token";
const KEY_URL = "dflc.url";
const KEY_TARGETS = "dflc.targets";
const TOKEN_HINT = "Paste the node's token (from ~/.config/dflcomposite/token) and press Connect.";

export function startApp(root: HTMLElement, host: Host): Ctx {
  const client = new NodeClient({ baseUrl: host.storage.get(KEY_URL) || host.defaultUrl, token: host.storage.get(KEY_TOKEN) ?? "" });
  const conn = new Connection(client);
  let models: ModelInfo[] = [];
  const modelListeners: (() => void)[] = [];
  const jobs = new Map<string, Job>();
  const watches = new Map<string, Watch>();
  const previews = new Map<string, { url: string; at: number; pending: boolean }>();
  const logs = new Map<string, string[]>();
  const notes = new Map<string, HTMLElement>(); // per-job messages (placement result, errors)
  // Merge targets by job id, kept across panel reloads so a finished job can still be placed.
  const targets = new Map<string, MergeTarget>(Object.entries(JSON.parse(host.storage.get(KEY_TARGETS) || "{}") as Record<string, MergeTarget>));
  const placed = new Set<string>();

  // ---- header: status, node URL, token ------------------------------------------------------
  const status = h("div", { class: "status", testid: "node-status" }, "connecting…");
  const tokenMsg = h("div", { testid: "token-message" });
  const tokenInput = h("input", { type: "password", placeholder: "token", testid: "token-input", value: client.token });
  const urlInput = h("input", { type: "text", testid: "node-url", value: client.baseUrl });
  const saveToken = async (token: string) => {
    client.token = token.trim();
    tokenInput.value = client.token;
    host.storage.set(KEY_TOKEN, client.token);
    const url = urlInput.value.trim().replace(/\/+$/, "");
    if (url && url !== client.baseUrl) {
      client.baseUrl = url;
      host.storage.set(KEY_URL, url);
    }
    conn.start();
    await conn.probe();
  };
  const tokenBox = h("div", { class: "token" },
    h("div", { class: "row" }, tokenInput, h("button", { testid: "token-save", onclick: () => void saveToken(tokenInput.value) }, "Connect"),
      host.tokenFromFile && h("button", { testid: "token-file", title: "~/.config/dflcomposite/token", onclick: async () => {
        const t = await host.tokenFromFile!(true).catch((e: unknown) => (fill(tokenMsg, message(String(e), "error")), null));
        if (t) await saveToken(t);
      } }, "Token file…")),
    h("div", { class: "row" }, h("label", { class: "dim" }, "Node "), urlInput),
    tokenMsg);
  tokenInput.addEventListener("keydown", (e) => (e as KeyboardEvent).key === "Enter" && void saveToken(tokenInput.value));

  // ---- tabs ---------------------------------------------------------------------------------
  const tabBodies = new Map<string, HTMLElement>();
  const tabButtons = h("div", { class: "tabs" });
  const showTab = (name: string) => {
    for (const [n, el] of tabBodies) el.style.display = n === name ? "" : "none";
    for (const b of Array.from(tabButtons.children)) (b as HTMLElement).className = b.getAttribute("data-tab") === name ? "tab active" : "tab";
  };
  const addTab = (name: string, title: string, body: HTMLElement) => {
    tabBodies.set(name, body);
    tabButtons.appendChild(h("button", { class: "tab", "data-tab": name, testid: `tab-${name}`, onclick: () => showTab(name) }, title));
  };

  // ---- jobs ---------------------------------------------------------------------------------
  const jobList = h("div", { class: "jobs", testid: "job-list" });
  const jobEls = new Map<string, HTMLElement>();

  const renderJobs = () => {
    const sorted = [...jobs.values()].sort((a, b) => (b.created > a.created ? 1 : b.created < a.created ? -1 : b.id.localeCompare(a.id)));
    if (!sorted.length) return fill(jobList, h("div", { class: "dim", testid: "job-empty" }, "No jobs yet."));
    fill(jobList, sorted.map((j) => jobEls.get(j.id) ?? renderJob(j)));
  };

  const renderJob = (job: Job): HTMLElement => {
    const id = job.id;
    const pv = previews.get(id);
    const logEl = h("pre", { class: "log", testid: `job-log-${id}` }, (logs.get(id) ?? []).join("\n"));
    logEl.style.display = "none";
    const minutes = h("input", { type: "number", min: 1, value: 20, class: "short", testid: `job-train-minutes-${id}` });
    const el = h("div", { class: `job job-${job.state}`, testid: `job-${id}`, "data-state": job.state },
      h("div", { class: "row" }, h("strong", {}, jobTitle(job)), h("span", { class: `state state-${job.state}`, testid: `job-state-${id}` }, job.state)),
      bar(percent(job), `job-progress-${id}`),
      h("div", { class: "row" }, h("span", { testid: `job-message-${id}`, class: job.state === "failed" ? "err" : "" }, describe(job, false)),
        h("span", { class: "dim", testid: `job-eta-${id}` }, job.state === "running" && job.eta != null ? `ETA ${formatEta(job.eta)}` : "")),
      h("img", { class: "preview", testid: `job-preview-${id}`, src: pv?.url, alt: "", style: pv ? "" : "display:none" }),
      h("div", { class: "row" },
        !isTerminal(job.state) && h("button", { testid: `job-cancel-${id}`, onclick: () => void cancel(id) }, "Cancel"),
        h("button", { testid: `job-log-button-${id}`, onclick: () => void toggleLog(id, logEl) }, "Log"),
        job.state === "done" && canTrainMore(job) && [minutes, h("button", { testid: `job-train-more-${id}`, title: "Train this model for more minutes, then merge again", onclick: () => void trainMore(job, Number(minutes.value)) }, "Train more")],
        job.state === "done" && host.placeResult && targets.has(id) && h("button", { testid: `job-place-${id}`, onclick: () => void place(id, true) }, "Place again")),
      notes.get(id) ?? h("div", { testid: `job-note-${id}` }),
      logEl);
    jobEls.set(id, el);
    return el;
  };

  const update = (job: Job) => {
    jobs.set(job.id, job);
    const old = jobEls.get(job.id);
    jobEls.delete(job.id);
    const el = renderJob(job);
    if (old?.parentNode) {
      // keep an open log open
      const wasOpen = (old.querySelector("pre.log") as HTMLElement | null)?.style.display !== "none";
      if (wasOpen) (el.querySelector("pre.log") as HTMLElement).style.display = "";
      old.parentNode.replaceChild(el, old);
    } else renderJobs();
  };

  const loadPreview = async (id: string, force = false) => {
    const p = previews.get(id) ?? { url: "", at: 0, pending: false };
    if (p.pending || (!force && Date.now() - p.at < 1500)) return;
    p.pending = true;
    previews.set(id, p);
    try {
      p.url = await client.imageDataUrl(client.previewPath(id));
      p.at = Date.now();
      const img = jobEls.get(id)?.querySelector("img.preview") as HTMLImageElement | null;
      if (img) {
        img.src = p.url;
        img.style.display = "";
      }
    } catch {
      /* no preview yet (404) or node busy: the next event tries again */
    } finally {
      p.pending = false;
    }
  };

  const follow = (id: string) => {
    if (watches.has(id)) return;
    const w = watchJob(client, id, (u) => {
      if (u.log !== undefined) {
        const l = logs.get(id) ?? [];
        l.push(u.log);
        if (l.length > 500) l.shift();
        logs.set(id, l);
        const pre = jobEls.get(id)?.querySelector("pre.log");
        if (pre) pre.textContent = l.join("\n");
        return;
      }
      // Over the socket a preview event says when; while polling, refresh with progress.
      if (u.preview || (u.via === "poll" && u.job.state === "running")) void loadPreview(id);
      update(u.job);
    });
    watches.set(id, w);
    w.done
      .then(async (j) => {
        watches.delete(id);
        await loadPreview(id, true);
        update(j);
        if (j.state === "done" && targets.has(id) && host.placeResult && !placed.has(id)) await place(id, false);
      })
      .catch((e: unknown) => {
        watches.delete(id);
        note(id, e instanceof NodeError ? e.message : String(e), "error");
      });
  };

  const note = (id: string, text: string, kind: "error" | "ok" | "info") => {
    notes.set(id, message(text, kind, `job-note-${id}`));
    const j = jobs.get(id);
    if (j) update(j);
  };

  const place = async (id: string, again: boolean) => {
    const job = jobs.get(id);
    const target = targets.get(id);
    if (!job || !target || !host.placeResult) return;
    placed.add(id);
    note(id, again ? "placing again…" : "importing and placing the result…", "info");
    try {
      note(id, await host.placeResult(target, job, ctx.placeMode()), "ok");
    } catch (e) {
      note(id, e instanceof Error ? e.message : String(e), "error");
    }
  };

  const cancel = async (id: string) => {
    try {
      await client.cancel(id);
    } catch (e) {
      note(id, e instanceof NodeError ? e.message : String(e), "error");
    }
  };

  const toggleLog = async (id: string, pre: HTMLElement) => {
    if (pre.style.display !== "none") return void (pre.style.display = "none");
    pre.style.display = "";
    try {
      const text = await client.log(id);
      logs.set(id, text.split("\n").slice(-500));
      pre.textContent = text;
    } catch (e) {
      pre.textContent = e instanceof NodeError ? e.message : String(e);
    }
  };

  const trainMore = async (job: Job, minutes: number) => {
    try {
      const out = job.spec.kind === "swap" ? await ctx.outputFor(String(job.spec.dst), allOutputs(), extOf(String(job.spec.output))) : undefined;
      await ctx.startJob(trainMoreSpec(job, minutes > 0 ? minutes : 20, out));
    } catch (e) {
      note(job.id, e instanceof NodeError ? e.message : String(e), "error");
    }
  };

  const allOutputs = () => [...jobs.values()].flatMap((j) => [String(j.spec?.output ?? ""), ...j.results]).filter(Boolean);
  const extOf = (p: string) => (/\.[^./\\]+$/.exec(p)?.[0] ?? ".mp4");

  const refreshJobs = async () => {
    try {
      for (const j of await client.jobs()) {
        const known = jobs.get(j.id);
        if (!known || (!watches.has(j.id) && known.state !== j.state)) update(j);
        if (!isTerminal(j.state)) follow(j.id);
      }
      renderJobs();
    } catch {
      /* the status line already says why */
    }
  };

  // ---- the context the tabs use -------------------------------------------------------------
  let placeModeSel: HTMLSelectElement | null = null;
  const ctx: Ctx = {
    client,
    host,
    conn,
    models: () => models,
    onModels: (cb) => modelListeners.push(cb),
    pick: (o, start) => pickPaths(client, o, start),
    startJob: async (spec, target) => {
      const errs = checkSpec(spec);
      if (errs.length) throw new NodeError(errs.map((e) => `${e.path}: ${e.message}`).join("; "), "invalid", 0, errs.map((e) => ({ ...e, path: `$.${e.path}` })));
      const { id } = await client.createJob(spec);
      if (target) {
        targets.set(id, target);
        host.storage.set(KEY_TARGETS, JSON.stringify(Object.fromEntries([...targets].slice(-50))));
      }
      update({ id, kind: spec.kind, state: "queued", progress: null, eta: null, results: [], error: null, created: new Date().toISOString(), spec: spec as unknown as Record<string, unknown> });
      follow(id);
      return id;
    },
    outputFor: async (input, taken = [], ext = ".mp4") => {
      // Version past results already in the folder, in this job list, or given by the host.
      let names: string[] = [...taken, ...allOutputs()];
      try {
        names = names.concat((await client.files(undefined, parentPath(input))).entries.map((e) => e.name));
      } catch {
        /* folder not listable: version against what we know */
      }
      return outputPath(input, versionedName(baseName(input), names), ext);
    },
    showTab,
    useModel: () => {},
    placeMode: () => (placeModeSel?.value === "replace" ? "replace" : "stack"),
  };

  const merge = mergeTab(ctx);
  ctx.useModel = merge.useModel;
  placeModeSel = merge.placeMode;
  addTab("merge", "Merge", merge.el);
  addTab("swap", "Swap wizard", swapTab(ctx));
  addTab("models", "Models", modelsTab(ctx));

  fill(root,
    h("header", {}, h("div", { class: "row" }, h("strong", {}, "DFLComposite"), status), tokenBox),
    tabButtons, ...tabBodies.values(),
    h("h3", {}, "Jobs"), jobList);
  showTab("merge");
  renderJobs();

  // ---- connection ---------------------------------------------------------------------------
  let wasOnline = false;
  // The model list, again every few seconds while the node is online and the list failed (a slow or busy node).
  const loadModels = async () => {
    try {
      models = await client.models();
      modelListeners.forEach((l) => l());
    } catch {
      if (conn.state === "online") setTimeout(() => void loadModels(), 3000);
    }
  };
  conn.onChange((c) => {
    if (c.state === "online" && c.health) {
      const hl = c.health;
      fill(status, h("span", { class: "ok" }, "● online"), ` dflc ${hl.version} · ${hl.cpu} · GPU ${hl.gpu ?? "none"} · ${hl.slots} slot${hl.slots === 1 ? "" : "s"}`);
      fill(tokenMsg);
    } else if (c.state === "unauthorized") {
      fill(status, h("span", { class: "err" }, client.token ? "● wrong token" : "● token needed"));
      fill(tokenMsg, client.token ? message(WRONG_TOKEN, "error", "token-error") : message(TOKEN_HINT, "info", "token-hint"));
    } else if (c.state === "offline") {
      fill(status, h("span", { class: "err" }, "● offline"), ` ${c.lastError?.message ?? ""} — retrying`);
    }
    const online = c.state === "online";
    if (online && !wasOnline) {
      void loadModels();
      merge.loadSchema();
    }
    if (online) void refreshJobs();
    wasOnline = online;
  });

  void (async () => {
    if (!client.token && host.tokenFromFile) {
      const t = await host.tokenFromFile(false).catch(() => null);
      if (t) {
        client.token = t;
        tokenInput.value = t;
      }
    }
    if (!client.token) fill(tokenMsg, message(TOKEN_HINT, "info", "token-hint"));
    conn.start();
  })();
  return ctx;
}
