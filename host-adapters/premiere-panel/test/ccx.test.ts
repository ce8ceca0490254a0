// installer/make-ccx.sh builds the panel and zips it; the archive is unzipped here (a small ZIP
// reader, no unzip binary needed) and its manifest checked against the v5 rules of issue P11.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script, no declarations
import { checkCcx, checkFiles, readZip } from "../../../installer/check-ccx.mjs";

const repo = path.resolve(__dirname, "../../..");

describe("make-ccx.sh", () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ccx-")), "panel.ccx");
  const printed = execFileSync(path.join(repo, "installer/make-ccx.sh"), [out], { encoding: "utf8" }).trim();
  const buf = fs.readFileSync(out);
  const files: Map<string, Buffer> = readZip(buf);
  const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8"));

  it("writes a ZIP with the manifest at its root and the built plugin beside it", () => {
    expect(printed).toBe(out);
    expect(buf.subarray(0, 2).toString()).toBe("PK");
    expect([...files.keys()].sort()).toEqual(expect.arrayContaining(["manifest.json", "index.html", "index.js", "app.css", "icons/panel.png", "icons/panel@2x.png"]));
    expect([...files.keys()].some((n) => n.includes("dist/") || n.includes("node_modules"))).toBe(false);
  });

  it("has a manifest v5 that passes every rule", () => {
    expect(checkCcx(buf).problems).toEqual([]);
    expect(manifest.manifestVersion).toBe(5);
    expect(manifest.host).toEqual({ app: "premierepro", minVersion: "25.6.0" });
    expect(manifest.entrypoints.map((e: { type: string }) => e.type)).toEqual(["panel"]);
    expect(manifest.requiredPermissions).toEqual({ network: { domains: ["http://127.0.0.1:47600", "ws://127.0.0.1:47600"] }, localFileSystem: "request" });
  });

  it("catches what would break in Premiere", () => {
    const bad = (edit: (m: typeof manifest) => void) => {
      const m = structuredClone(manifest);
      edit(m);
      const f = new Map(files);
      f.set("manifest.json", Buffer.from(JSON.stringify(m)));
      return checkFiles(f).problems.join("\n");
    };
    expect(bad((m) => (m.manifestVersion = 4))).toMatch(/not 5/);
    expect(bad((m) => (m.host.minVersion = "25.0.0"))).toMatch(/minVersion/);
    expect(bad((m) => (m.requiredPermissions.network.domains = ["http://localhost:47600", "ws://127.0.0.1:47600"]))).toMatch(/lacks http:\/\/127.0.0.1:47600[\s\S]*localhost/);
    expect(bad((m) => (m.requiredPermissions.localFileSystem = "fullAccess"))).toMatch(/request/);
    expect(bad((m) => (m.entrypoints = [{ type: "command", id: "x" }]))).toMatch(/no panel entrypoint/);
    const noIcon = new Map(files);
    noIcon.delete("icons/panel@2x.png");
    expect(checkFiles(noIcon).problems).toEqual(["icon icons/panel@2x.png is not in the archive"]);
    const nested = new Map([...files].map(([n, b]) => [`panel/${n}`, b]));
    expect(checkFiles(nested).problems).toEqual(["manifest.json is not at the archive's root"]);
  });
});
