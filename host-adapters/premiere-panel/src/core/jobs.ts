// The job model shared by the panel and the browser page: job specs as the node takes them,
// settings forms driven by /v1/schema/{kind}, and how jobs read to a person.

import type { FieldError, Job, JobState, SchemaField } from "./client";
import { TERMINAL } from "./client";

export type Settings = Record<string, unknown>;

export interface MergeSpec {
  kind: "merge";
  version: 1;
  workspace: string;
  input: string;
  output: string;
  xseg: string | null;
  frames: string | null;
  settings: Settings;
}
export interface SwapSpec {
  kind: "swap";
  version: 1;
  src: string[];
  dst: string;
  output: string;
  workspace: string;
  train: { maxMinutes: number } & Settings;
  merge: Settings;
}
export interface TrainSpec {
  kind: "train";
  version: 1;
  src: string;
  dst: string;
  workspace: string;
  train: { maxMinutes: number } & Settings;
}
export type JobSpec = MergeSpec | SwapSpec | TrainSpec;

export function mergeSpec(a: {
  workspace: string;
  input: string;
  output: string;
  xseg?: string | null;
  frames?: string | null;
  settings?: Settings;
}): MergeSpec {
  return {
    kind: "merge",
    version: 1,
    workspace: a.workspace,
    input: a.input,
    output: a.output,
    xseg: a.xseg || null,
    frames: a.frames ?? null,
    settings: a.settings ?? {},
  };
}

export function swapSpec(a: {
  src: string[];
  dst: string;
  output: string;
  workspace: string;
  maxMinutes: number;
  merge?: Settings;
}): SwapSpec {
  return {
    kind: "swap",
    version: 1,
    src: [...a.src],
    dst: a.dst,
    output: a.output,
    workspace: a.workspace,
    train: { maxMinutes: a.maxMinutes },
    merge: a.merge ?? {},
  };
}

export function trainSpec(a: { src: string; dst: string; workspace: string; maxMinutes: number }): TrainSpec {
  return { kind: "train", version: 1, src: a.src, dst: a.dst, workspace: a.workspace, train: { maxMinutes: a.maxMinutes } };
}

/** Errors a person can act on before the node is asked (the node checks again, and says more). */
export function checkSpec(spec: JobSpec): FieldError[] {
  const errs: FieldError[] = [];
  const need = (path: string, v: unknown) => {
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0))
      errs.push({ path, message: "required" });
  };
  if (spec.kind === "merge") {
    need("workspace", spec.workspace);
    need("input", spec.input);
    need("output", spec.output);
  } else if (spec.kind === "swap") {
    need("src", spec.src);
    need("dst", spec.dst);
    need("output", spec.output);
    need("workspace", spec.workspace);
  } else {
    need("src", spec.src);
    need("dst", spec.dst);
    need("workspace", spec.workspace);
  }
  if (spec.kind !== "merge" && !(spec.train.maxMinutes > 0)) errs.push({ path: "train.maxMinutes", message: "must be more than 0" });
  return errs;
}

/**
 * "Train more": the same training, longer. A swap job is re-run whole (each stage resumes from
 * its workspace, so extraction is skipped and the merge uses the better model) into a new
 * versioned output; a train job continues for `minutes` more.
 */
export function trainMoreSpec(job: Job, minutes: number, newOutput?: string): JobSpec {
  const spec = job.spec as unknown as JobSpec;
  if (spec.kind === "swap") {
    return { ...spec, output: newOutput ?? spec.output, train: { ...spec.train, maxMinutes: minutes } };
  }
  if (spec.kind === "train") return { ...spec, train: { ...spec.train, maxMinutes: minutes } };
  throw new Error(`a ${spec.kind} job has no training to continue`);
}

export const canTrainMore = (job: Job) => job.spec?.kind === "swap" || job.spec?.kind === "train";
export const isTerminal = (s: JobState) => TERMINAL.has(s);

// ---- reading jobs -------------------------------------------------------------------------

export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

