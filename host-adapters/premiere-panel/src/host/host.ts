// What differs between the Premiere panel and the browser page. The UI (src/ui) only talks to
// this interface and to the node client; Premiere's API stays in host/premiere.ts.

import type { Job } from "../core/client";
import type { PlaceMode } from "../core/placement";

/** What a merge renders: a media file (and in Premiere a frame range of it) into one output. */
export interface MergeTarget {
  /** One line for the UI: clip name, track, range. */
  label: string;
  /** Lines of detail (rate, source range, handles) shown under the label. */
  details: string[];
  input: string;
  /** dflc's inclusive source frame range "A-B", or null for the whole file. */
  frames: string | null;
  /** Where the result is written (versioned name beside the input unless changed). */
  output: string;
  /** Opaque to the UI: what the host needs later to place the result. */
  hostData?: unknown;
}

export interface MergeTargetHelpers {
  handles: number;
  /** The node-side file picker, for a video. */
  pickFile: () => Promise<string | null>;
  /** The next free `<clip>_swap_vNNN` output beside `input`; `taken` adds names to avoid. */
  outputFor: (input: string, taken?: string[]) => Promise<string>;
}

export interface Host {
  kind: "premiere" | "browser";
  /** Default node URL: the page's own origin in a browser, 127.0.0.1:47600 in UXP. */
  defaultUrl: string;
  /** Button label for choosing what to merge ("Use selected clip" / "Choose clip…"). */
  targetLabel: string;
  /**
   * The thing to merge. Premiere reads the timeline selection; the browser lets the user pick a
   * file on the node (pickFile). Throws an Error with a message for the person on refusal.
   */
  mergeTarget(o: MergeTargetHelpers): Promise<MergeTarget | null>;
  /** Premiere: import the finished result and place it. Absent in the browser. */
  placeResult?(target: MergeTarget, job: Job, mode: PlaceMode): Promise<string>;
  /** Premiere: read the token from a file the user picks once (remembered). */
  tokenFromFile?(ask: boolean): Promise<string | null>;
  storage: { get(key: string): string | null; set(key: string, value: string): void };
}
