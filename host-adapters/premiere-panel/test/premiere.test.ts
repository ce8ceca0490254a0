// The Premiere binding against a small fake of the `premierepro` module. The fake enforces the
// 26.3 rules the way Premiere does: a create*Action outside project.lockedAccess throws, and
// actions only take effect through executeTransaction. It checks what the binding reads, what it
// refuses, and that one placement is one transaction (one undo).
import { beforeEach, describe, expect, it } from "vitest";
import type { Job } from "../src/core/client";
import { RATE_25, frameToTicks } from "../src/core/time";
import type { premierepro } from "@adobe/premierepro";
import { BIN_NAME, premiereHost as makeHost } from "../src/host/premiere";

const T = (f: number) => ({ ticks: String(frameToTicks(f, RATE_25)), seconds: f / 25, ticksNumber: Number(frameToTicks(f, RATE_25)) });
const TYPE_CLIP = 1;
const TYPE_BIN = 2;

interface Fx {
  locked: boolean;
  transactions: { name: string; actions: { kind: string; args: unknown[] }[] }[];
  imports: string[];
}
let fx: Fx;

function action(kind: string, ...args: unknown[]) {
  if (!fx.locked) throw new Error(`${kind} created outside lockedAccess`);
  return { kind, args };
}

function fakePremiere(o: { speed?: number; reversed?: boolean; nested?: boolean; audioOnly?: boolean; count?: number; mediaFrames?: number; inFrame?: number; v2Busy?: boolean } = {}) {
  const items: { name: string; type: number; path?: string; children?: unknown[] }[] = [];
  const root = { name: "root", type: 3 };
  const bin = () => items.find((i) => i.type === TYPE_BIN && i.name === BIN_NAME);
  const clipOf = (it: { path?: string; name: string }) => ({
    isSequence: async () => !!o.nested, isMulticamClip: async () => false, isMergedClip: async () => false, isOffline: async () => false,
    getMediaFilePath: async () => it.path ?? "", getProxyPath: async () => "/proxies/low.mp4",
    getFootageInterpretation: async () => ({ getFrameRate: () => 25 }),
    getMedia: async () => ({ duration: T(o.mediaFrames ?? 1000), start: T(0) }),
    createSubClipAction: (name: string, a: unknown, b: unknown, hard: boolean, opts: unknown) => action("subclip", name, a, b, hard, opts),
  });
  const inF = o.inFrame ?? 100;
  const original = {
    name: "shot01.mov", createAddVideoTransitionAction: () => ({}),
    getName: async () => "shot01.mov", getSpeed: async () => o.speed ?? 1, isSpeedReversed: async () => (o.reversed ? 1 : 0), isAdjustmentLayer: async () => false,
    getProjectItem: async () => ({ name: "shot01.mov", type: TYPE_CLIP, path: "/media/shot01.mov" }),
    getStartTime: async () => T(250), getEndTime: async () => T(350), getInPoint: async () => T(inF), getOutPoint: async () => T(inF + 100),
    getTrackIndex: async () => 0, createSetDisabledAction: (d: boolean) => action("disable", d),
  };
  const other = { getStartTime: async () => T(200), getEndTime: async () => T(400) };
  const audioItem = { getName: async () => "a", getSpeed: async () => 1 };
  const selection = o.audioOnly ? [audioItem] : Array.from({ length: o.count ?? 1 }, () => original);
  const seq = {
    guid: { toString: () => "seq-1" }, name: "Main",
    getSelection: async () => ({ getTrackItems: async () => selection }),
    getSettings: async () => ({ getVideoFrameRate: () => ({ ticksPerFrame: Number(frameToTicks(1, RATE_25)), value: 25 }) }),
    getVideoTrackCount: async () => 2, getAudioTrackCount: async () => 3,
    getVideoTrack: async (i: number) => ({ getTrackItems: () => (i === 0 ? [original] : o.v2Busy ? [other] : []) }),
  };
  const project = {
    getActiveSequence: async () => seq,
    getSequence: (g: { s: string }) => (g.s === "seq-1" ? seq : null),
    getRootItem: async () => ({ ...root, getItems: async () => items.filter((i) => i.type === TYPE_BIN), createBinAction: (n: string) => action("bin", n) }),
    lockedAccess: (cb: () => void) => {
      fx.locked = true;
      try {
        cb();
      } finally {
        fx.locked = false;
      }
    },
    executeTransaction: (cb: (ca: { addAction(a: unknown): boolean }) => void, name: string) => {
      const actions: { kind: string; args: unknown[] }[] = [];
      cb({ addAction: (a) => (actions.push(a as never), true) });
      fx.transactions.push({ name, actions });
      for (const a of actions) {
        if (a.kind === "bin") items.push({ name: a.args[0] as string, type: TYPE_BIN });
        if (a.kind === "subclip") items.push({ name: a.args[0] as string, type: TYPE_CLIP, path: fx.imports.at(-1) });
      }
      return true;
    },
    importFiles: async (paths: string[], _s: boolean, target: { name: string }) => {
      expect(target.name).toBe(BIN_NAME);
      fx.imports.push(...paths);
      for (const p of paths) items.push({ name: p.split("/").pop()!, type: TYPE_CLIP, path: p });
      return true;
    },
  };
  return {
    Project: { getActiveProject: async () => project },
    ProjectItem: { TYPE_BIN, TYPE_CLIP },
    ClipProjectItem: { cast: (i: { name: string; path?: string }) => clipOf(i) },
    FolderItem: { cast: (b: unknown) => ({ getItems: async () => (b === bin() ? items.filter((i) => i.type !== TYPE_BIN) : []) }) },
    Guid: { fromString: (s: string) => ({ s }) },
    TickTime: { createWithTicks: (t: string) => ({ ticks: t }) },
    Constants: { TrackItemType: { CLIP: 1 } },
    SequenceEditor: { getEditor: () => ({ createOverwriteItemAction: (item: { name: string }, time: unknown, v: number, a: number) => action("overwrite", item.name, time, v, a) }) },
  };
}

