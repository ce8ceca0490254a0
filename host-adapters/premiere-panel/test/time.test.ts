import { describe, expect, it } from "vitest";
import {
  RATE_23_976, RATE_24, RATE_25, RATE_29_97, RATE_59_94, TICKS_PER_SECOND,
  frameToTicks, framesArg, framesToTimecode, rateFromFps, rateFromTicksPerFrame, sequenceToSource,
  sourceFrames, sourceToSequence, ticksPerFrame, ticksToFrame, timecodeToFrames, withHandles,
} from "../src/core/time";

describe("ticks per frame", () => {
  it.each([
    [RATE_23_976, 10594584000n],
    [RATE_24, 10584000000n],
    [RATE_25, 10160640000n],
    [RATE_29_97, 8475667200n],
    [RATE_59_94, 4237833600n],
  ])("%o is a whole number of ticks", (rate, tpf) => {
    expect(ticksPerFrame(rate)).toBe(tpf);
    // exact: tpf * frames in 1001 seconds' worth equals the tick count
    expect(tpf * BigInt(rate.num)).toBe(TICKS_PER_SECOND * BigInt(rate.den));
  });
});

describe("tick <-> frame", () => {
  const rates = [RATE_23_976, RATE_24, RATE_25, RATE_29_97, RATE_59_94];
  it.each(rates)("round-trips frames at %o, including past 10 hours", (rate) => {
    for (const f of [0, 1, 23, 24, 1799, 1800, 17982, 86399, 2_000_000]) {
      expect(ticksToFrame(frameToTicks(f, rate), rate)).toBe(f);
    }
  });
  it("rounds a tick time between frames to the nearest, floor to the containing one", () => {
    const tpf = ticksPerFrame(RATE_29_97);
    expect(ticksToFrame(10n * tpf + tpf / 2n - 1n, RATE_29_97)).toBe(10);
    expect(ticksToFrame(10n * tpf + tpf / 2n, RATE_29_97)).toBe(11);
    expect(ticksToFrame(11n * tpf - 1n, RATE_29_97, "floor")).toBe(10);
  });
  it("one second of 23.976 is 23.976 frames, 1001 seconds is exactly 24000", () => {
    expect(ticksToFrame(TICKS_PER_SECOND, RATE_23_976, "floor")).toBe(23);
    expect(ticksToFrame(1001n * TICKS_PER_SECOND, RATE_23_976)).toBe(24000);
  });
  it("snaps host float rates to rationals", () => {
    expect(rateFromFps(23.976023976)).toEqual(RATE_23_976);
    expect(rateFromFps(29.97)).toEqual(RATE_29_97);
    expect(rateFromFps(59.9400599)).toEqual(RATE_59_94);
    expect(rateFromFps(25)).toEqual(RATE_25);
    expect(rateFromFps(24.0000001)).toEqual(RATE_24);
    expect(rateFromTicksPerFrame("8475667200")).toEqual(RATE_29_97);
    expect(rateFromTicksPerFrame(10160640000)).toEqual(RATE_25);
  });
});

describe("timecode", () => {
  it("non-drop at 24, 25 and 23.976", () => {
    expect(framesToTimecode(86400, RATE_24)).toBe("01:00:00:00");
    expect(framesToTimecode(90000 + 24, RATE_25)).toBe("01:00:00:24");
    expect(framesToTimecode(24 * 60, RATE_23_976)).toBe("00:01:00:00"); // 23.976 counts 24 labels/s
    expect(timecodeToFrames("01:00:00:24", RATE_25)).toBe(90024);
  });
  it("29.97 DF skips ;00 and ;01 at each minute but every tenth", () => {
    const f = timecodeToFrames("00:00:59;29", RATE_29_97);
    expect(f).toBe(1799);
    expect(framesToTimecode(f + 1, RATE_29_97)).toBe("00:01:00;02");
    expect(framesToTimecode(17981, RATE_29_97)).toBe("00:09:59;29");
    expect(framesToTimecode(17982, RATE_29_97)).toBe("00:10:00;00"); // tenth minute keeps ;00
    expect(framesToTimecode(17982 + 1800, RATE_29_97)).toBe("00:11:00;02");
    expect(framesToTimecode(107892, RATE_29_97)).toBe("01:00:00;00"); // DF stays on the wall clock
  });
  it("59.94 DF skips four labels", () => {
    expect(framesToTimecode(3599, RATE_59_94)).toBe("00:00:59;59");
    expect(framesToTimecode(3600, RATE_59_94)).toBe("00:01:00;04");
    expect(timecodeToFrames("00:01:00;04", RATE_59_94)).toBe(3600);
  });
  it("round-trips every frame across DF boundaries", () => {
    for (const rate of [RATE_29_97, RATE_59_94]) {
      for (let f = 0; f < 40000; f += 7) expect(timecodeToFrames(framesToTimecode(f, rate), rate)).toBe(f);
    }
  });
  it("29.97 NDF when asked", () => {
    expect(framesToTimecode(1800, RATE_29_97, false)).toBe("00:01:00:00");
    expect(timecodeToFrames("00:01:00:00", RATE_29_97)).toBe(1800);
  });
  it("refuses dropped labels and DF at other rates", () => {
    expect(() => timecodeToFrames("00:01:00;00", RATE_29_97)).toThrow(/dropped/);
    expect(() => timecodeToFrames("00:10:00;00", RATE_29_97)).not.toThrow();
    expect(() => framesToTimecode(10, RATE_25, true)).toThrow();
    expect(() => timecodeToFrames("00:00:00:25", RATE_25)).toThrow();
  });
});

describe("source vs sequence time, handles", () => {
  const rate = RATE_23_976;
  const t = (f: number) => frameToTicks(f, rate);
  // A clip showing source frames 100..219 placed at sequence frame 1000.
  const clip = { start: t(1000), end: t(1120), inPoint: t(100), outPoint: t(220) };

  it("maps between source and sequence time", () => {
    expect(sourceToSequence(clip, t(100))).toBe(t(1000));
    expect(sequenceToSource(clip, t(1119))).toBe(t(219));
    expect(sourceFrames(clip, rate)).toEqual({ first: 100, last: 219 });
  });
  it("adds 12 frames each side when the media has them", () => {
    const r = withHandles(sourceFrames(clip, rate), 12, 5000);
    expect(r).toEqual({ first: 88, last: 231, before: 12, after: 12 });
    expect(framesArg(r)).toBe("88-231");
  });
  it("clamps handles at the media's first and last frame", () => {
    expect(withHandles({ first: 5, last: 50 }, 12, 56)).toEqual({ first: 0, last: 55, before: 5, after: 5 });
    expect(withHandles({ first: 0, last: 50 }, 12, 51)).toEqual({ first: 0, last: 50, before: 0, after: 0 });
  });
  it("works in 29.97 with a sequence of another rate (times are ticks, not frames)", () => {
    const s = (f: number) => frameToTicks(f, RATE_25);
    const c = { start: s(250), end: s(250) + frameToTicks(60, RATE_29_97), inPoint: frameToTicks(30, RATE_29_97), outPoint: frameToTicks(90, RATE_29_97) };
    expect(sourceFrames(c, RATE_29_97)).toEqual({ first: 30, last: 89 });
    expect(sourceToSequence(c, frameToTicks(30, RATE_29_97))).toBe(s(250));
  });
});
