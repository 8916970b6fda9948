import { chromium } from "@playwright/test";
const url = process.env.BENCH_URL, [name, value] = process.env.BENCH_COOKIE.split("=");
const throttle = Number(process.env.THROTTLE ?? 4), n = Number(process.env.N ?? 10);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const variants = JSON.parse(process.env.VARIANTS); // [label, [[from, to], ...]]
async function load(edits) {
  const context = await browser.newContext();
  await context.addCookies([{ name, value, url }]);
  await context.addInitScript(() => { window.__h = 0; new MutationObserver(() => { if (!window.__h && document.documentElement.dataset.hydrated === "true") window.__h = performance.now(); }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] }); });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (throttle > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  await page.route("**/settings/sessions", async (route) => {
    const response = await route.fetch();
    let body = await response.text();
    for (const [a, b] of edits) { if (!body.includes(a)) throw new Error("no " + a); body = body.replace(a, b); }
    await route.fulfill({ response, body });
  });
  await page.goto(`${url}/settings/sessions`, { waitUntil: "load" });
  const h = await page.evaluate(() => window.__h || new Promise((r) => new MutationObserver(() => window.__h && r(window.__h)).observe(document.documentElement, { attributes: true })));
  const l = await page.evaluate(() => (window.__l1 ?? 0) - (window.__l0 ?? 0));
  await context.close();
  return process.env.LOADER ? l : h;
}
const res = Object.fromEntries(variants.map(([l]) => [l, []]));
for (let i = 0; i < n + 1; i++) for (const [l, e] of variants) { const h = await load(e); if (i) res[l].push(h); }
for (const [l, v] of Object.entries(res)) { v.sort((a, b) => a - b); console.log(l, "median", v[v.length >> 1].toFixed(0), "all", v.map((x) => x.toFixed(0)).join(" ")); }
await browser.close();