const mem = new Map<string, string>();
let fake: ReturnType<typeof fakePremiere>;
const install = (o?: Parameters<typeof fakePremiere>[0]) => {
  fake = fakePremiere(o);
};
const premiereHost = () => makeHost(fake as unknown as premierepro);
const helpers = { handles: 12, pickFile: async () => null, outputFor: async (input: string, taken: string[] = []) => input.replace(/\.mov$/, `_swap_v00${taken.length + 1}.mp4`) };

beforeEach(() => {
  fx = { locked: false, transactions: [], imports: [] };
  mem.clear();
  (globalThis as Record<string, unknown>).localStorage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => mem.set(k, v) };
});

describe("reading the selected clip", () => {
  it("reads full-res media, range with handles, sequence timecode", async () => {
    install();
    const t = await premiereHost().mergeTarget(helpers);
    expect(t).toMatchObject({ input: "/media/shot01.mov", frames: "88-211", output: "/media/shot01_swap_v001.mp4" });
    expect(t!.label).toBe("shot01.mov · V1 · 00:00:10:00–00:00:14:00");
    expect(t!.details.join("\n")).toMatch(/source frames 100–199 at 25.000 fps[\s\S]*handles 12 before, 12 after/);
  });
  it("clamps handles at the media's start and end", async () => {
    install({ inFrame: 4, mediaFrames: 110 });
    const t = await premiereHost().mergeTarget(helpers);
    expect(t!.frames).toBe("0-109");
    expect(t!.details.join("\n")).toMatch(/handles 4 before, 6 after \(the media ends there\)/);
  });
  it.each([
    [{ speed: 0.5 }, /50% speed/],
    [{ reversed: true }, /reversed/],
    [{ nested: true }, /nested sequence/],
    [{ audioOnly: true }, /Select one video clip/],
    [{ count: 2 }, /just one video clip \(2 are selected\)/],
  ])("refuses %o", async (o, why) => {
    install(o);
    await expect(premiereHost().mergeTarget(helpers)).rejects.toThrow(why);
  });
});

describe("placing the result", () => {
  const done = (output: string): Job => ({ id: "j1", kind: "merge", state: "done", progress: null, eta: null, results: [output], error: null, created: "", spec: { output } });

  it("imports into the bin, subclips video only, and places in one transaction inside lockedAccess", async () => {
    install();
    const host = premiereHost();
    const t = (await host.mergeTarget(helpers))!;
    const msg = await host.placeResult!(JSON.parse(JSON.stringify(t)), done(t.output), "stack");
    expect(fx.imports).toEqual(["/media/shot01_swap_v001.mp4"]);
    expect(fx.transactions.map((x) => x.name)).toEqual([`${BIN_NAME}: create bin`, `${BIN_NAME}: subclip shot01_swap_v001`, `${BIN_NAME}: place shot01_swap_v001`]);
    const [sub] = fx.transactions[1]!.actions;
    expect(sub!.args).toEqual(["shot01_swap_v001", { ticks: String(frameToTicks(12, RATE_25)) }, { ticks: String(frameToTicks(112, RATE_25)) }, false, { takeVideo: true, takeAudio: false }]);
    const place = fx.transactions[2]!.actions;
    expect(place).toEqual([{ kind: "overwrite", args: ["shot01_swap_v001", { ticks: String(frameToTicks(250, RATE_25)) }, 1, 3] }]);
    expect(msg).toBe("Placed shot01_swap_v001 on V2 at 00:00:10:00. Edit › Undo reverts it in one step.");
  });
  it("replace disables the original in the same transaction; a busy V2 means a new track", async () => {
    install({ v2Busy: true });
    const host = premiereHost();
    const t = (await host.mergeTarget(helpers))!;
    const msg = await host.placeResult!(t, done(t.output), "replace");
    const place = fx.transactions.at(-1)!.actions;
    expect(place.map((a) => a.kind)).toEqual(["overwrite", "disable"]);
    expect(place[0]!.args[2]).toBe(2);
    expect(msg).toMatch(/on V3 \(new track\).*original disabled/);
  });
});
