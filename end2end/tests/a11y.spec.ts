import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import * as path from "node:path";
import { USER_AGENTS, createUser, login, ready, signedInContext, totp, waitForMail } from "./support";

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
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // The other states of the page: the rename form, Not you?, Recently ended open.
  await page.getByRole("button", { name: "Rename Firefox 132 on Ubuntu" }).click();
  await expect(page.getByLabel("Name for this session")).toBeVisible();
  await axeClean(page);
  await page.getByRole("link", { name: "Cancel" }).click();
  await page.getByRole("button", { name: "Not you? Firefox 132 on Ubuntu" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await axeClean(page);
  await page.getByRole("dialog").getByRole("button", { name: "Sign out and change password" }).click();
  await expect(page).toHaveURL(/\/settings\/password\?not_me=1/);
  await ready(page, javaScriptEnabled);
  await axeClean(page);
  await page.goto("/settings/sessions");
  await ready(page, javaScriptEnabled);
  await page.getByText("Recently ended").click();
  await expect(page.locator(".ended-item")).toHaveCount(1);
  await axeClean(page);
  await other.context.close();
});

test("the not-me page has no axe violations, open and used", async ({ browser, page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "axe runs in the page's JavaScript");
  const email = createUser();
  await login(page, email, javaScriptEnabled);
  const other = await signedInContext(browser, email, USER_AGENTS.chromeWindows, javaScriptEnabled);
  const [mail] = await waitForMail(email);
  await page.goto(mail.text!.match(/http\S+\/not-me\/\S+/)![0]);
  await ready(page, javaScriptEnabled);
  await axeClean(page);
  await page.getByRole("button", { name: "Sign out that device" }).click();
  await expect(page.getByRole("heading", { name: "That device is signed out" })).toBeVisible();
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

/** Nothing on the page is wider than the viewport (no sideways scrolling on a phone). */
async function fitsWidth(page: import("@playwright/test").Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("the security page at 360 px: no axe violations, no sideways scroll, set up by keyboard", async ({
  page,
  javaScriptEnabled,
}) => {
  test.skip(!javaScriptEnabled, "axe runs in the page's JavaScript");
  await page.setViewportSize({ width: 360, height: 780 });
  const email = createUser();
  await login(page, email, javaScriptEnabled);
  await page.goto("/settings/security");
  await ready(page, javaScriptEnabled);
  await axeClean(page);
  await fitsWidth(page);

  // Keyboard only: the set-up button, then the code field and Enter.
  await page.getByRole("button", { name: "Set up authenticator app" }).focus();
  await page.keyboard.press("Enter");
  const secretElement = page.locator("[data-totp-secret]");
  await expect(secretElement).toBeVisible();
  await ready(page, javaScriptEnabled);
  await axeClean(page);
  await fitsWidth(page);
  const secret = (await secretElement.getAttribute("data-totp-secret"))!;
  const right = totp(secret, Date.now());
  const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, "0");
  await page.getByLabel("Code from the app").focus();
  await page.keyboard.type(wrong);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert")).toBeVisible();
  await axeClean(page);
  await page.getByLabel("Code from the app").fill("");
  await page.getByLabel("Code from the app").focus();
  await page.keyboard.type(totp(secret, Date.now()));
  await page.keyboard.press("Enter");
  await expect(page.locator("#totp-on")).toBeVisible();
  await expect(page.locator("[data-recovery-code]")).toHaveCount(10);
  await axeClean(page);
  await fitsWidth(page);
});

test("screenshots for the README (desktop and 360 px, light and dark, dialog, recently ended)", async ({
  browser,
  javaScriptEnabled,
}) => {
  test.skip(!javaScriptEnabled, "one set of screenshots is enough");
  const email = createUser();
  // A believable account: a named laptop, a phone, two look-alike Chromes, one revoked browser.
  const others = [];
  for (const ua of [
    USER_AGENTS.firefoxLinux,
    USER_AGENTS.safariIphone,
    USER_AGENTS.chromeWindows,
    USER_AGENTS.chromeWindows,
    USER_AGENTS.firefoxLinux.replaceAll("132.0", "131.0"),
  ]) {
    others.push(await signedInContext(browser, email, ua, true));
  }
  const owner = await browser.newContext({ userAgent: USER_AGENTS.firefoxLinux.replaceAll("132.0", "133.0") });
  const ownerPage = await owner.newPage();
  await login(ownerPage, email, true);
  const list = await (await ownerPage.request.get("/api/v1/auth/sessions")).json();
  const byAgent = (ua: string) => list.find((s: { user_agent: string }) => s.user_agent === ua).id;
  await ownerPage.request.patch(`/api/v1/auth/sessions/${byAgent(USER_AGENTS.firefoxLinux)}`, {
    data: { label: "Work laptop" },
  });
  await ownerPage.request.delete(`/api/v1/auth/sessions/${byAgent(USER_AGENTS.firefoxLinux.replaceAll("132.0", "131.0"))}`);
  const state = await owner.storageState();

  for (const scheme of ["light", "dark"] as const) {
    for (const [label, width] of [["desktop", 1280], ["360", 360]] as const) {
      const context = await browser.newContext({
        colorScheme: scheme,
        viewport: { width, height: 900 },
        userAgent: USER_AGENTS.firefoxLinux.replaceAll("132.0", "133.0"),
        storageState: state,
      });
      const page = await context.newPage();
      await page.goto("/settings/sessions");
      await ready(page, true);
      await expect(page.locator(".session-name", { hasText: "Safari on iPhone" })).toBeVisible();
      await page.screenshot({ path: path.join(shots, `sessions-${label}-${scheme}.png`), fullPage: true });
      if (scheme === "light" && label === "desktop") {
        await page.getByRole("button", { name: "Revoke Safari on iPhone" }).click();
        await expect(page.getByRole("dialog")).toBeVisible();
        await page.screenshot({ path: path.join(shots, "sessions-dialog.png") });
        await page.keyboard.press("Escape");
        await page.getByText("Recently ended").click();
        await expect(page.locator(".ended-item")).toHaveCount(1);
        await page.locator(".ended").screenshot({ path: path.join(shots, "sessions-recently-ended.png") });
      }
      await context.close();
    }
  }
  await owner.close();
  for (const o of others) await o.context.close();
});
