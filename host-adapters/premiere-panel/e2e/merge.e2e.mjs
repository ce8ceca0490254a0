// Browser end-to-end of the page the node serves at /, in Debian's Chromium via playwright-core
// (never a downloaded browser). Against a real node:
//   DFLC_NODE_URL=http://127.0.0.1:47600 DFLC_TOKEN=$(cat ~/.config/dflcomposite/token) \
//   DFLC_INPUT=/abs/clip.mp4 [DFLC_MODEL=/abs/model] node e2e/merge.e2e.mjs
// Without DFLC_NODE_URL it starts e2e/fake-node.mjs over dist/web (npm run build first), so the
// page itself is checked on any machine. Screenshots of every step go to DFLC_ARTIFACTS
// (default e2e/artifacts). Ends with "N passed, N failed".
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const here = path.dirname(new URL(import.meta.url).pathname);
const artifacts = path.resolve(process.env.DFLC_ARTIFACTS ?? path.join(here, "artifacts"));
const timeout = Number(process.env.DFLC_TIMEOUT_MS ?? 10 * 60 * 1000); // a real merge takes minutes
fs.mkdirSync(artifacts, { recursive: true });

let fake;
let url = process.env.DFLC_NODE_URL;
let token = process.env.DFLC_TOKEN;
let input = process.env.DFLC_INPUT;
const model = process.env.DFLC_MODEL; // default: the first swap model the node lists
if (!url) {
  const { startFakeNode } = await import("./fake-node.mjs");
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dflc-e2e-"));
  fs.mkdirSync(path.join(root, "clips"));
  fs.writeFileSync(path.join(root, "clips", "shot01.mp4"), "not really a video");
  fake = await startFakeNode({ root, staticDir: path.join(here, "..", "dist", "web"), stepMs: 250, steps: 12 });
  ({ url, token } = fake);
  input = path.join(root, "clips", "shot01.mp4");
}
if (!token || !input) throw new Error("set DFLC_TOKEN and DFLC_INPUT (a clip inside the node's roots)");

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dflc-chromium-"));
// Playwright takes the fresh profile as launchPersistentContext's first argument (it refuses a
// --user-data-dir in args); the other flags keep Chromium off the network this machine lacks.
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
  viewport: { width: 1000, height: 1100 },
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(15000);
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));

const results = [];
let shot = 0;
const snap = (name) => page.screenshot({ path: path.join(artifacts, `${String(++shot).padStart(2, "0")}-${name}.png`), fullPage: true });
const tid = (id) => page.locator(`[data-testid="${id}"]`);
async function step(name, fn) {
  try {
    await fn();
    await snap(name);
    results.push([name, "ok"]);
    console.log(`ok   ${name}`);
  } catch (e) {
    await snap(`${name}-FAILED`).catch(() => {});
    results.push([name, String(e)]);
    console.log(`FAIL ${name}: ${String(e).split("\n")[0]}`);
  }
}
const connect = async (t) => {
  await tid("token-input").fill(t);
  await tid("token-save").click();
};
const jobIds = async () => (await page.locator('[data-testid^="job-j"], [data-testid^="job-"]').evaluateAll((els) =>
  els.map((e) => e.getAttribute("data-testid")).filter((t) => /^job-[^-]+$/.test(t) && t !== "job-list" && t !== "job-empty"))).map((t) => t.slice(4));
async function startMerge() {
  const before = new Set(await jobIds());
  await tid("start-merge").click();
  await tid("merge-started").waitFor();
  const id = (await jobIds()).find((j) => !before.has(j));
  if (!id) throw new Error("no new job in the list");
  return id;
}
const waitState = (id, s, ms = timeout) => page.waitForFunction(([i, s]) => document.querySelector(`[data-testid="job-state-${i}"]`)?.textContent === s, [id, s], { timeout: ms });

await step("open-page", async () => {
  await page.goto(url);
  await tid("node-status").waitFor();
  await tid("token-input").waitFor();
});

await step("wrong-token-message", async () => {
  await connect("definitely-not-the-token");
  await page.getByText("wrong token — copy it from ~/.config/dflcomposite/token").first().waitFor();
});

await step("enter-token", async () => {
  await connect(token);
  await page.waitForFunction(() => document.querySelector('[data-testid="node-status"]')?.textContent?.includes("online"));
});

await step("pick-input-and-model", async () => {
  await tid("pick-input").click();
  await tid("picker").waitFor();
  await snap("picker");
  await tid("picker-typed").fill(input);
  await tid("picker-ok").click();
  await page.waitForFunction((i) => document.querySelector('[data-testid="merge-target"]')?.textContent?.includes(i.split(/[\\/]/).pop()), input);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="model-select"] option[value]:not([value=""])').length > 0);
  if (model) await tid("model-select").selectOption(model);
  await tid("input-settings.erodeMask").waitFor(); // the form came from /v1/schema/merge
  const out = await tid("merge-output").inputValue();
  if (!/_swap_v\d{3}\./.test(out)) throw new Error(`output not versioned: ${out}`);
});

