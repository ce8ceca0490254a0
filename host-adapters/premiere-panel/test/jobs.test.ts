import { describe, expect, it } from "vitest";
import type { Job, SchemaField } from "../src/core/client";
import {
  applyValues, checkSpec, defaults, describe as describeJob, errorsByPath, formatEta, label, mergeSpec, parseField, percent,
  swapSpec, trainMoreSpec, trainSpec,
} from "../src/core/jobs";

const job = (o: Partial<Job>): Job => ({ id: "j1", kind: "merge", state: "running", progress: null, eta: null, results: [], error: null, created: "", spec: {}, ...o });

describe("specs", () => {
  it("builds a merge spec with settings from schema paths", () => {
    const fields: SchemaField[] = [
      { path: "settings.erodeMask", type: "int", default: 0, min: -400, max: 400 },
      { path: "settings.mode", type: "choice", default: "overlay", choices: ["overlay", "seamless"] },
    ];
    const values = defaults(fields);
    values.set("settings.erodeMask", 20);
    const spec = applyValues(mergeSpec({ workspace: "/m", input: "/a.mp4", output: "/a_swap_v001.mp4", frames: "88-231" }), values);
    expect(spec).toEqual({ kind: "merge", version: 1, workspace: "/m", input: "/a.mp4", output: "/a_swap_v001.mp4", xseg: null, frames: "88-231", settings: { erodeMask: 20, mode: "overlay" } });
    expect(checkSpec(spec)).toEqual([]);
    expect(checkSpec(mergeSpec({ workspace: "", input: "/a", output: "/b" }))).toEqual([{ path: "workspace", message: "required" }]);
  });
  it("builds swap and train specs, and 'train more' from either", () => {
    const s = swapSpec({ src: ["/p/a.jpg"], dst: "/c.mp4", output: "/c_swap_v001.mp4", workspace: "/ws", maxMinutes: 20 });
    expect(s.train.maxMinutes).toBe(20);
    const more = trainMoreSpec(job({ kind: "swap", spec: s as never }), 30, "/c_swap_v002.mp4");
    expect(more).toMatchObject({ kind: "swap", output: "/c_swap_v002.mp4", workspace: "/ws", train: { maxMinutes: 30 } });
    const t = trainSpec({ src: "/fs/src", dst: "/fs/dst", workspace: "/ws", maxMinutes: 10 });
    expect(trainMoreSpec(job({ kind: "train", spec: t as never }), 15)).toMatchObject({ train: { maxMinutes: 15 }, src: "/fs/src" });
    expect(() => trainMoreSpec(job({ spec: mergeSpec({ workspace: "/m", input: "/a", output: "/b" }) as never }), 5)).toThrow();
    expect(checkSpec({ ...t, train: { maxMinutes: 0 } })).toEqual([{ path: "train.maxMinutes", message: "must be more than 0" }]);
  });
});

describe("form fields", () => {
  const erode: SchemaField = { path: "settings.erodeMask", type: "int", default: 0, min: -400, max: 400 };
  it("parses and range-checks", () => {
    expect(parseField(erode, "12")).toEqual({ value: 12 });
    expect(parseField(erode, "401").error).toBe("must be at most 400");
    expect(parseField(erode, "1.5").error).toBe("must be a whole number");
    expect(parseField(erode, "")).toEqual({ value: 0 });
    expect(parseField({ path: "x", type: "double", min: 0 }, "0.25")).toEqual({ value: 0.25 });
    expect(parseField({ path: "x", type: "bool" }, true)).toEqual({ value: true });
    expect(parseField({ path: "x", type: "choice", choices: ["a"] }, "b").error).toBe("one of a");
    expect(parseField({ path: "x", type: "paths" }, "/a\n /b \n")).toEqual({ value: ["/a", "/b"] });
    expect(parseField({ path: "x", type: "path" }, " ")).toEqual({ value: null });
  });
  it("maps the node's error paths onto fields", () => {
    expect(errorsByPath([{ path: "$.settings.erodeMask", message: "too big" }, { path: "$.settings.erodeMask", message: "odd" }]).get("settings.erodeMask")).toBe("too big; odd");
    expect(label("settings.erodeMask")).toBe("Erode mask");
  });
});

describe("reading jobs", () => {
  it("formats ETA and progress", () => {
    expect(formatEta(null)).toBe("");
    expect(formatEta(42)).toBe("42s");
    expect(formatEta(125)).toBe("2m 05s");
    expect(formatEta(3725)).toBe("1h 02m");
    expect(percent(job({ progress: { stage: "merge", fraction: 0.4567, message: "" } }))).toBe(45.7);
    expect(percent(job({ state: "done" }))).toBe(100);
  });
  it("says why a job stopped in the node's words", () => {
    expect(describeJob(job({ state: "failed", error: { message: "no face found in the input", exitCode: 5 } }))).toBe("failed: no face found in the input (exit 5)");
    expect(describeJob(job({ progress: { stage: "merge", fraction: 0.5, message: "frame 50/100" }, eta: 65 }))).toBe("merge · frame 50/100 · 1m 05s left");
  });
});
