// Premiere time is counted in ticks: 254016000000 per second, chosen so that every common frame
// rate (23.976, 24, 25, 29.97, 30, 50, 59.94, 60) has a whole number of ticks per frame. Ticks are
// bigint here: an hour is ~9.1e14 ticks, so plain numbers lose exactness on long timelines.

export const TICKS_PER_SECOND = 254016000000n;

/** A frame rate as a rational, frames per second = num / den (23.976 is 24000/1001, not 23.976). */
export interface Rate {
  num: number;
  den: number;
}

export const RATE_23_976: Rate = { num: 24000, den: 1001 };
export const RATE_24: Rate = { num: 24, den: 1 };
export const RATE_25: Rate = { num: 25, den: 1 };
export const RATE_29_97: Rate = { num: 30000, den: 1001 };
export const RATE_30: Rate = { num: 30, den: 1 };
export const RATE_50: Rate = { num: 50, den: 1 };
export const RATE_59_94: Rate = { num: 60000, den: 1001 };
export const RATE_60: Rate = { num: 60, den: 1 };

/** Hosts report fps as a float (23.976023...); snap it to the exact NTSC or integer rational. */
export function rateFromFps(fps: number): Rate {
  if (!(fps > 0)) throw new Error(`not a frame rate: ${fps}`);
  const whole = Math.round(fps);
  if (Math.abs(fps - whole) < 1e-3) return { num: whole, den: 1 };
  const ntsc = Math.round((fps * 1001) / 1000);
  if (Math.abs(fps - (ntsc * 1000) / 1001) < 1e-3) return { num: ntsc * 1000, den: 1001 };
  return { num: Math.round(fps * 1000), den: 1000 };
}

/** Premiere's FrameRate exposes ticksPerFrame; the rate follows exactly from it. */
export function rateFromTicksPerFrame(tpf: bigint | number | string): Rate {
  const t = BigInt(tpf);
  return rateFromFps(Number(TICKS_PER_SECOND) / Number(t));
}

export function fps(rate: Rate): number {
  return rate.num / rate.den;
}

export function ticksPerFrame(rate: Rate): bigint {
  // Exact for every rate Premiere supports; rounded for odd ones (e.g. 12.5 fps still exact).
  const n = TICKS_PER_SECOND * BigInt(rate.den);
  const d = BigInt(rate.num);
  return (n + d / 2n) / d;
}

export function parseTicks(t: string | number | bigint): bigint {
  if (typeof t === "bigint") return t;
  if (typeof t === "number") return BigInt(Math.round(t));
  return BigInt(t.trim());
}

/** Frame index containing (floor) or nearest to (round) a tick time. */
export function ticksToFrame(ticks: bigint, rate: Rate, mode: "round" | "floor" = "round"): number {
  const tpf = ticksPerFrame(rate);
  const q = mode === "round" ? (ticks + tpf / 2n) / tpf : ticks / tpf;
  return Number(ticks < 0n && mode === "floor" && ticks % tpf !== 0n ? q - 1n : q);
}

export function frameToTicks(frame: number, rate: Rate): bigint {
  return BigInt(frame) * ticksPerFrame(rate);
}

export function secondsToTicks(seconds: number): bigint {
  return BigInt(Math.round(seconds * Number(TICKS_PER_SECOND)));
}

export function ticksToSeconds(ticks: bigint): number {
  return Number(ticks) / Number(TICKS_PER_SECOND);
}

// ---- timecode -------------------------------------------------------------------------------

/** Drop-frame timecode exists for 29.97 and 59.94 only. */
export function isDropFrameRate(rate: Rate): boolean {
  return rate.den === 1001 && (rate.num === 30000 || rate.num === 60000);
}

