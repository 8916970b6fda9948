import { expect, test } from "@playwright/test";
import { PASSWORD, createUser, login, ready } from "./support";

test("login page is server-rendered and hydrates", async ({ page, javaScriptEnabled }) => {
  const response = await page.goto("/login");
  expect(response?.status()).toBe(200);
  const html = await response!.text();
  // The server HTML never claims to be hydrated.
  expect(html).toContain('data-hydrated="false"');
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  if (javaScriptEnabled) {
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  } else {
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "false");
  }
});

test("signed-out visitors are sent to /login", async ({ page }) => {
  await page.goto("/settings/sessions");
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2Fsessions|\/login\?next=\/settings\/sessions/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});

// SEC-28: one generic message whether or not the account exists.
test("wrong password shows a generic error", async ({ page, javaScriptEnabled }) => {
  const email = createUser();
  await page.goto("/login");
  await ready(page, javaScriptEnabled);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText("Email or password is incorrect.");
  await expect(page).toHaveURL(/\/login\?error=invalid_credentials/);
});

// SEC-11, SEC-24: the no-JS form posts work (same-origin) and logout ends the session.
test("log in through the form, see this device, log out", async ({ page, javaScriptEnabled }) => {
  const email = createUser();
  await login(page, email, javaScriptEnabled);
  // The server function's result (the session list, read from the database) is on the page.
  const current = page.locator("li.session.current");
  await expect(current).toHaveCount(1);
  await expect(current.getByText("This device")).toBeVisible();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/settings/sessions");
  await expect(page).toHaveURL(/\/login\?next=/);
});

// SEC-13: the current browser continues with its rotated token.
test("password change keeps this browser signed in", async ({ page, javaScriptEnabled }) => {
  const email = createUser();
  await login(page, email, javaScriptEnabled);
  await page.goto("/settings/password");
  await ready(page, javaScriptEnabled);
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill("a brand new passphrase");
  await page.getByLabel("Repeat new password").fill("a brand new passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("Password changed.");
  await page.goto("/settings/sessions");
  await expect(page).toHaveURL(/\/settings\/sessions$/);
});
