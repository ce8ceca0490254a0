// A file picker over the node's /v1/files: paths a job names must be inside the node's roots,
// so both the panel and the page pick from what the node can see, not from the local disk.

import type { FileEntry, NodeClient } from "../core/client";
import { NodeError } from "../core/client";
import { clear, fill, h, message, tid } from "./dom";

export interface PickOptions {
  title: string;
  /** Pick a folder (the one shown when OK is pressed) instead of files. */
  folder?: boolean;
  multiple?: boolean;
  /** Lower-case extensions shown (".mp4"); folders always shown. */
  exts?: string[];
}

const sepOf = (p: string) => (p.includes("\\") && !p.includes("/") ? "\\" : "/");
export const joinPath = (dir: string, name: string) => (dir.endsWith("/") || dir.endsWith("\\") ? dir + name : dir + sepOf(dir) + name);
export function parentPath(p: string): string {
  const s = sepOf(p);
  const trimmed = p.replace(/[\\/]+$/, "");
  const i = trimmed.lastIndexOf(s);
  if (i <= 0) return s === "/" ? "/" : trimmed;
  const up = trimmed.slice(0, i);
  return /^[A-Za-z]:$/.test(up) ? up + "\\" : up;
}

export const VIDEO_EXTS = [".mp4", ".mov", ".mkv", ".avi", ".mxf", ".webm", ".m4v"];
export const IMAGE_EXTS = [".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"];

/** Opens the picker as an overlay; resolves with the chosen paths, or null if cancelled. */
export function pickPaths(client: NodeClient, o: PickOptions, start?: string): Promise<string[] | null> {
  return new Promise((resolve) => {
    let roots: string[] = [];
    let dir = start ?? "";
    const chosen = new Set<string>();
    const list = h("div", { class: "picker-list", testid: "picker-list" });
    const where = h("div", { class: "picker-path", testid: "picker-path" });
    const status = h("div", { testid: "picker-message" });
    const rootSel = h("select", { testid: "picker-root", onchange: () => void go(rootSel.value) });
    const typed = h("input", { type: "text", placeholder: "or type a path on the node", testid: "picker-typed" });
    const done = (v: string[] | null) => {
      overlay.remove();
      resolve(v);
    };
    const ok = h("button", { class: "primary", testid: "picker-ok", onclick: () => {
      const t = typed.value.trim();
      if (t) return done([t]);
      if (o.folder) return done(dir ? [dir] : null);
      if (chosen.size) done([...chosen]);
    } }, o.folder ? "Use this folder" : "Choose");
    const overlay = h("div", { class: "picker", testid: "picker" },
      h("div", { class: "picker-box" },
        h("div", { class: "picker-head" }, h("strong", {}, o.title), rootSel),
        h("div", { class: "row" }, h("button", { testid: "picker-up", onclick: () => dir && void go(parentPath(dir)) }, "Up"), where),
        list, status, typed,
        h("div", { class: "row right" }, h("button", { testid: "picker-cancel", onclick: () => done(null) }, "Cancel"), ok)));

    const entryRow = (e: FileEntry) => {
      const full = joinPath(dir, e.name);
      const row = h("div", { class: `picker-entry${e.dir ? " dir" : ""}${chosen.has(full) ? " chosen" : ""}`, testid: `picker-entry-${tid(e.name)}`, onclick: () => {
        if (e.dir) return void go(full);
        if (o.folder) return;
        if (!o.multiple) chosen.clear();
        if (chosen.has(full)) chosen.delete(full);
        else chosen.add(full);
        render(lastEntries);
      } }, e.dir ? `▸ ${e.name}` : e.name, e.dir || e.size === undefined ? "" : h("span", { class: "dim" }, ` ${(e.size / 1e6).toFixed(1)} MB`));
      if (!e.dir) row.addEventListener("dblclick", () => !o.folder && done([full]));
      return row;
    };
    let lastEntries: FileEntry[] = [];
    const render = (entries: FileEntry[]) => {
      lastEntries = entries;
      const shown = entries
        .filter((e) => e.dir || !o.exts || o.exts.some((x) => e.name.toLowerCase().endsWith(x)))
        .sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name));
      fill(list, shown.length ? shown.map(entryRow) : h("div", { class: "dim" }, "(empty)"));
      fill(status, chosen.size ? h("span", { class: "dim" }, `${chosen.size} chosen`) : "");
    };
    const go = async (path?: string) => {
      try {
        const root = roots.find((r) => path?.startsWith(r)) ?? roots[0];
        const res = await client.files(root, path || undefined);
        roots = res.roots;
        dir = res.path;
        fill(where, dir);
        if (!rootSel.options.length || rootSel.options.length !== roots.length) {
          clear(rootSel);
          roots.forEach((r) => rootSel.appendChild(h("option", { value: r }, r)));
        }
        rootSel.value = roots.find((r) => dir.startsWith(r)) ?? roots[0] ?? "";
        render(res.entries);
      } catch (e) {
        fill(status, message(e instanceof NodeError ? e.message : String(e), "error"));
      }
    };
    document.body.appendChild(overlay);
    void go(start);
  });
}