export function percent(job: Job): number {
  if (job.state === "done") return 100;
  const f = job.progress?.fraction ?? 0;
  return Math.max(0, Math.min(100, Math.round(f * 1000) / 10));
}

/** One line: what the job is doing, or why it stopped, in the node's own words. */
export function describe(job: Job, withEta = true): string {
  switch (job.state) {
    case "queued":
      return "waiting for a free slot";
    case "running": {
      const p = job.progress;
      const eta = withEta ? formatEta(job.eta) : "";
      return [p?.stage, p?.message, eta && `${eta} left`].filter(Boolean).join(" · ") || "running";
    }
    case "done":
      return job.results.length ? `done: ${job.results.join(", ")}` : "done";
    case "failed":
      return job.error ? `failed: ${job.error.message}${job.error.exitCode ? ` (exit ${job.error.exitCode})` : ""}` : "failed";
    case "cancelled":
      return "cancelled";
  }
}

export function jobTitle(job: Job): string {
  const s = job.spec as Record<string, unknown>;
  const file = (p: unknown) => (typeof p === "string" ? (p.split(/[\\/]/).pop() ?? p) : "");
  const target = job.kind === "train" ? file(s.workspace) : file(s.output) || file(s.input) || file(s.dst);
  return `${job.kind} ${target}`.trim();
}

// ---- settings forms from /v1/schema ------------------------------------------------------

export function getPath(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

export function setPath<T extends object>(obj: T, path: string, value: unknown): T {
  const keys = path.split(".");
  let o = obj as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) {
    if (!o[k] || typeof o[k] !== "object") o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[keys[keys.length - 1]!] = value;
  return obj;
}

/** The schema's defaults as a values map keyed by field path. */
export function defaults(fields: SchemaField[]): Map<string, unknown> {
  return new Map(fields.map((f) => [f.path, f.default ?? (f.type === "bool" ? false : f.type === "paths" ? [] : "")]));
}

/** Parses what a form control holds into the field's type; returns an error in plain words. */
export function parseField(f: SchemaField, raw: string | boolean | string[]): { value?: unknown; error?: string } {
  switch (f.type) {
    case "bool":
      return { value: raw === true || raw === "true" };
    case "int":
    case "double": {
      const s = String(raw).trim();
      if (s === "") return f.default === undefined || f.default === null ? { value: null } : { value: f.default };
      const n = Number(s);
      if (!Number.isFinite(n)) return { error: "not a number" };
      if (f.type === "int" && !Number.isInteger(n)) return { error: "must be a whole number" };
      if (f.min !== undefined && f.min !== null && n < f.min) return { error: `must be at least ${f.min}` };
      if (f.max !== undefined && f.max !== null && n > f.max) return { error: `must be at most ${f.max}` };
      return { value: n };
    }
    case "choice": {
      const s = String(raw);
      if (f.choices && !f.choices.includes(s)) return { error: `one of ${f.choices.join(", ")}` };
      return { value: s };
    }
    case "paths":
      return { value: Array.isArray(raw) ? raw : String(raw).split(/\n/).map((s) => s.trim()).filter(Boolean) };
    default: {
      const s = String(raw).trim();
      return { value: s === "" && f.type === "path" ? null : s };
    }
  }
}

/** Builds the nested settings object from a values map (paths like "settings.erodeMask"). */
export function applyValues<T extends object>(spec: T, values: Map<string, unknown>): T {
  for (const [path, v] of values) setPath(spec, path, v);
  return spec;
}

/** The node's errors by field path ("$.settings.erodeMask" -> "settings.erodeMask"). */
export function errorsByPath(errors: FieldError[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of errors) {
    const p = e.path.replace(/^\$\.?/, "");
    m.set(p, m.has(p) ? `${m.get(p)}; ${e.message}` : e.message);
  }
  return m;
}

/** "erodeMask" -> "Erode mask" for labels when the schema gives none. */
export function label(path: string): string {
  const last = path.split(".").pop() ?? path;
  const words = last.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
