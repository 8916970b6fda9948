import { expect, test } from "@playwright/test";
import * as path from "node:path";
import { USER_AGENTS, createUser, login, ready, signedInContext, waitForMail } from "./support";

// A sign-in from a second browser emails the owner (received by the real SMTP server); its
// "This wasn't me" link, opened in a third context that is signed in nowhere, signs the second
// browser out.
test("the email's link signs the other browser out without signing in", async ({
  browser,
  page,
  javaScriptEnabled,
}) => {
  const email = createUser();
  await login(page, email, javaScriptEnabled);
  const intruder = await signedInContext(browser, email, USER_AGENTS.chromeWindows, javaScriptEnabled);

  const [mail] = await waitForMail(email);
  expect(mail.subject).toBe("New sign-in to your account");
  expect(mail.text).toContain("Chrome 131 on Windows 10");
  const link = mail.text!.match(/http\S+\/not-me\/\S+/)![0];

  const stranger = await browser.newContext({ javaScriptEnabled });
  const reader = await stranger.newPage();
  await reader.goto(link);
  await ready(reader, javaScriptEnabled);
  await expect(reader.getByRole("heading", { name: "Not you? Sign out that device" })).toBeVisible();
  await expect(reader.getByText("Chrome 131 on Windows 10")).toBeVisible();
  if (javaScriptEnabled) {
    // README screenshots: the email's HTML part as a mail client shows it, and the page.
    const shots = path.resolve(__dirname, "../../docs/screenshots");
    await reader.setViewportSize({ width: 800, height: 640 });
    await reader.screenshot({ path: path.join(shots, "not-me-page.png"), fullPage: true });
    const mailView = await stranger.newPage();
    await mailView.setViewportSize({ width: 800, height: 640 });
    await mailView.setContent(mail.html!);
    await mailView.screenshot({ path: path.join(shots, "alert-email.png"), fullPage: true });
    await mailView.close();
  }
  // Opening the link changed nothing: the other browser is still signed in.
  await intruder.page.reload();
  await expect(intruder.page).toHaveURL(/\/settings\/sessions/);

  await reader.getByRole("button", { name: "Sign out that device" }).click();
  await expect(reader.getByRole("heading", { name: "That device is signed out" })).toBeVisible();
  await expect(reader.getByRole("link", { name: "Sign in and change your password" })).toBeVisible();

  await intruder.page.reload();
  await expect(intruder.page).toHaveURL(/\/login/);
  // The owner's own browser is untouched.
  await page.reload();
  await expect(page).toHaveURL(/\/settings\/sessions/);
  await stranger.close();
  await intruder.context.close();
});

test("new sign-ins since the last visit are marked, and Not you? leads to the password page", async ({
  browser,
  page,
  javaScriptEnabled,
}) => {
  const email = createUser();
  // Firefox signs in and opens the page: the account's last visit. This browser signs in after
  // it, so its visits do not count while a session of that visit (Firefox) is live (SEC-42).
  const firefox = await signedInContext(browser, email, USER_AGENTS.firefoxLinux, javaScriptEnabled);
  await login(page, email, javaScriptEnabled);
  await expect(page.locator("li.session", { hasText: "Firefox 132 on Ubuntu" })).toBeVisible();
  await expect(page.getByText(/new sign-ins? since your last visit/)).toHaveCount(0);

  // A terminal-like client signs in without ever opening the page.
  const api = await browser.newContext({ userAgent: USER_AGENTS.chromeWindows });
  const response = await api.request.post("/login", {
    form: { email, password: "correct horse battery staple" },
    headers: { Accept: "application/json" },
  });
  expect(response.status()).toBe(200);

  await page.goto("/settings/sessions");
  await ready(page, javaScriptEnabled);
  await expect(page.getByText("1 new sign-in since your last visit.", { exact: false })).toBeVisible();
  const chrome = page.locator("li.session", { hasText: "Chrome 131 on Windows 10" });
  await expect(chrome.getByText("New", { exact: true })).toBeVisible();
  await expect(page.locator("li.session", { hasText: "Firefox 132 on Ubuntu" }).getByText("New", { exact: true })).toHaveCount(0);
  await expect(page.locator("li.session.current").getByText("New", { exact: true })).toHaveCount(0);

  // Not you? on the Firefox row: one dialog, then the password page with the explanation.
  await page.getByRole("button", { name: "Not you? Firefox 132 on Ubuntu" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Whoever signed in there knows your password");
  await dialog.getByRole("button", { name: "Sign out and change password" }).click();
  await expect(page).toHaveURL(/\/settings\/password\?not_me=1/);
  await expect(page.getByText("That session is signed out.")).toBeVisible();
  await firefox.page.reload();
  await expect(firefox.page).toHaveURL(/\/login/);

  // With Firefox gone no session of the last visit is left, so this browser's visit counts: it
  // still shows Chrome as new, and the next visit has seen it, for the account.
  await page.goto("/settings/sessions");
  await ready(page, javaScriptEnabled);
  await expect(chrome.getByText("New", { exact: true })).toBeVisible();
  await page.goto("/settings/sessions");
  await ready(page, javaScriptEnabled);
  await expect(chrome).toBeVisible();
  await expect(chrome.getByText("New", { exact: true })).toHaveCount(0);
  await expect(page.getByText(/new sign-ins? since your last visit/)).toHaveCount(0);
  await api.close();
  await firefox.context.close();
});

// SEC-46: signing out sends Clear-Site-Data for cache and storage but not cookies, so Chromium
// keeps the device cookie: signing in again in the same browser is a known browser, no email.
test("SEC-46 signing out and in again in the same browser sends no alert", async ({
  browser,
  page,
  javaScriptEnabled,
}) => {
  const email = createUser();
  await login(page, email, javaScriptEnabled);
  const laptop = await signedInContext(browser, email, USER_AGENTS.chromeWindows, javaScriptEnabled);
  await waitForMail(email, 1);
  const device = async () =>
    (await laptop.context.cookies()).find((c) => c.name === "device")?.value;
  const before = await device();
  expect(before).toBeTruthy();

  await laptop.page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(laptop.page).toHaveURL(/\/login/);
  expect((await laptop.context.cookies()).find((c) => c.name === "session")).toBeUndefined();
  expect(await device()).toBe(before);

  await login(laptop.page, email, javaScriptEnabled);
  await new Promise((r) => setTimeout(r, 2500));
  expect(await waitForMail(email, 1)).toHaveLength(1);
  await laptop.context.close();
});
