// The browser page the node serves at /: clips are files on the node, chosen with the /v1/files
// picker; results stay on the node (their path is shown). No timeline to place them on.

import { baseName } from "../core/placement";
import type { Host } from "./host";

function storage(): Host["storage"] {
  try {
    const ls = window.localStorage;
    return { get: (k) => ls.getItem(k), set: (k, v) => ls.setItem(k, v) };
  } catch {
    const m = new Map<string, string>(); // storage blocked (private mode): keep it for this page
    return { get: (k) => m.get(k) ?? null, set: (k, v) => void m.set(k, v) };
  }
}

export function browserHost(): Host {
  return {
    kind: "browser",
    // Served by the node itself, so the API is on the page's own origin.
    defaultUrl: location.protocol.startsWith("http") ? location.origin : "http://127.0.0.1:47600",
    targetLabel: "Choose clip…",
    async mergeTarget({ pickFile, outputFor }) {
      const input = await pickFile();
      if (!input) return null;
      return { label: baseName(input), details: [input, "whole clip"], input, frames: null, output: await outputFor(input) };
    },
    storage: storage(),
  };
}
