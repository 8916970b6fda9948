import { expect, test } from "@playwright/test";
import { USER_AGENTS, ageSession, createUser, login, ready, signedInContext } from "./support";

// SEC-16: only this account's sessions, exactly one badged as this device.
test("every device is listed with a readable name; this device first", async ({
  browser,
  page,
  javaScriptEnabled,
}) => {
  const email = createUser();
  const others = [];
  for (const ua of Object.values(USER_AGENTS)) {
    others.push(await signedInContext(browser, email, ua, javaScriptEnabled));
  }
  await login(page, email, javaScriptEnabled);
  const rows = page.locator("li.session");
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toHaveClass(/current/);
  await expect(rows.first().getByText("This device")).toBeVisible();
  const names = page.locator(".session-name");
  await expect(names.filter({ hasText: "Firefox 132 on Ubuntu" })).toHaveCount(1);
  await expect(names.filter({ hasText: "Safari on iPhone" })).toHaveCount(1);
  await expect(names.filter({ hasText: "Chrome 131 on Windows 10" })).toHaveCount(1);
  // Times carry the exact instant.
  await expect(rows.first().locator("time").first()).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
  // The kind filter: exactly one chip is the current page, for each of the three URLs.
  const current = page.locator('.kind-filter a[aria-current="page"]');
  await expect(current).toHaveCount(1);
  await expect(current).toHaveText("All 4");
  // Each chip shows its count.
  await expect(page.getByRole("link", { name: "Browsers 4", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "CLI 0", exact: true }).click();
  await expect(page.getByText("No CLI sessions.")).toBeVisible();
  await expect(current).toHaveCount(1);
  await expect(current).toHaveText("CLI 0");
  await page.goto("/settings/sessions?kind=web");
  await ready(page, javaScriptEnabled);
  await expect(current).toHaveCount(1);
  await expect(current).toHaveText("Browsers 4");
  await expect(rows).toHaveCount(4);
  await page.getByRole("link", { name: "All 4", exact: true }).click();
  await expect(rows).toHaveCount(4);
  await expect(current).toHaveText("All 4");
  for (const o of others) await o.context.close();
});

// SEC-12: the revoked browser is signed out on its next page load.
test("revoking another device signs it out", async ({ browser, page, javaScriptEnabled }) => {
  const email = createUser();
  const firefox = await signedInContext(browser, email, USER_AGENTS.firefoxLinux, javaScriptEnabled);
  await login(page, email, javaScriptEnabled);
  await page.evaluate(() => ((window as any).__noReload = true)).catch(() => {});

  await page.getByRole("button", { name: "Revoke Firefox 132 on Ubuntu" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Revoke Firefox 132 on Ubuntu?");
  await dialog.getByRole("button", { name: "Revoke session" }).click();

  await expect(page.locator(".session-name", { hasText: "Firefox 132 on Ubuntu" })).toHaveCount(0);
  await expect(page.locator("li.session")).toHaveCount(1);
  if (javaScriptEnabled) {
    // Same document: the row left without a reload.
    expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
    // Its button is gone, so focus lands on the page heading, not on <body>.
    await expect(page.locator("#sessions-heading")).toBeFocused();
  }
  await firefox.page.goto("/settings/sessions");
  await expect(firefox.page).toHaveURL(/\/login/);
  await firefox.context.close();

  // Recently ended (collapsed): what ended, how, and that its token came back and was refused.
  await page.goto("/settings/sessions");
  await ready(page, javaScriptEnabled);
  await page.getByText("Recently ended").click();
  const ended = page.locator(".ended-item", { hasText: "Firefox 132 on Ubuntu" });
  await expect(ended).toBeVisible();
  await expect(ended).toContainText("Revoked from HeadlessChrome");
  await expect(ended).toContainText(/Tried again .* later, refused/);
});

// SEC-19: revoking the current session needs explicit confirmation; cancel keeps it.
test("revoking this device warns; cancel keeps you signed in, confirm signs you out", async ({
  page,
  javaScriptEnabled,
}) => {
  const email = createUser();
  await login(page, email, javaScriptEnabled);
  const current = page.locator("li.session.current");
  const name = (await current.locator(".session-name").innerText()).replace("This device", "").trim();

  await current.getByRole("button", { name: `Revoke ${name}` }).click();
  let dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Sign out of this device?");
  await expect(dialog).toContainText("signs you out here");
  await dialog.getByRole("link", { name: "Cancel" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.reload();
  await ready(page, javaScriptEnabled);
  await expect(page).toHaveURL(/\/settings\/sessions/);

  await page.locator("li.session.current").getByRole("button", { name: `Revoke ${name}` }).click();
  dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Sign out this device" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/settings/sessions");
  await expect(page).toHaveURL(/\/login\?next=/);
});

// SEC-17 (UI side; the stale-auth path is in tests/integration/sessions_api.rs)
test("sign out all other sessions leaves only this device", async ({
  browser,
  page,
  javaScriptEnabled,
}) => {
  const email = createUser();
  const others = [
    await signedInContext(browser, email, USER_AGENTS.safariIphone, javaScriptEnabled),
    await signedInContext(browser, email, USER_AGENTS.chromeWindows, javaScriptEnabled),
  ];
  await login(page, email, javaScriptEnabled);
  await expect(page.locator("li.session")).toHaveCount(3);
  await page.getByRole("button", { name: "Sign out all other sessions" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("2 other sessions");
  await dialog.getByRole("button", { name: "Sign out other sessions" }).click();
  await expect(page.getByText("Signed out 2 other sessions.")).toBeVisible();
  await expect(page.locator("li.session")).toHaveCount(1);
  await expect(page.getByText("Only this device is signed in.")).toBeVisible();
  for (const o of others) {
    await o.page.goto("/settings/sessions");
    await expect(o.page).toHaveURL(/\/login/);
    await o.context.close();
  }
});

test("relative times move on without a reload", async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "live updates need JavaScript");
  await page.clock.install();
  const email = createUser();
  await login(page, email, javaScriptEnabled);
  const lastActive = page.locator("li.session.current .activity");
  await expect(lastActive).toHaveText("Active now");
  await page.clock.fastForward("10:00");
  await expect(lastActive).toHaveText("Last active 10 minutes ago");
});

test("a revoke that fails puts the row back with a visible message", async ({
  browser,
  page,
  javaScriptEnabled,
}) => {
  test.skip(!javaScriptEnabled, "without JavaScript the form posts and the server answers the page");
  const email = createUser();
  const firefox = await signedInContext(browser, email, USER_AGENTS.firefoxLinux, javaScriptEnabled);
  await login(page, email, javaScriptEnabled);
  // The network between browser and server fails for this one call.
  await page.route("**/api/sessions/revoke", (route) => route.abort("connectionreset"));

  await page.getByRole("button", { name: "Revoke Firefox 132 on Ubuntu" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke session" }).click();

  await expect(page.getByRole("alert")).toContainText("Could not sign out the session");
  await expect(page.locator(".session-name", { hasText: "Firefox 132 on Ubuntu" })).toHaveCount(1);
  await expect(page.locator("li.session")).toHaveCount(2);
  // Nothing was revoked: Firefox is still signed in.
  await firefox.page.goto("/settings/sessions");
  await expect(firefox.page).toHaveURL(/\/settings\/sessions/);
  await firefox.context.close();
});

test("a session is named from the keyboard; the name becomes its title", async ({
  browser,
  page,
  javaScriptEnabled,
}) => {
  const email = createUser();
  const firefox = await signedInContext(browser, email, USER_AGENTS.firefoxLinux, javaScriptEnabled);
  await login(page, email, javaScriptEnabled);
  await page.getByRole("button", { name: "Rename Firefox 132 on Ubuntu" }).focus();
  await page.keyboard.press("Enter");
  const field = page.getByLabel("Name for this session");
  await expect(field).toBeFocused();
  await page.keyboard.type("Work laptop");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/settings\/sessions$/);
  await ready(page, javaScriptEnabled);
  const row = page.locator("li.session", { hasText: "Work laptop" });
  await expect(row.locator(".session-name")).toContainText("Work laptop");
  await expect(row.locator(".session-parsed")).toHaveText("Firefox 132 on Ubuntu");
  await expect(page.getByRole("button", { name: "Rename Work laptop" })).toBeVisible();

  // A refused name says why and keeps the old one.
  await page.getByRole("button", { name: "Rename Work laptop" }).click();
  await page.getByLabel("Name for this session").fill("evil\u202etxt.exe");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/control or text-direction characters/)).toBeVisible();
  await page.goto("/settings/sessions");
  await expect(page.locator(".session-name", { hasText: "Work laptop" })).toHaveCount(1);
  await firefox.context.close();
});

test("look-alike sessions are told apart, and times are the browser's own", async ({
  browser,
  javaScriptEnabled,
}) => {
  const email = createUser();
  const options = { userAgent: USER_AGENTS.firefoxLinux, javaScriptEnabled, locale: "de-DE", timezoneId: "Europe/Berlin" };
  const twin = await browser.newContext(options);
  await login(await twin.newPage(), email, javaScriptEnabled);
  const mine = await browser.newContext(options);
  const page = await mine.newPage();
  await login(page, email, javaScriptEnabled);

  // Two "Firefox 132 on Ubuntu" in two browsers: the other one says how it differs. Not "same
  // browser": the user agents match, but only the device record may say so (SEC-40).
  const other = page.locator("li.session:not(.current)");
  await expect(other.locator(".look-alike")).toContainText("Same name as another session: signed in");
  await expect(other.locator(".look-alike")).not.toContainText("same browser");
  await expect(page.locator("li.session.current .look-alike")).not.toContainText("same browser");

  // Honest wording: the sign-in method in words, both limits of the expiry.
  const current = page.locator("li.session.current");
  await expect(current.locator(".session-meta")).toContainText("Password · Signed in from 127.0.0.1 · location unknown");
  await expect(current.locator(".session-expiry")).toContainText(/Signs out after 90 days unused, at the latest on /);

  // Absolute times: UTC from the server; the browser's locale and zone once hydrated.
  await current.getByText("Details").click();
  const details = current.locator(".raw-agent");
  if (javaScriptEnabled) {
    await expect(details).toContainText(/Signed in: \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/);
    await expect(details).not.toContainText("UTC");
  } else {
    await expect(details).toContainText(/Signed in: \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC/);
  }

  // This browser signs in again without its session cookie (its device cookie kept): now it
  // holds two sessions, and the earlier one says so; the other browser's does not.
  const kept = (await mine.cookies()).filter((c) => c.name !== "session");
  await mine.clearCookies();
  await mine.addCookies(kept);
  await login(page, email, javaScriptEnabled);
  const sameBrowser = page.locator("li.session:not(.current)", { hasText: "same browser as this device" });
  await expect(sameBrowser).toHaveCount(1);
  await twin.close();
  await mine.close();
});

test("sessions unused for a month say so and sign out together", async ({ browser, page, javaScriptEnabled }) => {
  const email = createUser();
  const firefox = await signedInContext(browser, email, USER_AGENTS.firefoxLinux, javaScriptEnabled);
  await login(page, email, javaScriptEnabled);
  // The Firefox session was last used 45 days ago (its row in the real database, moved back).
  ageSession(email, USER_AGENTS.firefoxLinux, 45);
  await page.goto("/settings/sessions");
  await ready(page, javaScriptEnabled);
  const stale = page.locator("li.session", { hasText: "Firefox 132 on Ubuntu" });
  await expect(stale.locator(".stale")).toHaveText("Not used for 45 days");
  await page.getByRole("button", { name: "Sign out unused sessions (1)" }).click();
  await expect(page.getByText("Signed out 1 other session.")).toBeVisible();
  await expect(stale).toHaveCount(0);
  await expect(page.locator("li.session.current")).toHaveCount(1);
  await page.getByText("Recently ended").click();
  await expect(page.locator(".ended-item", { hasText: "Firefox 132 on Ubuntu" })).toContainText("Signed out as unused");
  await firefox.context.close();
});
