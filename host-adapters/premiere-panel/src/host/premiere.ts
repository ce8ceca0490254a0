// The Premiere Pro binding (UXP, Premiere 25.6+, written to the 26.3 rules): read the selected
// clip, and put a finished result back on the timeline. Type-checked against Adobe's published
// declarations (@adobe/premierepro 26.3.0) by `npm run typecheck`; the timing and placement
// decisions themselves are the pure functions in core/, tested without Premiere.
//
// 26.3 rules followed here: every create*Action call happens inside project.lockedAccess, and all
// timeline edits of one placement go into a single executeTransaction, so one Undo reverts them.
// Reads (getters returning Promises) happen before, outside the lock.

import type {
  ClipProjectItem, FolderItem, Project, ProjectItem, Sequence, VideoClipTrackItem, premierepro,
} from "@adobe/premierepro";
import type { Job } from "../core/client";
import { type PlaceMode, type Span, baseName, planPlacement } from "../core/placement";
import {
  type HandledRange, type Rate, fps, framesArg, framesToTimecode, parseTicks, rateFromFps, rateFromTicksPerFrame,
  sourceFrames, ticksToFrame, withHandles,
} from "../core/time";
import type { Host, MergeTarget } from "./host";

declare const require: (id: string) => unknown;
// UXP's own module, loaded on first use; tests hand in a fake through premiereHost(api).
let api: premierepro | undefined;
const ppro = (): premierepro => (api ??= require("premierepro") as premierepro);

export const BIN_NAME = "DFLComposite";

/** What placing needs later, JSON-safe (ticks as strings) so it survives a panel reload. */
interface ClipData {
  sequenceGuid: string;
  sequenceName: string;
  trackIndex: number;
  start: string;
  end: string;
  rate: Rate;
  rendered: HandledRange;
  clipName: string;
  mediaPath: string;
}

/** A refusal a person can act on. */
class Refusal extends Error {}

async function activeProject(): Promise<Project> {
  const project = await ppro().Project.getActiveProject();
  if (!project) throw new Refusal("Open a project first.");
  return project;
}

const ticksOf = (t: { ticks: string }) => parseTicks(t.ticks);

/** Audio items share the track-item API; only video items can start a video transition. */
const isVideoItem = (i: unknown): i is VideoClipTrackItem =>
  typeof (i as VideoClipTrackItem | undefined)?.createAddVideoTransitionAction === "function";

async function sequenceRate(seq: Sequence): Promise<Rate> {
  const fr = (await seq.getSettings()).getVideoFrameRate();
  return fr.ticksPerFrame ? rateFromTicksPerFrame(fr.ticksPerFrame) : rateFromFps(fr.value);
}

/** Reads the one selected video clip and refuses what a frame-range merge cannot reproduce. */
async function readSelection(handles: number) {
  const project = await activeProject();
  const seq = await project.getActiveSequence();
  if (!seq) throw new Refusal("Open a sequence and select a clip on it.");
  const selected = (await (await seq.getSelection()).getTrackItems()).filter(isVideoItem);
  if (selected.length === 0) throw new Refusal("Select one video clip on the timeline.");
  if (selected.length > 1) throw new Refusal(`Select just one video clip (${selected.length} are selected).`);
  const item = selected[0]!;
  const name = await item.getName();

  const speed = await item.getSpeed();
  if (Math.abs(speed - 1) > 1e-6)
    throw new Refusal(`“${name}” plays at ${Math.round(speed * 100)}% speed: set it to 100% (or render and replace it) first — the merge works on the source frames.`);
  if (await item.isSpeedReversed()) throw new Refusal(`“${name}” is reversed: un-reverse it first — the merge works on the source frames in order.`);
  if (await item.isAdjustmentLayer()) throw new Refusal(`“${name}” is an adjustment layer, not footage.`);

  const clip: ClipProjectItem = ppro().ClipProjectItem.cast(await item.getProjectItem());
  if (!clip) throw new Refusal(`“${name}” is not a media clip.`);
  if (await clip.isSequence()) throw new Refusal(`“${name}” is a nested sequence: merge the clips inside it, or render it to a file first.`);
  if (await clip.isMulticamClip()) throw new Refusal(`“${name}” is a multicam clip: flatten it first.`);
  if (await clip.isMergedClip()) throw new Refusal(`“${name}” is a merged clip: use the video clip itself.`);
  if (await clip.isOffline()) throw new Refusal(`“${name}” is offline: relink its media first.`);
  // Always the full-resolution media, never the proxy (getProxyPath): the node renders from it.
  const mediaPath = await clip.getMediaFilePath();
  if (!mediaPath) throw new Refusal(`“${name}” has no media file.`);

  const rate = rateFromFps((await clip.getFootageInterpretation()).getFrameRate());
  const times = {
    start: ticksOf(await item.getStartTime()),
    end: ticksOf(await item.getEndTime()),
    inPoint: ticksOf(await item.getInPoint()),
    outPoint: ticksOf(await item.getOutPoint()),
  };
  let mediaFrames = Number.MAX_SAFE_INTEGER; // unknown length: the node clamps to the file
  try {
    mediaFrames = ticksToFrame(ticksOf((await clip.getMedia()).duration), rate, "floor");
  } catch {
    /* keep the unclamped range */
  }
  const range = sourceFrames(times, rate);
  const rendered = withHandles(range, handles, mediaFrames);
  return { project, seq, item, name, mediaPath, rate, times, range, rendered, trackIndex: await item.getTrackIndex() };
}

