// Time from navigation start to `data-hydrated="true"` on the sessions page, LCP, CLS and total
// blocking time, in Debian's headless Chromium: median of 10 fresh contexts (after one warm-up),
// unthrottled and with 4x CPU throttling through the DevTools protocol (standing for a phone).
//
// The limit beside it (BENCH_STATIC_URL): the very same page bytes with the app's scripts and
// preloads taken out, served as a file by nginx with the same stylesheet, measured the same way
// until it is loaded and painted (the later of its load event and its largest contentful paint).
// That is what the browser needs for the page alone (parse, style, layout, paint); the ratio
// limit / ours says how close hydration comes to it, and unlike the absolute figure it holds
// still when the shared machine is busier. Used by scripts/bench.
import { chromium } from "@playwright/test";

const url = process.env.BENCH_URL;
const staticUrl = process.env.BENCH_STATIC_URL;
const [name, value] = process.env.BENCH_COOKIE.split("=");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// Observers installed before any page script: the moment `data-hydrated` turns "true" (read in
// the page, so the figure holds no DevTools-protocol round trip or selector polling: those added
// about 100 ms when the time was read after `waitForSelector`), LCP, layout shifts, long tasks
// (TBT = the parts of long tasks beyond 50 ms).
const observe = () => {
  window.__vitals = { hydrated: 0, lcp: 0, cls: 0, tbt: 0 };
  new MutationObserver(() => {
    if (!window.__vitals.hydrated && document.documentElement.dataset.hydrated === "true")
      window.__vitals.hydrated = performance.now();
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });
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

// One page load in a fresh context: `ready` is navigation start -> hydrated (the app) or -> loaded
// and painted (the static limit).
async function load(throttle, target, hydrates) {
  const context = await browser.newContext();
  await context.addCookies([{ name, value, url }]);
  await context.addInitScript(observe);
  const page = await context.newPage();
  if (throttle > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  }
  // Both pages are loaded the same way, up to their load event, and then read in the page. The
  // app's wait for `data-hydrated` is an in-page promise too: Playwright's `waitForSelector`
  // injects its selector engine into the page and polls while it loads, which took 25-40 ms of
  // the page's main thread at 4x CPU (a DevTools trace) in the middle of parsing and hydration.
  await page.goto(target, { waitUntil: "load" });
  let ready;
  if (hydrates) {
    ready = await page.evaluate(
      () =>
        window.__vitals.hydrated ||
        new Promise((resolve, reject) => {
          setTimeout(() => reject(new Error("not hydrated within 60 s")), 60_000);
          new MutationObserver((_, observer) => {
            if (window.__vitals.hydrated) {
              observer.disconnect();
              resolve(window.__vitals.hydrated);
            }
          }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-hydrated"] });
        }),
    );
  } else {
    ready = await page.evaluate(() => performance.getEntriesByType("navigation")[0].loadEventEnd);
  }
  await page.waitForTimeout(300); // let LCP and late shifts be reported
  const vitals = await page.evaluate(() => window.__vitals);
  await context.close();
  return { ready: hydrates ? ready : Math.max(ready, vitals.lcp), ...vitals };
}

const median = (samples, key) => {
  const v = samples.map((s) => s[key]).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
};

// The app and the limit alternate load by load, so both see the same machine.
async function run(throttle) {
  const ours = [];
  const limit = [];
  for (let i = 0; i < 11; i++) {
    const app = await load(throttle, `${url}/settings/sessions`, true);
    const bare = staticUrl ? await load(throttle, staticUrl, false) : null;
    if (i === 0) continue; // the first load warms the server and the browser's caches
    ours.push(app);
    if (bare) limit.push(bare);
  }
  const ready = ours.map((s) => s.ready).sort((a, b) => a - b);
  const label = throttle > 1 ? `${throttle}x CPU throttling` : "unthrottled";
  console.log(
    `${label}: time to hydrated median ${median(ours, "ready").toFixed(0)} ms (min ` +
      `${ready[0].toFixed(0)}, max ${ready[ready.length - 1].toFixed(0)}), LCP ` +
      `${median(ours, "lcp").toFixed(0)} ms, CLS ${median(ours, "cls").toFixed(3)}, TBT ` +
      `${median(ours, "tbt").toFixed(0)} ms (n=${ours.length})`,
  );
  if (limit.length) {
    const bare = median(limit, "ready");
    console.log(
      `${label}: limit (same bytes without the app's scripts, nginx) loaded and painted median ` +
        `${bare.toFixed(0)} ms, LCP ${median(limit, "lcp").toFixed(0)} ms; ratio limit / ours ` +
        `**${(bare / median(ours, "ready")).toFixed(2)}**`,
    );
  }
}

await run(1);
await run(4);
await browser.close();
