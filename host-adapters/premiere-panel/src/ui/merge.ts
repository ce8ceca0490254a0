// The merge tab: what to render (the selected clip in Premiere, a file on the node in a
// browser), which model, and the merge settings as /v1/schema/merge declares them.

import { NodeError, type SchemaField } from "../core/client";
import { applyValues, defaults, errorsByPath, label, mergeSpec, parseField } from "../core/jobs";
import type { MergeTarget } from "../host/host";
import type { Ctx } from "./app";
import { fill, h, message, tid } from "./dom";
import { VIDEO_EXTS } from "./picker";

export function mergeTab(ctx: Ctx) {
  let target: MergeTarget | null = null;
  let fields: SchemaField[] = [];
  let values = new Map<string, unknown>();
  const fieldErrors = new Map<string, HTMLElement>();
  const invalid = new Map<string, string>(); // what the form itself rejects (range, type)
  const isPremiere = ctx.host.kind === "premiere";

  const targetEl = h("div", { class: "target", testid: "merge-target" }, h("span", { class: "dim" }, "nothing chosen"));
  const outputInput = h("input", { type: "text", testid: "merge-output", placeholder: "output file on the node" });
  const modelSel = h("select", { testid: "model-select" });
  const xsegSel = h("select", { testid: "xseg-select" });
  const handles = h("input", { type: "number", min: 0, max: 240, value: 12, class: "short", testid: "handles", title: "Extra frames rendered each side so the result can be trimmed later" });
  const placeMode = h("select", { testid: "place-mode" },
    h("option", { value: "stack" }, "Stack above (original kept)"),
    h("option", { value: "replace" }, "Replace (original disabled)"));
  const settingsEl = h("div", { class: "settings", testid: "merge-settings" }, h("span", { class: "dim" }, "settings load when the node is online"));
  const msg = h("div", { testid: "merge-message" });
  // A docked panel is narrow: settings start folded there, open in a browser.
  const settingsToggle = h("button", { testid: "settings-toggle", onclick: () => {
    settingsEl.style.display = settingsEl.style.display === "none" ? "" : "none";
    settingsToggle.textContent = settingsEl.style.display === "none" ? "Show" : "Hide";
  } }, isPremiere ? "Show" : "Hide");
  if (isPremiere) settingsEl.style.display = "none";

  const fillModels = () => {
    const keep = modelSel.value;
    const keepX = xsegSel.value;
    const swap = ctx.models().filter((m) => m.kind === "swap");
    fill(modelSel, swap.length ? swap.map((m) => h("option", { value: m.path }, `${baseNameOf(m.path)} · ${m.archi} ${m.resolution}px · it ${m.iteration}`)) : h("option", { value: "" }, "(no models on the node)"));
    fill(xsegSel, h("option", { value: "" }, "no XSeg"), ctx.models().filter((m) => m.kind === "xseg").map((m) => h("option", { value: m.path }, `${baseNameOf(m.path)} · it ${m.iteration}`)));
    if (keep && swap.some((m) => m.path === keep)) modelSel.value = keep;
    xsegSel.value = keepX;
  };
  ctx.onModels(fillModels);

  const choose = async () => {
    fill(msg);
    try {
      const t = await ctx.host.mergeTarget({
        handles: Math.max(0, Number(handles.value) || 0),
        pickFile: async () => (await ctx.pick({ title: "Clip to merge", exts: VIDEO_EXTS }))?.[0] ?? null,
        outputFor: (input, taken) => ctx.outputFor(input, taken),
      });
      if (!t) return;
      target = t;
      outputInput.value = t.output;
      fill(targetEl, h("div", { testid: "merge-target-label" }, t.label), t.details.map((d) => h("div", { class: "dim" }, d)));
    } catch (e) {
      fill(msg, message(e instanceof Error ? e.message : String(e), "error", "merge-error"));
    }
  };

  const renderField = (f: SchemaField) => {
    const id = tid(f.path);
    const v = values.get(f.path);
    const err = h("div", { class: "err small", testid: `error-${id}` });
    fieldErrors.set(f.path, err);
    const set = (raw: string | boolean) => {
      const r = parseField(f, raw);
      err.textContent = r.error ?? "";
      if (r.error) invalid.set(f.path, r.error);
      else {
        invalid.delete(f.path);
        values.set(f.path, r.value);
      }
    };
    let control: HTMLElement;
    if (f.type === "bool") {
      const c = h("input", { type: "checkbox", testid: `input-${id}`, checked: v === true });
      c.addEventListener("change", () => set(c.checked));
      control = c;
    } else if (f.type === "choice") {
      const s = h("select", { testid: `input-${id}` }, (f.choices ?? []).map((c) => h("option", { value: c }, c)));
      s.value = String(v ?? "");
      s.addEventListener("change", () => set(s.value));
      control = s;
    } else {
      const numeric = f.type === "int" || f.type === "double";
      const i = h("input", {
        type: numeric ? "number" : "text", testid: `input-${id}`, value: v === null || v === undefined ? "" : String(v),
        min: f.min, max: f.max, step: f.type === "double" ? "any" : numeric ? 1 : undefined, class: numeric ? "short" : "",
      });
      i.addEventListener("input", () => set(i.value));
      i.addEventListener("change", () => set(i.value));
      control = i;
    }
    const range = f.min !== undefined && f.max !== undefined ? ` (${f.min} … ${f.max})` : "";
    return h("div", { class: "field", testid: `field-${id}`, title: f.help ?? "" },
      h("label", {}, label(f.path), h("span", { class: "dim" }, range)), control,
      f.help && h("div", { class: "help dim" }, f.help), err);
  };

  const loadSchema = async () => {
    try {
      fields = await ctx.client.schema("merge");
      values = defaults(fields);
      fieldErrors.clear();
      invalid.clear();
      fill(settingsEl, fields.map(renderField), h("button", { testid: "settings-reset", onclick: () => void loadSchema() }, "Defaults"));
    } catch (e) {
      fill(settingsEl, message(e instanceof NodeError ? e.message : String(e), "error"));
    }
  };

  const start = async () => {
    fill(msg);
    // Clear what the node said last time; keep what the form itself rejects.
    for (const [path, e] of fieldErrors) e.textContent = invalid.get(path) ?? "";
    if (!target) return fill(msg, message(isPremiere ? "Select a clip on the timeline and press “Use selected clip”." : "Choose a clip first.", "error", "merge-error"));
    if (invalid.size) return fill(msg, message(`Fix the settings marked in red (${[...invalid.keys()].map(label).join(", ")}).`, "error", "merge-error"));
    const spec = applyValues(mergeSpec({
      workspace: modelSel.value, input: target.input, output: outputInput.value.trim(),
      xseg: xsegSel.value || null, frames: target.frames,
    }), values);
    try {
      const id = await ctx.startJob(spec, target);
      fill(msg, message(`started job ${id}`, "ok", "merge-started"));
      // The next run of the same clip must not overwrite this output.
      target = { ...target, output: await ctx.outputFor(target.input, [spec.output]) };
      outputInput.value = target.output;
    } catch (e) {
      const err = e instanceof NodeError ? e : new NodeError(String(e), "server");
      for (const [path, text] of errorsByPath(err.errors)) fieldErrors.get(path)?.appendChild(document.createTextNode(text));
      fill(msg, message(err.message, "error", "merge-error"));
    }
  };

  const el = h("div", { class: "tab-body", testid: "merge-tab" },
    h("div", { class: "row" }, h("button", { testid: "pick-input", onclick: () => void choose() }, ctx.host.targetLabel),
      isPremiere && [h("label", { class: "dim" }, "Handles "), handles]),
    targetEl,
    h("div", { class: "field" }, h("label", {}, "Output"), outputInput),
    h("div", { class: "field" }, h("label", {}, "Model"), modelSel),
    h("div", { class: "field" }, h("label", {}, "XSeg mask model"), xsegSel),
    isPremiere && h("div", { class: "field" }, h("label", {}, "Place result"), placeMode),
    h("div", { class: "row" }, h("h4", {}, "Merge settings"), settingsToggle), settingsEl,
    h("div", { class: "row" }, h("button", { class: "primary", testid: "start-merge", onclick: () => void start() }, "Merge")),
    msg);

  return {
    el,
    loadSchema: () => void loadSchema(),
    placeMode,
    useModel: (path: string) => {
      modelSel.value = path;
      ctx.showTab("merge");
    },
  };
}

const baseNameOf = (p: string) => p.replace(/[\\/]+$/, "").split(/[\\/]/).pop() ?? p;
