// Where a swap result goes on the timeline. Pure: the Premiere binding reads the tracks, asks
// planPlacement, then turns the plan into actions. Rules (issue P11):
//  - video only; never ripple, never move or trim a neighbour;
//  - "stack": overwrite onto the nearest video track above the original whose span is empty,
//    or a new track on top; the original is left as it is (compare by toggling the track);
//  - "replace": the same placement, and the original is disabled (never deleted). Premiere's
//    tracks cannot hold two overlapping items and UXP has no "move to another track" action,
//    so putting the result on the original's own track would mean deleting the original.
//  - the result is trimmed to exactly the original's source range; its handles stay trimmable.

import { type FrameRange, type HandledRange, type Rate, frameCount, frameToTicks } from "./time";

export type PlaceMode = "stack" | "replace";

/** A span of sequence time, end exclusive. */
export interface Span {
  start: bigint;
  end: bigint;
}

export interface PlacementInput {
  mode: PlaceMode;
  /** Occupied spans per video track, index 0 = V1 (clips only, not empty gaps). */
  videoTracks: Span[][];
  originalTrack: number;
  /** The original clip's span in the sequence. */
  original: Span;
  /** The frames the result file holds (clip range plus the handles that fit). */
  rendered: HandledRange;
  /** The result file's frame rate (the source footage's). */
  rate: Rate;
}

export interface Placement {
  /** Video track to overwrite onto; equal to the track count means "a new track on top". */
  trackIndex: number;
  newTrack: boolean;
  /** Sequence time where the result starts: the original's start. */
  time: bigint;
  /** The result's in/out in its own media time (skips the head handle, ends before the tail). */
  inPoint: bigint;
  outPoint: bigint;
  disableOriginal: boolean;
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The nearest track above `from` with nothing in `span`; tracks.length if none (new track). */
export function nextFreeTrack(tracks: Span[][], from: number, span: Span): number {
  for (let t = from + 1; t < tracks.length; t++) {
    if (!(tracks[t] ?? []).some((s) => overlaps(s, span))) return t;
  }
  return tracks.length;
}

export function planPlacement(p: PlacementInput): Placement {
  if (p.original.end <= p.original.start) throw new Error("the original clip has no duration");
  if (p.originalTrack < 0 || p.originalTrack >= p.videoTracks.length)
    throw new Error(`video track ${p.originalTrack + 1} does not exist`);
  const clip: FrameRange = { first: p.rendered.first + p.rendered.before, last: p.rendered.last - p.rendered.after };
  const trackIndex = nextFreeTrack(p.videoTracks, p.originalTrack, p.original);
  return {
    trackIndex,
    newTrack: trackIndex >= p.videoTracks.length,
    time: p.original.start,
    inPoint: frameToTicks(p.rendered.before, p.rate),
    outPoint: frameToTicks(p.rendered.before + frameCount(clip), p.rate),
    disableOriginal: p.mode === "replace",
  };
}

/** "shot 01.mov" -> "shot 01" */
export function baseName(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? path;
  const dot = file.lastIndexOf(".");
  return dot > 0 ? file.slice(0, dot) : file;
}

/**
 * `<clip>_swap_v001` for the first run, then v002, v003 ... past the highest version found among
 * existing names (bin items, files), so a re-run never overwrites an earlier result.
 */
export function versionedName(clip: string, existing: Iterable<string>): string {
  const base = baseName(clip).replace(/_swap_v\d{3,}$/, "");
  const esc = base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`^${esc}_swap_v(\\d{3,})(\\.[^.]*)?$`);
  let max = 0;
  for (const name of existing) {
    const m = re.exec(name.split(/[\\/]/).pop() ?? name);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `${base}_swap_v${String(max + 1).padStart(3, "0")}`;
}

/** Output next to the input (or in `dir`), same separator style as the input path. */
export function outputPath(input: string, name: string, ext = ".mp4", dir?: string): string {
  const sep = input.includes("\\") && !input.includes("/") ? "\\" : "/";
  const folder = dir ?? input.slice(0, Math.max(0, input.lastIndexOf(sep)));
  return `${folder.replace(/[\\/]+$/, "")}${sep}${name}${ext}`;
}