let mergeId;
await step("start-merge", async () => {
  mergeId = await startMerge();
  await tid(`job-progress-${mergeId}`).waitFor();
});

await step("progress-moves-and-preview-appears", async () => {
  const first = Number(await tid(`job-progress-${mergeId}`).getAttribute("data-value"));
  await page.waitForFunction(([i, v]) => Number(document.querySelector(`[data-testid="job-progress-${i}"]`)?.getAttribute("data-value")) > v, [mergeId, first], { timeout });
  await page.waitForFunction((i) => document.querySelector(`[data-testid="job-preview-${i}"]`)?.getAttribute("src")?.startsWith("data:image"), mergeId, { timeout });
});

await step("merge-done", async () => {
  await waitState(mergeId, "done");
  const text = await tid(`job-message-${mergeId}`).textContent();
  if (!text.includes("_swap_v")) throw new Error(`no result path in "${text}"`);
});

await step("cancel-running-job", async () => {
  await tid("pick-input").click();
  await tid("picker-typed").fill(input);
  await tid("picker-ok").click();
  const id = await startMerge();
  await page.waitForFunction((i) => ["running", "queued"].includes(document.querySelector(`[data-testid="job-state-${i}"]`)?.textContent ?? ""), id);
  await tid(`job-cancel-${id}`).click();
  await waitState(id, "cancelled", 60000);
});

await step("out-of-range-setting-is-refused", async () => {
  await tid("input-settings.erodeMask").fill("9999");
  await tid("start-merge").click();
  await tid("merge-error").waitFor();
  const why = await tid("error-settings.erodeMask").textContent();
  if (!/at most/.test(why)) throw new Error(`field error reads "${why}"`);
  await tid("input-settings.erodeMask").fill("0");
});

await step("models-tab-shows-info-and-preview", async () => {
  await tid("tab-models").click();
  await tid("model-0").waitFor();
  const info = await tid("model-info-0").textContent();
  if (!/iterations/.test(info)) throw new Error(`model info reads "${info}"`);
  if (fake) await page.waitForFunction(() => document.querySelector('[data-testid="model-preview-0"]')?.getAttribute("src")?.startsWith("data:image"));
});

// The wizard's job is accepted and runs; it is cancelled at once (a real swap trains for minutes).
await step("swap-wizard-starts-a-swap", async () => {
  await tid("tab-swap").click();
  await tid("swap-src-add").click();
  await tid("picker-typed").fill(process.env.DFLC_SWAP_SRC ?? input);
  await tid("picker-ok").click();
  await tid("swap-src-item-0").waitFor();
  await tid("swap-dst-pick").click();
  await tid("picker-typed").fill(input);
  await tid("picker-ok").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="swap-output"]')?.value.includes("_swap_v"));
  await tid("swap-minutes").fill("1");
  const before = new Set(await jobIds());
  await tid("swap-start").click();
  await tid("swap-started").waitFor();
  const id = (await jobIds()).find((j) => !before.has(j));
  await page.waitForFunction((i) => ["running", "queued", "done"].includes(document.querySelector(`[data-testid="job-state-${i}"]`)?.textContent ?? ""), id);
  if ((await tid(`job-state-${id}`).textContent()) !== "done") {
    await tid(`job-cancel-${id}`).click();
    await waitState(id, "cancelled", 60000);
  }
  await tid("tab-merge").click();
});

// The fake node fails a job whose input says "noface" the way dflc does (exit 5); a real node
// needs a clip without faces for this, so the step runs only against the fake.
if (fake) {
  await step("failed-job-shows-node-wording", async () => {
    const noface = path.join(path.dirname(input), "noface.mp4");
    fs.writeFileSync(noface, "");
    await tid("pick-input").click();
    await tid("picker-typed").fill(noface);
    await tid("picker-ok").click();
    const id = await startMerge();
    await waitState(id, "failed", 30000);
    const text = await tid(`job-message-${id}`).textContent();
    if (!text.includes("no face found in the input (exit 5)")) throw new Error(`reads "${text}"`);
  });
}

await context.close();
await fake?.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
if (errors.length) console.log(`page errors:\n  ${errors.join("\n  ")}`);
const failed = results.filter(([, r]) => r !== "ok").length + (errors.length ? 1 : 0);
console.log(`screenshots in ${artifacts}`);
console.log(`${results.filter(([, r]) => r === "ok").length} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
