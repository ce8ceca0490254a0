import { describe, expect, it } from "vitest";
import { type Span, baseName, nextFreeTrack, outputPath, planPlacement, versionedName } from "../src/core/placement";
import { RATE_25, frameToTicks, withHandles } from "../src/core/time";

const t = (f: number) => frameToTicks(f, RATE_25);
const span = (a: number, b: number): Span => ({ start: t(a), end: t(b) });

describe("placement planner", () => {
  const original = span(100, 200);
  const rendered = withHandles({ first: 500, last: 599 }, 12, 10000);

  it("stacks on the track above when it is free there, trimmed to the original range", () => {
    const p = planPlacement({ mode: "stack", videoTracks: [[original], [span(0, 50), span(250, 300)]], originalTrack: 0, original, rendered, rate: RATE_25 });
    expect(p).toEqual({ trackIndex: 1, newTrack: false, time: t(100), inPoint: t(12), outPoint: t(112), disableOriginal: false });
  });
  it("skips occupied tracks to the next free one (a clip touching the span is not in it)", () => {
    const tracks = [[original], [span(150, 160)], [span(0, 100), span(200, 260)], []];
    expect(planPlacement({ mode: "stack", videoTracks: tracks, originalTrack: 0, original, rendered, rate: RATE_25 }).trackIndex).toBe(2);
  });
  it("asks for a new track on top when every track above is busy", () => {
    const tracks = [[span(0, 50)], [original], [span(190, 210)]];
    const p = planPlacement({ mode: "stack", videoTracks: tracks, originalTrack: 1, original, rendered, rate: RATE_25 });
    expect(p.trackIndex).toBe(3);
    expect(p.newTrack).toBe(true);
  });
  it("replace disables the original and places the same way (never deletes, never ripples)", () => {
    const p = planPlacement({ mode: "replace", videoTracks: [[original], []], originalTrack: 0, original, rendered, rate: RATE_25 });
    expect(p.disableOriginal).toBe(true);
    expect(p.trackIndex).toBe(1);
    expect(p.time).toBe(original.start);
  });
  it("a second run stacks above the first result", () => {
    const tracks = [[original], [original]]; // v001 already sits on V2
    expect(planPlacement({ mode: "stack", videoTracks: tracks, originalTrack: 0, original, rendered, rate: RATE_25 }).trackIndex).toBe(2);
  });
  it("a clip at the end of the sequence lands at its own start with its own length", () => {
    const last = span(900, 1000);
    const p = planPlacement({ mode: "stack", videoTracks: [[span(0, 900), last], [span(0, 900)]], originalTrack: 0, original: last, rendered, rate: RATE_25 });
    expect(p.trackIndex).toBe(1);
    expect(p.time).toBe(t(900));
    expect(p.outPoint - p.inPoint).toBe(t(100));
  });
  it("handles unavailable at media start: the result's in point is its first frame", () => {
    const r = withHandles({ first: 3, last: 102 }, 12, 10000); // only 3 head frames exist
    const p = planPlacement({ mode: "stack", videoTracks: [[original], []], originalTrack: 0, original, rendered: r, rate: RATE_25 });
    expect(r.before).toBe(3);
    expect(p.inPoint).toBe(t(3));
    expect(p.outPoint).toBe(t(103));
  });
  it("refuses a track that does not exist", () => {
    expect(() => planPlacement({ mode: "stack", videoTracks: [[]], originalTrack: 2, original, rendered, rate: RATE_25 })).toThrow();
  });
  it("nextFreeTrack looks only above", () => {
    expect(nextFreeTrack([[], [original]], 1, original)).toBe(2);
  });
});

describe("names", () => {
  it("versions results", () => {
    expect(versionedName("/m/shot 01.mov", [])).toBe("shot 01_swap_v001");
    expect(versionedName("shot 01.mov", ["shot 01_swap_v001.mp4", "other_swap_v007"])).toBe("shot 01_swap_v002");
    expect(versionedName("shot_swap_v002.mp4", ["/x/shot_swap_v001.mp4", "shot_swap_v002"])).toBe("shot_swap_v003");
    expect(versionedName("a(1).mov", ["a(1)_swap_v009.mov"])).toBe("a(1)_swap_v010");
  });
  it("derives paths", () => {
    expect(baseName("C:\\clips\\take.2.mov")).toBe("take.2");
    expect(outputPath("/media/clips/a.mov", "a_swap_v001")).toBe("/media/clips/a_swap_v001.mp4");
    expect(outputPath("C:\\clips\\a.mov", "a_swap_v001")).toBe("C:\\clips\\a_swap_v001.mp4");
    expect(outputPath("/media/a.mov", "a_swap_v001", ".mov", "/renders/")).toBe("/renders/a_swap_v001.mov");
  });
});
