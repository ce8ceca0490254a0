// Models the node knows (GET /v1/models): what each is, its training preview, and the two things
// to do with one: merge with it, or train it more on two facesets.

import { type ModelInfo, NodeError } from "../core/client";
import { trainSpec } from "../core/jobs";
import type { Ctx } from "./app";
import { fill, h, message } from "./dom";

export function modelsTab(ctx: Ctx): HTMLElement {
  const list = h("div", { testid: "model-list" });
  const previews = new Map<string, string>();

  const trainForm = (m: ModelInfo, i: number) => {
    const srcIn = h("input", { type: "text", testid: `train-src-${i}`, placeholder: "src faceset folder" });
    const dstIn = h("input", { type: "text", testid: `train-dst-${i}`, placeholder: "dst faceset folder" });
    const minutes = h("input", { type: "number", min: 1, value: 20, class: "short", testid: `train-minutes-${i}` });
    const msg = h("div", { testid: `train-message-${i}` });
    const browse = (input: HTMLInputElement, title: string) =>
      h("button", { onclick: async () => {
        const p = (await ctx.pick({ title, folder: true }))?.[0];
        if (p) input.value = p;
      } }, "Browse…");
    return h("div", { class: "train-form" },
      h("div", { class: "row" }, srcIn, browse(srcIn, "Faceset of the face to put in")),
      h("div", { class: "row" }, dstIn, browse(dstIn, "Faceset of the target clip")),
      h("div", { class: "row" }, h("label", { class: "dim" }, "Minutes "), minutes,
        h("button", { class: "primary", testid: `train-start-${i}`, onclick: async () => {
          try {
            const id = await ctx.startJob(trainSpec({ src: srcIn.value.trim(), dst: dstIn.value.trim(), workspace: m.path, maxMinutes: Number(minutes.value) }));
            fill(msg, message(`started training job ${id}`, "ok"));
          } catch (e) {
            fill(msg, message(e instanceof NodeError ? e.message : String(e), "error"));
          }
        } }, "Train")),
      msg);
  };

  const render = () => {
    const models = ctx.models();
    if (!models.length) return fill(list, h("div", { class: "dim" }, "The node has no models yet: the swap wizard makes one."));
    fill(list, models.map((m, i) => {
      const img = h("img", { class: "preview", testid: `model-preview-${i}`, alt: "", src: previews.get(m.path), style: previews.has(m.path) ? "" : "display:none" });
      if (m.previewUrl && !previews.has(m.path)) {
        ctx.client.imageDataUrl(m.previewUrl).then((u) => {
          previews.set(m.path, u);
          img.src = u;
          img.style.display = "";
        }).catch(() => {});
      }
      const form = h("div", {});
      return h("div", { class: "model", testid: `model-${i}` },
        h("div", { class: "row" }, h("strong", {}, m.path.replace(/[\\/]+$/, "").split(/[\\/]/).pop() ?? m.path), h("span", { class: "dim" }, m.kind)),
        h("div", { class: "dim", testid: `model-info-${i}` }, `${m.archi} · ${m.resolution}px · face ${m.faceType} · ${m.iteration} iterations`),
        h("div", { class: "dim small" }, m.path),
        img,
        m.kind === "swap" && h("div", { class: "row" },
          h("button", { testid: `model-use-${i}`, onclick: () => ctx.useModel(m.path) }, "Merge with it"),
          h("button", { testid: `model-train-${i}`, onclick: () => fill(form, form.firstChild ? "" : trainForm(m, i)) }, "Train more…")),
        form);
    }));
  };
  ctx.onModels(render);
  render();
  return h("div", { class: "tab-body", testid: "models-tab" }, list);
}
