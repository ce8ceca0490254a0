// Checks a .ccx (the panel's ZIP) the way Premiere's installer and UXP would read it:
// manifest.json at the root, manifest v5 for premierepro >= 25.6.0, a panel entrypoint, network
// access to the node on 127.0.0.1:47600 (http and ws; never localhost, which macOS blocks in
// UXP), localFileSystem "request", and every file the manifest names inside the archive.
// Usage: node installer/check-ccx.mjs file.ccx   (exit 1 with the problems listed)
import fs from "node:fs";
import zlib from "node:zlib";

/** Reads a ZIP's entries (name -> Buffer) from its central directory; stored and deflated only. */
export function readZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("not a ZIP archive (no end of central directory)");
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error("corrupt central directory");
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith("/")) continue;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    if (method === 0) files.set(name, Buffer.from(data));
    else if (method === 8) files.set(name, zlib.inflateRawSync(data));
    else throw new Error(`${name}: unsupported compression method ${method}`);
  }
  return files;
}

const NODE_ORIGINS = ["http://127.0.0.1:47600", "ws://127.0.0.1:47600"];

/** Returns a list of problems (empty when the package is good) and the manifest. */
export function checkCcx(buf) {
  return checkFiles(readZip(buf));
}

/** The same checks over the archive's entries (name -> Buffer). */
export function checkFiles(files) {
  const problems = [];
  const raw = files.get("manifest.json");
  if (!raw) return { problems: ["manifest.json is not at the archive's root"], manifest: null, files };
  let m;
  try {
    m = JSON.parse(raw.toString("utf8"));
  } catch (e) {
    return { problems: [`manifest.json is not JSON: ${e.message}`], manifest: null, files };
  }
  const need = (cond, msg) => cond || problems.push(msg);
  need(m.manifestVersion === 5, `manifestVersion is ${m.manifestVersion}, not 5`);
  need(typeof m.id === "string" && m.id.length > 0, "id missing");
  need(typeof m.name === "string" && m.name.length > 0, "name missing");
  need(/^\d+\.\d+\.\d+$/.test(m.version ?? ""), `version "${m.version}" is not x.y.z`);
  const hosts = Array.isArray(m.host) ? m.host : [m.host];
  const ppro = hosts.find((h) => h?.app === "premierepro");
  need(ppro, 'host.app is not "premierepro"');
  need(ppro?.minVersion === "25.6.0", `host.minVersion is ${ppro?.minVersion}, not 25.6.0`);
  const panels = (m.entrypoints ?? []).filter((e) => e.type === "panel");
  need(panels.length >= 1, "no panel entrypoint");
  for (const e of panels) need(typeof e.id === "string" && e.id && e.label, `panel entrypoint ${e.id} needs an id and a label`);
  const domains = m.requiredPermissions?.network?.domains ?? [];
  for (const o of NODE_ORIGINS) need(domains.includes(o), `requiredPermissions.network.domains lacks ${o}`);
  need(!domains.some((d) => /localhost/i.test(d)), "network domains name localhost (macOS blocks http://localhost in UXP: use 127.0.0.1)");
  need(m.requiredPermissions?.localFileSystem === "request", `localFileSystem is ${m.requiredPermissions?.localFileSystem}, not "request"`);
  need(files.has(m.main ?? "index.html"), `main file ${m.main} is not in the archive`);
  const html = files.get(m.main ?? "index.html")?.toString("utf8") ?? "";
  for (const [, src] of html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)) need(files.has(src), `${m.main} loads ${src}, which is not in the archive`);
  // Each icon with scale [1, 2] is looked up as name.png and name@2x.png.
  for (const icon of [...(m.icons ?? []), ...panels.flatMap((e) => e.icons ?? [])]) {
    for (const s of icon.scale ?? [1]) {
      const p = s === 1 ? icon.path : icon.path.replace(/(\.[^.]+)$/, `@${s}x$1`);
      need(files.has(p), `icon ${p} is not in the archive`);
    }
  }
  // The bundle may require only what UXP provides.
  const js = [...files].filter(([n]) => n.endsWith(".js")).map(([, b]) => b.toString("utf8")).join("\n");
  for (const [, mod] of js.matchAll(/\brequire\("([^"]+)"\)/g)) need(["premierepro", "uxp"].includes(mod), `the bundle requires "${mod}", which UXP does not provide`);
  return { problems, manifest: m, files };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: node installer/check-ccx.mjs file.ccx");
    process.exit(2);
  }
  const { problems, files } = checkCcx(fs.readFileSync(file));
  if (problems.length) {
    console.error(`${file}:\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`${file}: ok (${files.size} files)`);
}
