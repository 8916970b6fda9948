// Where a page load's main-thread time goes, from a DevTools trace in Debian's headless Chromium
// (used to find what stands between the page and hydration; BENCHMARKS.md, "Islands"). For each
// target, 4 fresh loads (the first dropped): the load and paint marks and the main thread's time
// per trace event (ParseHTML, EvaluateScript, Layout, TimerFire, ...); BIG=1 also lists every
// event over 4 ms with its start.
//
// usage: TARGETS='[["ours", "http://127.0.0.1:PORT/settings/sessions", true],
//                  ["bare", "http://127.0.0.1:PORT2/bare.html", false]]' \
//        BENCH_COOKIE=session=... [THROTTLE=4] [BIG=1] node hydration-trace.mjs
import { chromium } from "@playwright/test";
const [name, value] = (process.env.BENCH_COOKIE ?? "a=b").split("=");
const throttle = Number(process.env.THROTTLE ?? 4);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
async function one(target, hydrates) {
  const context = await browser.newContext();
  await context.addCookies([{ name, value, url: new URL(target).origin }]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (throttle > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  await browser.startTracing(page, { categories: ["devtools.timeline", "v8.execute", "disabled-by-default-devtools.timeline"] });
  await page.goto(target, { waitUntil: "load" });
  if (hydrates) await page.waitForSelector('html[data-hydrated="true"]');
  await page.waitForTimeout(300);
  const buf = await browser.stopTracing();
  await context.close();
  const events = JSON.parse(buf.toString()).traceEvents;
  // the renderer main thread: thread named CrRendererMain with most events in the page's pid
  const names = events.filter((e) => e.name === "thread_name" && e.args.name === "CrRendererMain");
  const nav = events.find((e) => e.name === "navigationStart" || e.name === "NavigationTiming") ;
  const totals = {};
  let start = Infinity;
  for (const e of events) if (e.name === "ResourceSendRequest" && e.args?.data?.url?.startsWith(target.split("?")[0])) start = Math.min(start, e.ts);
  const mains = new Set(names.map((n) => `${n.pid}:${n.tid}`));
  for (const e of events) {
    if (e.ph !== "X" || !mains.has(`${e.pid}:${e.tid}`) || e.ts < start) continue;
    totals[e.name] = (totals[e.name] ?? 0) + e.dur / 1000;
  }
  const marks = {};
  for (const e of events) if (["MarkDOMContent", "MarkLoad", "firstContentfulPaint", "largestContentfulPaint::Candidate"].includes(e.name) && e.ts >= start) marks[e.name] = Math.round((e.ts - start) / 1000);
  const big = events.filter((e) => e.ph === "X" && mains.has(`${e.pid}:${e.tid}`) && e.ts >= start && e.dur > 4000 && e.name !== "RunTask")
    .map((e) => `${Math.round((e.ts - start) / 1000)}+${Math.round(e.dur / 1000)} ${e.name} ${JSON.stringify(e.args?.data?.url ?? e.args?.data?.functionName ?? e.args?.data?.type ?? "").slice(0, 60)}`);
  return { totals, marks, big };
}
for (const [label, target, hyd] of JSON.parse(process.env.TARGETS)) {
  const runs = [];
  for (let i = 0; i < 4; i++) runs.push(await one(target, hyd));
  const keys = ["ParseHTML", "EvaluateScript", "v8.compileModule", "v8.evaluateModule", "FunctionCall", "RunMicrotasks", "UpdateLayoutTree", "Layout", "Paint", "PrePaint", "Layerize", "Commit", "ParseAuthorStyleSheet", "TimerFire", "EventDispatch", "v8.wasm.compiledModule", "v8.wasm.streamFromResponseCallback", "v8.wasm.instantiate", "RunTask", "HitTest", "ScheduleStyleRecalculation", "v8.compile", "v8.run", "GPUTask", "MajorGC", "MinorGC"];
  console.log(`== ${label}`);
  for (const r of runs.slice(1)) { console.log(JSON.stringify(r.marks), keys.filter((k) => r.totals[k]).map((k) => `${k}=${r.totals[k].toFixed(0)}`).join(" ")); if (process.env.BIG) console.log("   " + r.big.join("\n   ")); }
}
await browser.close();