function nominal(rate: Rate): number {
  return Math.round(rate.num / rate.den);
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * Frame count -> HH:MM:SS:FF, or HH:MM:SS;FF in drop-frame, where frame labels 0 and 1 (0-3 at
 * 59.94) are skipped at the start of every minute except each tenth, so the clock stays on time.
 */
export function framesToTimecode(frame: number, rate: Rate, dropFrame = isDropFrameRate(rate)): string {
  const fpsN = nominal(rate);
  let f = frame;
  if (dropFrame) {
    if (!isDropFrameRate(rate)) throw new Error("drop-frame timecode exists only at 29.97 and 59.94");
    const drop = fpsN / 15; // 2 at 29.97, 4 at 59.94
    const per10 = fpsN * 600 - drop * 9;
    const perMin = fpsN * 60 - drop;
    const tens = Math.floor(f / per10);
    const rem = f % per10;
    f += drop * 9 * tens + (rem > drop ? drop * Math.floor((rem - drop) / perMin) : 0);
  }
  const ff = f % fpsN;
  const totalSeconds = Math.floor(f / fpsN);
  const s = totalSeconds % 60;
  const m = Math.floor(totalSeconds / 60) % 60;
  const h = Math.floor(totalSeconds / 3600);
  return `${pad(h)}:${pad(m)}:${pad(s)}${dropFrame ? ";" : ":"}${pad(ff)}`;
}

/** HH:MM:SS:FF or HH:MM:SS;FF -> frame count. A dropped label (00:01:00;00 at 29.97) is an error. */
export function timecodeToFrames(tc: string, rate: Rate): number {
  const m = /^(\d+):(\d\d):(\d\d)([:;.,])(\d\d)$/.exec(tc.trim());
  if (!m) throw new Error(`not a timecode: ${tc}`);
  const [h, mi, s, ff] = [m[1], m[2], m[3], m[5]].map(Number) as [number, number, number, number];
  const dropFrame = m[4] === ";" || m[4] === ",";
  const fpsN = nominal(rate);
  if (mi > 59 || s > 59 || ff >= fpsN) throw new Error(`not a timecode at ${fps(rate).toFixed(3)} fps: ${tc}`);
  let frames = (h * 3600 + mi * 60 + s) * fpsN + ff;
  if (dropFrame) {
    if (!isDropFrameRate(rate)) throw new Error("drop-frame timecode exists only at 29.97 and 59.94");
    const drop = fpsN / 15;
    if (s === 0 && ff < drop && mi % 10 !== 0) throw new Error(`${tc} is a dropped frame label`);
    const minutes = h * 60 + mi;
    frames -= drop * (minutes - Math.floor(minutes / 10));
  }
  return frames;
}

// ---- source time vs sequence time -----------------------------------------------------------

/**
 * A clip on the timeline: start/end are sequence time, inPoint/outPoint are source time relative
 * to the media's start (what VideoClipTrackItem.getInPoint/getOutPoint return). out/end exclusive.
 * At speed 1 (the only speed we accept) both spans have the same length.
 */
export interface ClipTimes {
  start: bigint;
  end: bigint;
  inPoint: bigint;
  outPoint: bigint;
}

export function sourceToSequence(clip: ClipTimes, sourceTicks: bigint): bigint {
  return clip.start + (sourceTicks - clip.inPoint);
}

export function sequenceToSource(clip: ClipTimes, sequenceTicks: bigint): bigint {
  return clip.inPoint + (sequenceTicks - clip.start);
}

/** Inclusive frame range of the source media, as dflc's --frames A-B takes it. */
export interface FrameRange {
  first: number;
  last: number;
}

export function frameCount(r: FrameRange): number {
  return r.last - r.first + 1;
}

/** The source frames a clip shows: in point's frame to the frame before the out point. */
export function sourceFrames(clip: ClipTimes, rate: Rate): FrameRange {
  const first = ticksToFrame(clip.inPoint, rate);
  const last = ticksToFrame(clip.outPoint, rate) - 1;
  if (last < first) throw new Error("the clip is shorter than one frame");
  return { first, last };
}

export interface HandledRange extends FrameRange {
  /** Frames actually added before/after the clip's own range (less than asked at media edges). */
  before: number;
  after: number;
}

/**
 * Adds `handles` frames each side so the editor can trim the result a little later, clamped to
 * the frames the media has (frame 0 .. mediaFrames-1): a clip starting at the media's first frame
 * gets no head handle.
 */
export function withHandles(range: FrameRange, handles: number, mediaFrames: number): HandledRange {
  const h = Math.max(0, Math.floor(handles));
  const first = Math.max(0, range.first - h);
  const last = Math.min(Math.max(mediaFrames - 1, range.last), range.last + h);
  return { first, last, before: range.first - first, after: last - range.last };
}

export function framesArg(r: FrameRange): string {
  return `${r.first}-${r.last}`;
}
