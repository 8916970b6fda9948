// Time from navigation start to `data-hydrated="true"` on the sessions page, LCP, CLS and total
// blocking time, in Debian's headless Chromium: median of 10 fresh contexts (after one warm-up),
// unthrottled and with 4x CPU throttling through the DevTools protocol (standing for a phone).
// Used by scripts/bench.
import { chromium } from "@playwright/test";

const url = process.env.BENCH_URL;
const [name, value] = process.env.BENCH_COOKIE.split("=");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// Observers installed before any page script: LCP, layout shifts, long tasks (TBT = the parts of
// long tasks beyond 50 ms).
const observe = () => {
  window.__vitals = { lcp: 0, cls: 0, tbt: 0 };
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__vitals.lcp = e.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (!e.hadRecentInput) window.__vitals.cls += e.value;
  }).observe({ type: "layout-shift", buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__vitals.tbt += Math.max(0, e.duration - 50);
  }).observe({ type: "longtask", buffered: true });
};

async function run(throttle) {
  const samples = [];
  for (let i = 0; i < 11; i++) {
    const context = await browser.newContext();
    await context.addCookies([{ name, value, url }]);
    await context.addInitScript(observe);
    const page = await context.newPage();
    if (throttle > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
    }
    await page.goto(`${url}/settings/sessions`, { waitUntil: "commit" });
    await page.waitForSelector('html[data-hydrated="true"]', { timeout: 60_000 });
    const hydrated = await page.evaluate(() => performance.now());
    await page.waitForTimeout(300); // let LCP and late shifts be reported
    const vitals = await page.evaluate(() => window.__vitals);
    if (i > 0) samples.push({ hydrated, ...vitals }); // the first load warms the server
    await context.close();
  }
  const median = (key) => {
    const v = samples.map((s) => s[key]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  const hydrated = samples.map((s) => s.hydrated).sort((a, b) => a - b);
  console.log(
    `${throttle > 1 ? `${throttle}x CPU throttling` : "unthrottled"}: time to hydrated median ` +
      `${median("hydrated").toFixed(0)} ms (min ${hydrated[0].toFixed(0)}, max ` +
      `${hydrated[hydrated.length - 1].toFixed(0)}), LCP ${median("lcp").toFixed(0)} ms, ` +
      `CLS ${median("cls").toFixed(3)}, TBT ${median("tbt").toFixed(0)} ms (n=${samples.length})`,
  );
}

await run(1);
await run(4);
await browser.close();