async function findBin(project: Project): Promise<ProjectItem | undefined> {
  const root = await project.getRootItem();
  return (await root.getItems()).find((i) => i.name === BIN_NAME && i.type === ppro().ProjectItem.TYPE_BIN);
}

async function binNames(project: Project): Promise<string[]> {
  const bin = await findBin(project);
  return bin ? (await ppro().FolderItem.cast(bin).getItems()).map((i) => i.name) : [];
}

/** One transaction of its own: a bin is project housekeeping, not part of the edit to undo. */
async function ensureBin(project: Project): Promise<ProjectItem> {
  const found = await findBin(project);
  if (found) return found;
  const root: FolderItem = await project.getRootItem();
  project.lockedAccess(() => {
    project.executeTransaction((ca) => void ca.addAction(root.createBinAction(BIN_NAME, false)), `${BIN_NAME}: create bin`);
  });
  const bin = await findBin(project);
  if (!bin) throw new Error(`Premiere did not create the “${BIN_NAME}” bin.`);
  return bin;
}

const samePath = (a: string, b: string) => a.replace(/\\/g, "/").toLowerCase() === b.replace(/\\/g, "/").toLowerCase();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** importFiles only says true/false: find what it made by media path (last match wins). */
async function findImported(bin: ProjectItem, path: string, name?: string): Promise<ProjectItem | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const items = await ppro().FolderItem.cast(bin).getItems();
    let hit: ProjectItem | undefined;
    for (const it of items) {
      if (it.type === ppro().ProjectItem.TYPE_BIN) continue;
      if (name !== undefined && it.name !== name) continue;
      try {
        if (samePath(await ppro().ClipProjectItem.cast(it).getMediaFilePath(), path)) hit = it;
      } catch {
        /* not a clip */
      }
    }
    if (hit) return hit;
    await sleep(150); // the project panel can lag the import's promise a little
  }
  return undefined;
}

async function videoTrackSpans(seq: Sequence) {
  const count = await seq.getVideoTrackCount();
  const tracks: { spans: Span[]; items: VideoClipTrackItem[] }[] = [];
  for (let i = 0; i < count; i++) {
    const track = await seq.getVideoTrack(i);
    // Declared synchronous; awaiting also copes with a runtime that returns a promise.
    const items = await Promise.resolve(track.getTrackItems(ppro().Constants.TrackItemType.CLIP, false));
    const spans: Span[] = [];
    for (const it of items) spans.push({ start: ticksOf(await it.getStartTime()), end: ticksOf(await it.getEndTime()) });
    tracks.push({ spans, items });
  }
  return tracks;
}

async function placeResult(target: MergeTarget, job: Job, mode: PlaceMode): Promise<string> {
  const d = target.hostData as ClipData;
  const result = job.results[0] ?? String(job.spec.output ?? "");
  if (!result) throw new Error("The job finished without a result file.");
  const P = ppro();
  const project = await activeProject();
  let seq: Sequence | null = null;
  try {
    seq = project.getSequence(P.Guid.fromString(d.sequenceGuid));
  } catch {
    /* closed or deleted: fall back to the active one, checked below */
  }
  seq ??= await project.getActiveSequence();
  if (!seq || seq.guid.toString() !== d.sequenceGuid) throw new Refusal(`Open sequence “${d.sequenceName}” to place the result.`);

  // 1. Into the DFLComposite bin, then a video-only subclip of exactly the rendered range
  //    (soft boundaries, so the handles stay trimmable): placing it cannot touch audio tracks.
  const bin = await ensureBin(project);
  if (!(await project.importFiles([result], true, bin, false))) throw new Error(`Premiere could not import ${result}.`);
  const imported = await findImported(bin, result);
  if (!imported) throw new Error(`Imported ${result}, but cannot find it in the “${BIN_NAME}” bin.`);

  const tracks = await videoTrackSpans(seq);
  const original = tracks[d.trackIndex]?.items;
  let originalItem: VideoClipTrackItem | undefined;
  for (const it of original ?? []) {
    if (ticksOf(await it.getStartTime()) === BigInt(d.start) && ticksOf(await it.getEndTime()) === BigInt(d.end)) originalItem = it;
  }
  if (!originalItem && mode === "replace") throw new Refusal("The original clip has moved since the job started: place with “Stack above”, or put it back.");
  const plan = planPlacement({
    mode, videoTracks: tracks.map((t) => t.spans), originalTrack: d.trackIndex,
    original: { start: BigInt(d.start), end: BigInt(d.end) }, rendered: d.rendered, rate: d.rate,
  });

  const name = baseName(result);
  const clip = P.ClipProjectItem.cast(imported);
  project.lockedAccess(() => {
    project.executeTransaction((ca) => {
      ca.addAction(clip.createSubClipAction(name, P.TickTime.createWithTicks(String(plan.inPoint)), P.TickTime.createWithTicks(String(plan.outPoint)), false, { takeVideo: true, takeAudio: false }));
    }, `${BIN_NAME}: subclip ${name}`);
  });
  const sub = (await P.FolderItem.cast(bin).getItems()).filter((i) => i.name === name && i !== imported).pop();
  if (!sub) throw new Error(`Premiere did not create the subclip “${name}”.`);

  // 2. The edit: overwrite onto the planned track at the original start, optionally disable the
  //    original. One transaction = one Undo. The audio index points past the last audio track,
  //    so even if a build of Premiere took audio along it could only land on a new, empty track.
  const editor = P.SequenceEditor.getEditor(seq);
  const audioIndex = await seq.getAudioTrackCount();
  let ok = false;
  project.lockedAccess(() => {
    ok = project.executeTransaction((ca) => {
      ca.addAction(editor.createOverwriteItemAction(sub, P.TickTime.createWithTicks(String(plan.time)), plan.trackIndex, audioIndex));
      if (plan.disableOriginal && originalItem) ca.addAction(originalItem.createSetDisabledAction(true));
    }, `${BIN_NAME}: place ${name}`);
  });
  if (!ok) throw new Error("Premiere refused the edit (the track may be locked).");
  const seqRate = await sequenceRate(seq);
  return `Placed ${name} on V${plan.trackIndex + 1}${plan.newTrack ? " (new track)" : ""} at ${framesToTimecode(ticksToFrame(plan.time, seqRate), seqRate)}` +
    `${plan.disableOriginal ? "; original disabled" : ""}. Edit › Undo reverts it in one step.`;
}

