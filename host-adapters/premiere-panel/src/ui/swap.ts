// The swap wizard: faces of one person (clips or photos) onto a clip, as one `swap` job that
// extracts, trains for N minutes and merges (dflc swap). Steps are numbered, not hidden, so a
// person sees everything that will happen before pressing Start.

import { NodeError } from "../core/client";
import { swapSpec } from "../core/jobs";
import { baseName } from "../core/placement";
import type { Ctx } from "./app";
import { fill, h, message } from "./dom";
import { IMAGE_EXTS, VIDEO_EXTS, joinPath, parentPath } from "./picker";

export function swapTab(ctx: Ctx): HTMLElement {
  const src: string[] = [];
  let dst = "";
  let workspace = "";
  const srcList = h("div", { testid: "swap-src-list" });
  const dstEl = h("div", { testid: "swap-dst", class: "dim" }, "no clip chosen");
  const wsInput = h("input", { type: "text", testid: "swap-ws", placeholder: "model folder on the node (created if new)" });
  const minutes = h("input", { type: "number", min: 1, max: 10000, value: 20, class: "short", testid: "swap-minutes" });
  const output = h("input", { type: "text", testid: "swap-output", placeholder: "result file on the node" });
  const msg = h("div", { testid: "swap-message" });

  const renderSrc = () =>
    fill(srcList, src.length ? src.map((p, i) => h("div", { class: "row", testid: `swap-src-item-${i}` }, h("span", {}, p),
      h("button", { testid: `swap-src-remove-${i}`, onclick: () => (src.splice(i, 1), renderSrc()) }, "Remove"))) : h("div", { class: "dim" }, "no source faces yet"));

  const addSrc = async () => {
    const picked = await ctx.pick({ title: "Clips or photos of the face to put in", multiple: true, exts: [...VIDEO_EXTS, ...IMAGE_EXTS] });
    for (const p of picked ?? []) if (!src.includes(p)) src.push(p);
    renderSrc();
  };
  const pickDst = async (fromTimeline = false) => {
    let p: string | undefined;
    try {
      // In Premiere the selected clip's media can be the target (the whole file is swapped;
      // merge with the trained model afterwards to place a range on the timeline).
      p = fromTimeline
        ? (await ctx.host.mergeTarget({ handles: 0, pickFile: async () => null, outputFor: (i) => ctx.outputFor(i) }))?.input
        : (await ctx.pick({ title: "Clip to swap the face in", exts: VIDEO_EXTS }))?.[0];
    } catch (e) {
      return fill(msg, message(e instanceof Error ? e.message : String(e), "error", "swap-error"));
    }
    if (!p) return;
    dst = p;
    fill(dstEl, p);
    dstEl.className = "";
    if (!workspace) wsInput.value = workspace = joinPath(parentPath(p), `${baseName(p)}_model`);
    output.value = await ctx.outputFor(p);
  };
  const pickWs = async () => {
    const p = (await ctx.pick({ title: "Model folder (an existing one continues training)", folder: true }))?.[0];
    if (p) wsInput.value = workspace = p;
  };

  const start = async () => {
    fill(msg);
    workspace = wsInput.value.trim();
    try {
      const id = await ctx.startJob(swapSpec({ src, dst, output: output.value.trim(), workspace, maxMinutes: Number(minutes.value) }));
      fill(msg, message(`started swap job ${id}: extract, train ${minutes.value} min, merge`, "ok", "swap-started"));
      output.value = await ctx.outputFor(dst, [output.value]);
    } catch (e) {
      fill(msg, message(e instanceof NodeError ? e.message : String(e), "error", "swap-error"));
    }
  };

  renderSrc();
  return h("div", { class: "tab-body", testid: "swap-tab" },
    h("h4", {}, "1 · Source face"), h("div", { class: "dim" }, "Clips or photos of the person to put in (several angles help)."),
    srcList, h("button", { testid: "swap-src-add", onclick: () => void addSrc() }, "Add clips or photos…"),
    h("h4", {}, "2 · Target clip"), h("div", { class: "row" }, h("button", { testid: "swap-dst-pick", onclick: () => void pickDst() }, "Choose clip…"),
      ctx.host.kind === "premiere" && h("button", { testid: "swap-dst-selected", onclick: () => void pickDst(true) }, "Use selected clip"), dstEl),
    h("h4", {}, "3 · Model and time"),
    h("div", { class: "field" }, h("label", {}, "Model folder"), h("div", { class: "row" }, wsInput, h("button", { testid: "swap-ws-pick", onclick: () => void pickWs() }, "Browse…"))),
    h("div", { class: "field" }, h("label", {}, "Training minutes"), minutes),
    h("div", { class: "field" }, h("label", {}, "Result"), output),
    h("div", { class: "row" }, h("button", { class: "primary", testid: "swap-start", onclick: () => void start() }, "Start swap")),
    msg);
}
