import * as path from "node:path";
import { Browser, expect, test, Page } from "@playwright/test";
import { PASSWORD, createUser, login, passwordStep, ready, totp } from "./support";

const shots = path.resolve(__dirname, "../../docs/screenshots");

/** Turns on the authenticator app from /settings/security; the secret and the recovery codes. */
async function turnOn(page: Page, javaScriptEnabled: boolean) {
  await page.goto("/settings/security");
  await ready(page, javaScriptEnabled);
  await page.getByRole("button", { name: "Set up authenticator app" }).click();
  const secretElement = page.locator("[data-totp-secret]");
  await expect(secretElement).toBeVisible();
  await expect(page.locator(".qr svg")).toBeVisible();
  const secret = (await secretElement.getAttribute("data-totp-secret"))!;
  if (javaScriptEnabled) {
    await page.screenshot({ path: path.join(shots, "security-setup.png"), fullPage: true });
  }
  expect(secret).toMatch(/^[A-Z2-7]{32,}$/);
  await ready(page, javaScriptEnabled);
  await page.getByLabel("Code from the app").fill(totp(secret, Date.now()));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.locator("#totp-on")).toBeVisible();
  const codes = await page.locator("[data-recovery-code]").evaluateAll((elements) =>
    elements.map((e) => e.getAttribute("data-recovery-code")!),
  );
  expect(codes).toHaveLength(10);
  expect(new Set(codes).size).toBe(10);
  return { secret, codes };
}

/** The password step: the form answers with the second step, and no session exists yet. */
async function passwordStepOnly(page: Page, email: string, javaScriptEnabled: boolean) {
  await passwordStep(page, email, javaScriptEnabled);
  if (javaScriptEnabled) {
    await page.screenshot({ path: path.join(shots, "login-second-step.png"), fullPage: true });
  }
  const list = await page.request.get("/api/v1/auth/sessions", {
    headers: { Accept: "application/json" },
  });
  expect(list.status(), "no session before the second step").toBe(401);
}

/** A new browser that signs in as `email` with the password and then `code`; where it landed. */
async function signInWithCode(browser: Browser, email: string, code: string, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await passwordStepOnly(page, email, javaScriptEnabled);
  await page.getByLabel("Code from your authenticator app").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  return { context, page };
}

// SEC-49, SEC-50, SEC-52: with an authenticator app on, the password alone signs nobody in; the app's code (or a
// recovery code, once) finishes the sign-in, and the session says what it proved.
test("two-step sign-in: turn on an authenticator app, then sign in with a code and with a recovery code", async ({
  browser,
  page,
  javaScriptEnabled,
}) => {
  const email = createUser();
  await login(page, email, javaScriptEnabled);
  const { secret, codes } = await turnOn(page, javaScriptEnabled);

  // Another browser: password, then the app's next code (the current one was spent turning it on).
  const next = totp(secret, Date.now() + 30_000);
  const { context: other, page: second } = await signInWithCode(browser, email, next, javaScriptEnabled);
  await expect(second).toHaveURL(/\/settings\/sessions$/);
  await ready(second, javaScriptEnabled);
  const details = await second.request.get("/api/v1/auth/sessions/details", {
    headers: { Accept: "application/json" },
  });
  expect(details.status()).toBe(200);
  const sessions: { is_current: boolean; mfa_factors: string[] }[] = await details.json();
  const current = sessions.find((s) => s.is_current)!;
  expect(current.mfa_factors).toEqual(["password", "totp"]);
  // Its row says so in words; the first browser proved the password alone (SEC-52).
  await expect(second.getByText("Password + authenticator app")).toBeVisible();
  await second.getByRole("button", { name: "Sign out sessions without two-step (1)" }).click();
  const dialog = second.getByRole("dialog");
  await expect(dialog).toContainText("This device stays signed in.");
  await ready(second, javaScriptEnabled);
  await dialog.getByRole("button", { name: "Sign out sessions without two-step" }).click();
  await expect(second.getByRole("button", { name: /Sign out sessions without two-step/ })).toHaveCount(0);
  await page.goto("/settings/sessions");
  await expect(page).toHaveURL(/\/login/);
  await other.close();

  // A third browser: a recovery code works once.
  for (const expectOk of [true, false]) {
    const { context, page: third } = await signInWithCode(browser, email, codes[0], javaScriptEnabled);
    if (expectOk) {
      await expect(third).toHaveURL(/\/settings\/sessions$/);
    } else {
      await expect(third.getByRole("alert")).toBeVisible();
      await expect(third).toHaveURL(/\/login/);
    }
    await context.close();
  }
});

// SEC-53, SEC-54: a session that signed in with a recovery code has not proved the app, so "Sign out all other
// sessions" asks for a code from it besides the password; then that session turns the app off, signing out the others.
test("two-step sign-in: step-up asks for the app's code, then the app is turned off", async ({
  browser,
  page,
  javaScriptEnabled,
}) => {
  const email = createUser();
  await login(page, email, javaScriptEnabled);
  const { secret, codes } = await turnOn(page, javaScriptEnabled);

  const { context: other, page: second } = await signInWithCode(browser, email, codes[0], javaScriptEnabled);
  await expect(second).toHaveURL(/\/settings\/sessions$/);
  await ready(second, javaScriptEnabled);

  await second.getByRole("button", { name: "Sign out all other sessions" }).click();
  const dialog = second.getByRole("dialog");
  await expect(dialog.getByLabel("Confirm your password")).toBeVisible();
  await expect(dialog.getByLabel("Code from your authenticator app")).toBeVisible();
  await ready(second, javaScriptEnabled);
  await dialog.getByLabel("Confirm your password").fill(PASSWORD);
  // The current step was spent turning the app on: the app's next code.
  await dialog.getByLabel("Code from your authenticator app").fill(totp(secret, Date.now() + 30_000));
  await dialog.getByRole("button", { name: "Sign out other sessions" }).click();
  await expect(second.getByText("Signed out 1 other session.")).toBeVisible();
  await page.goto("/settings/sessions");
  await expect(page).toHaveURL(/\/login/);

  // Another browser signs in with the next recovery code.
  const third = await browser.newContext({ javaScriptEnabled });
  const thirdPage = await third.newPage();
  await passwordStepOnly(thirdPage, email, javaScriptEnabled);
  await thirdPage.getByLabel("Code from your authenticator app").fill(codes[1]);
  await thirdPage.getByRole("button", { name: "Verify" }).click();
  await expect(thirdPage).toHaveURL(/\/settings\/sessions$/);

  // This session proved the app just now: turning it off needs nothing more, and by default signs out the others.
  await second.goto("/settings/security");
  await ready(second, javaScriptEnabled);
  const checkbox = second.getByLabel("Also sign out every other session");
  await expect(checkbox).toBeChecked();
  await second.getByRole("button", { name: "Turn off" }).click();
  await expect(second.locator("#totp-off")).toBeVisible();
  await expect(second.getByRole("button", { name: "Set up authenticator app" })).toBeVisible();
  await thirdPage.goto("/settings/sessions");
  await expect(thirdPage).toHaveURL(/\/login/);
  await third.close();
  await other.close();

  // The password alone signs in again.
  await login(page, email, javaScriptEnabled);
  await expect(page).toHaveURL(/\/settings\/sessions/);
});
