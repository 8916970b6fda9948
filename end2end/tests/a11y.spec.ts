import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import * as path from "node:path";
import { USER_AGENTS, createUser, login, ready, signedInContext } from "./support";

const shots = path.resolve(__dirname, "../../docs/screenshots");

async function axeClean(page: import("@playwright/test").Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

test("login page and sessions page have no axe violations", async ({
  browser,
  page,
  javaScriptEnabled,
}) => {
  test.skip(!javaScriptEnabled, "axe runs in the page's JavaScript");
  await page.goto("/login");
  await ready(page, javaScriptEnabled);
  await axeClean(page);

  const email = createUser();
  const other = await signedInContext(browser, email, USER_AGENTS.firefoxLinux, javaScriptEnabled);
  await login(page, email, javaScriptEnabled);
  await axeClean(page);
  await page.getByRole("button", { name: "Revoke Firefox 132 on Ubuntu" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await axeClean(page);
  await other.context.close();
});

test("keyboard only: tab to a revoke button, open the dialog, escape closes it", async ({
  browser,
  page,
  javaScriptEnabled,
}) => {
  test.skip(!javaScriptEnabled, "the modal dialog needs JavaScript");
  const email = createUser();
  const other = await signedInContext(browser, email, USER_AGENTS.chromeWindows, javaScriptEnabled);
  await login(page, email, javaScriptEnabled);
  const button = page.getByRole("button", { name: "Revoke Chrome 131 on Windows 10" });
  await button.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(button).toBeFocused();
  await other.context.close();
});

test("screenshots for the README (desktop and 360 px, light and dark)", async ({
  browser,
  javaScriptEnabled,
}) => {
  test.skip(!javaScriptEnabled, "one set of screenshots is enough");
  const email = createUser();
  const others = [];
  for (const ua of Object.values(USER_AGENTS)) {
    others.push(await signedInContext(browser, email, ua, true));
  }
  for (const scheme of ["light", "dark"] as const) {
    for (const [label, width] of [["desktop", 1280], ["360", 360]] as const) {
      const context = await browser.newContext({
        colorScheme: scheme,
        viewport: { width, height: 900 },
        userAgent: USER_AGENTS.firefoxLinux.replace("132.0", "133.0"),
      });
      const page = await context.newPage();
      await login(page, email, true);
      await expect(page.locator(".session-name", { hasText: "Safari on iPhone" })).toBeVisible();
      await page.screenshot({ path: path.join(shots, `sessions-${label}-${scheme}.png`), fullPage: true });
      await context.close();
    }
  }
  for (const o of others) await o.context.close();
});
