// Time from navigation start to `data-hydrated="true"` on the sessions page, in Debian's
// headless Chromium. Used by scripts/bench.
import { chromium } from "@playwright/test";

const url = process.env.BENCH_URL;
const [name, value] = process.env.BENCH_COOKIE.split("=");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const times = [];
for (let i = 0; i < 11; i++) {
  const context = await browser.newContext();
  await context.addCookies([{ name, value, url }]);
  const page = await context.newPage();
  await page.goto(`${url}/settings/sessions`, { waitUntil: "commit" });
  await page.waitForSelector('html[data-hydrated="true"]');
  const ms = await page.evaluate(() => performance.now());
  if (i > 0) times.push(ms); // the first load warms the server and the HTTP cache
  await context.close();
}
await browser.close();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`time to hydrated: median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms (n=${times.length})`);
