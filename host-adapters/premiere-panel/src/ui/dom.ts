// A few DOM helpers that also work in UXP's DOM (no replaceChildren, no template literals as
// HTML: text always goes through textContent, so the node's words are never parsed as markup).

type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;
type Child = Node | string | number | null | undefined | false | Child[];

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, "").toLowerCase(), v);
    else if (k === "testid") el.setAttribute("data-testid", String(v));
    else if (k === "class") el.className = String(v);
    else if (k === "value") (el as unknown as HTMLInputElement).value = String(v);
    else if (k === "checked") (el as unknown as HTMLInputElement).checked = Boolean(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  }
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function fill(el: Node, ...children: Child[]): void {
  clear(el);
  append(el, children);
}

/** A progress bar as two divs: UXP's <progress> support varies, a div width does not. */
export function bar(pct: number, testid: string): HTMLElement {
  const inner = h("div", { class: "bar-fill" });
  inner.style.width = `${pct}%`;
  return h("div", { class: "bar", testid, "data-value": String(pct), role: "progressbar", "aria-valuenow": String(pct) }, inner);
}

export function message(text: string, kind: "error" | "info" | "ok" = "info", testid?: string): HTMLElement {
  return h("div", { class: `msg msg-${kind}`, testid }, text);
}

/** Safe attribute-ish id from a field path or file name (data-testid values stay readable). */
export const tid = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, "_");