// ---- token file: picked once, remembered with a persistent token ---------------------------

interface UxpFile {
  read(o?: { format?: unknown }): Promise<string | ArrayBuffer>;
}
interface UxpModule {
  storage: {
    localFileSystem: {
      getFileForOpening(o?: { allowMultiple?: boolean }): Promise<UxpFile | null>;
      createPersistentToken(entry: UxpFile): Promise<string>;
      getEntryForPersistentToken(token: string): Promise<UxpFile>;
    };
  };
}

async function tokenFromFile(ask: boolean, storage: Host["storage"]): Promise<string | null> {
  const fs = (require("uxp") as UxpModule).storage.localFileSystem;
  let file: UxpFile | null = null;
  const remembered = storage.get("dflc.tokenFile");
  if (!ask && remembered) file = await fs.getEntryForPersistentToken(remembered).catch(() => null);
  if (ask) {
    file = await fs.getFileForOpening({ allowMultiple: false });
    if (file) storage.set("dflc.tokenFile", await fs.createPersistentToken(file));
  }
  if (!file) return null;
  const text = await file.read();
  return (typeof text === "string" ? text : new TextDecoder().decode(text)).trim() || null;
}

export function premiereHost(premiereApi?: premierepro): Host {
  if (premiereApi) api = premiereApi;
  const storage: Host["storage"] = { get: (k) => localStorage.getItem(k), set: (k, v) => localStorage.setItem(k, v) };
  return {
    kind: "premiere",
    // 127.0.0.1, not localhost: macOS blocks http://localhost in UXP; the manifest lists this.
    defaultUrl: "http://127.0.0.1:47600",
    targetLabel: "Use selected clip",
    async mergeTarget({ handles, outputFor }) {
      const s = await readSelection(handles);
      const seqRate = await sequenceRate(s.seq);
      const tc = (t: bigint) => framesToTimecode(ticksToFrame(t, seqRate), seqRate);
      const data: ClipData = {
        sequenceGuid: s.seq.guid.toString(), sequenceName: s.seq.name, trackIndex: s.trackIndex,
        start: String(s.times.start), end: String(s.times.end), rate: s.rate, rendered: s.rendered, clipName: s.name, mediaPath: s.mediaPath,
      };
      const r = s.rendered;
      return {
        label: `${s.name} · V${s.trackIndex + 1} · ${tc(s.times.start)}–${tc(s.times.end)}`,
        details: [
          s.mediaPath,
          `source frames ${s.range.first}–${s.range.last} at ${fps(s.rate).toFixed(3)} fps (${framesToTimecode(s.range.first, s.rate)}–${framesToTimecode(s.range.last, s.rate)})`,
          `handles ${r.before} before, ${r.after} after${r.before < handles || r.after < handles ? " (the media ends there)" : ""}: renders ${framesArg(r)}`,
        ],
        input: s.mediaPath,
        frames: framesArg(r),
        output: await outputFor(s.mediaPath, await binNames(s.project)),
        hostData: data,
      };
    },
    placeResult,
    tokenFromFile: (ask) => tokenFromFile(ask, storage),
    storage,
  };
}
