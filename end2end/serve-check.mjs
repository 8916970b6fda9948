// Used by tests/serve/run.sh: the site `scripts/serve` built hydrates, signs in and lists the
// session, in Debian's Chromium. Fails on any page error or a marker that never turns "true".
import { chromium } from "@playwright/test";

const base = process.env.SERVE_URL;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const page = await browser.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(e.message));
const hydrated = () => page.waitForSelector('html[data-hydrated="true"]', { timeout: 30_000 });
try {
  await page.goto(`${base}/login`);
  await hydrated();
  await page.fill('input[name="email"]', "serve@example.com");
  await page.fill('input[name="password"]', "serve check password");
  await page.click('button:text("Sign in")');
  await page.waitForURL("**/settings/sessions");
  await hydrated();
  const rows = await page.locator("li.session").count();
  const styled = await page.evaluate(
    () => getComputedStyle(document.querySelector(".skip-link")).position,
  );
  if (rows !== 1) throw new Error(`expected 1 session row, found ${rows}`);
  if (styled === "static") throw new Error("the stylesheet did not apply");
  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
  console.log(`scripts/serve: /login and /settings/sessions hydrated, ${rows} session listed`);
} finally {
  await browser.close();
}
