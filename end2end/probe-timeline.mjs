import { chromium } from "@playwright/test";
const url = process.env.BENCH_URL, [name, value] = process.env.BENCH_COOKIE.split("=");
const throttle = Number(process.env.THROTTLE ?? 1);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const init = () => {
  const t = (window.__t = {});
  const wrap = (obj, key, label) => { const f = obj[key]; if (!f) return; obj[key] = function (...a) { t[label + "_call"] = performance.now(); const r = f.apply(this, a); if (r && r.then) r.then(() => (t[label + "_done"] = performance.now())); else t[label + "_done"] = performance.now(); return r; }; };
  wrap(WebAssembly, "compileStreaming", "compile");
  wrap(WebAssembly, "instantiate", "instantiate");
  new MutationObserver(() => { if (!t.hydrated && document.documentElement.dataset.hydrated === "true") t.hydrated = performance.now(); })
    .observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });
  document.addEventListener("DOMContentLoaded", () => (t.dcl = performance.now()));
};
const rows = [];
const target = process.env.TARGET ?? `${url}/settings/sessions`;
for (let i = 0; i < 8; i++) {
  const context = await browser.newContext();
  await context.addCookies([{ name, value, url }]);
  await context.addInitScript(init);
  const page = await context.newPage();
  if (throttle > 1) { const cdp = await context.newCDPSession(page); await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle }); }
  if (process.env.ROUTE) await page.route("**/settings/sessions", async (route) => {
    const response = await route.fetch();
    let body = await response.text();
    body = body.replace("mod.hydrate();", "window.__t.h0=performance.now();mod.hydrate();window.__t.h1=performance.now();window.__t.isl=[];")
      .replace('document.querySelectorAll("leptos-island")', process.env.CLOCK_LAST ? '[...document.querySelectorAll("leptos-island")].sort((a,b)=>a.dataset.component.startsWith("Clock")-b.dataset.component.startsWith("Clock"))' : 'document.querySelectorAll("leptos-island")')
      .replace("island(el);", "const a=performance.now();island(el);window.__t.isl.push([el.dataset.component.split('_')[0],Math.round(a),Math.round(performance.now()-a)]);");
    await route.fulfill({ response, body });
  });
  await page.goto(target, { waitUntil: process.env.TARGET ? "load" : "commit" });
  if (!process.env.TARGET) await page.waitForSelector('html[data-hydrated="true"]', { timeout: 60000 });
  await page.waitForTimeout(200);
  const r = await page.evaluate(() => {
    const n = performance.getEntriesByType("navigation")[0];
    const res = Object.fromEntries(performance.getEntriesByType("resource").map((e) => [e.name.split("/").pop().split(".").pop(), [Math.round(e.startTime), Math.round(e.responseEnd)]]));
    return { resp: Math.round(n.responseStart), respEnd: Math.round(n.responseEnd), domInt: Math.round(n.domInteractive), dcl: Math.round(window.__t.dcl), load: Math.round(n.loadEventEnd),
      js: res.js, wasm: res.wasm, css: res.css,
      lcp: Math.round(performance.getEntriesByType("largest-contentful-paint").at(-1)?.startTime ?? 0), fcp: Math.round(performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0), compile: [window.__t.compile_call, window.__t.compile_done].map(Math.round),
      inst: [window.__t.instantiate_call, window.__t.instantiate_done].map(Math.round), hydrated: Math.round(window.__t.hydrated), h: [Math.round(window.__t.h0), Math.round(window.__t.h1)], isl: window.__t.isl };
  });
  if (i > 0) rows.push(r);
  await context.close();
}
for (const r of rows) console.log(JSON.stringify(r));
await browser.close();
