import * as path from "node:path";
import { BrowserContext, expect, test, Page } from "@playwright/test";
import { passkeyURL } from "../playwright.config";
import { createUser, login, passwordStep, ready, waitForMail } from "./support";

// Passkeys run against the second server on http://localhost (WebAuthn refuses 127.0.0.1 as a
// relying party), with Chromium's virtual authenticator over CDP: resident keys and user
// verification, as a phone or laptop with a screen lock has.
test.use({ baseURL: passkeyURL });

const shots = path.resolve(__dirname, "../../docs/screenshots");

/** Gives `page`'s browser a virtual platform authenticator (CTAP2, internal, UV). */
async function virtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  return { cdp, authenticatorId };
}

/** The session row of the current session on the sessions page. */
function currentRow(page: Page) {
  return page.locator("li", { has: page.getByText("This device") }).first();
}

// SEC-55, SEC-58, SEC-59
test("a passkey is added, signs in alone, shows as phishing-resistant and can be removed", async ({
  page,
  context,
  javaScriptEnabled,
}) => {
  test.skip(!javaScriptEnabled, "passkeys need JavaScript (the js-off case is below)");
  const email = createUser("passkeys.db");
  const { cdp, authenticatorId } = await virtualAuthenticator(context, page);
  await login(page, email);

  // Add a passkey on the security page (a fresh sign-in: no step-up needed yet).
  await page.goto("/settings/security");
  await ready(page, true);
  await expect(page.getByText("Passkeys need JavaScript")).toBeHidden();
  await page.getByLabel("Name (optional)").fill("Laptop passkey");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  // The account's first second factor: recovery codes, shown once, and from now on the password
  // alone is not enough.
  await expect(page).toHaveURL(/\/settings\/security\?codes=/);
  await expect(page.locator("[data-recovery-code]")).toHaveCount(10);
  await expect(page.locator("#passkey-two-step")).toBeVisible();
  await expect(page.locator(".passkey-row .passkey-name")).toHaveText(["Laptop passkey"]);
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0].isResidentCredential, "discoverable, so no email is needed").toBe(true);
  await page.screenshot({ path: path.join(shots, "security-passkeys.png"), fullPage: true });
  const [alert] = await waitForMail(email);
  expect(alert.subject).toBe("A passkey was added");

  // Sign out: the password alone now meets a second step that asks for what the account has
  // (a recovery code or the passkey, no authenticator app).
  await page.goto("/settings/sessions");
  await ready(page, true);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await passwordStep(page, email);
  await expect(page.getByLabel("Recovery code")).toBeVisible();
  await expect(page.getByText("authenticator app")).toHaveCount(0);
  // The passkey finishes it (and signs in alone from the first step just the same).
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL(/\/settings\/sessions$/);
  await ready(page, true);
  await expect(currentRow(page)).toContainText("Passkey · phishing-resistant");
  const details = await page.request.get("/api/v1/auth/sessions/details");
  expect(details.status()).toBe(200);
  const sessions = (await details.json()) as { is_current: boolean; mfa_factors: string[] }[];
  expect(sessions.find((s) => s.is_current)!.mfa_factors).toEqual(["webauthn"]);

  // Signed in with the passkey just now: removing it needs no further proof.
  await page.goto("/settings/security");
  await ready(page, true);
  await expect(page.locator(".passkey-row")).toContainText("Last used");
  await page.getByRole("button", { name: "Remove Laptop passkey" }).click();
  await expect(page.locator(".passkey-row")).toHaveCount(0);
  const mails = await waitForMail(email, 2);
  expect(mails.map((m) => m.subject)).toContain("A passkey was removed");
});

// SEC-57
test("step-up asks for the passkey before signing out every other session", async ({
  page,
  context,
  browser,
  javaScriptEnabled,
}) => {
  test.skip(!javaScriptEnabled, "passkeys need JavaScript");
  const email = createUser("passkeys.db");
  const { cdp, authenticatorId } = await virtualAuthenticator(context, page);
  await login(page, email);
  await page.goto("/settings/security");
  await ready(page, true);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.locator(".passkey-row")).toHaveCount(1);
  const codes = await page.locator("[data-recovery-code]").allTextContents();
  expect(codes).toHaveLength(10);

  // Another browser signs in with the password and a recovery code: it has never proved the
  // passkey, so the account's strongest factor is asked for, not the password or a code.
  const other = await browser.newContext({ baseURL: passkeyURL });
  const otherPage = await other.newPage();
  await passwordStep(otherPage, email);
  await otherPage.getByLabel("Recovery code").fill(codes[0]);
  await otherPage.getByRole("button", { name: "Verify" }).click();
  await expect(otherPage).toHaveURL(/\/settings\/sessions$/);
  await ready(otherPage, true);
  const refused = await otherPage.request.post("/api/v1/auth/sessions/revoke-others", {
    data: { password: "correct horse battery staple" },
  });
  expect(refused.status()).toBe(403);
  const body = await refused.json();
  expect(body.error.code).toBe("step_up_required");
  expect(body.error.method).toBe("webauthn");

  await otherPage.getByRole("button", { name: "Sign out all other sessions" }).click();
  const dialog = otherPage.getByRole("dialog");
  await expect(dialog.getByText("Confirm with your passkey first.")).toBeVisible();
  await expect(dialog.getByLabel("Confirm your password")).toHaveCount(0);
  if (javaScriptEnabled) {
    await otherPage.screenshot({ path: path.join(shots, "step-up-passkey.png"), fullPage: true });
  }
  // The same credential in the other browser, as a synced passkey would be.
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  const synced = await virtualAuthenticator(other, otherPage);
  await synced.cdp.send("WebAuthn.addCredential", {
    authenticatorId: synced.authenticatorId,
    credential: credentials[0],
  });
  await dialog.getByRole("button", { name: "Confirm with your passkey" }).click();
  await expect(dialog.getByText("Confirmed with your passkey")).toBeVisible();
  await dialog.getByRole("button", { name: "Sign out other sessions" }).click();
  await expect(dialog).toBeHidden();
  // The first browser is signed out.
  await page.goto("/settings/sessions");
  await expect(page).toHaveURL(/\/login/);
  await other.close();
});

test("without JavaScript the pages say passkeys need it and the other factors keep working", async ({
  page,
  javaScriptEnabled,
}) => {
  test.skip(javaScriptEnabled, "the JavaScript case is above");
  await page.goto("/login");
  await expect(page.getByText("Passkeys need JavaScript.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toBeHidden();
  const email = createUser("passkeys.db");
  await login(page, email, false);
  await page.goto("/settings/security");
  await expect(page.locator("#passkeys").getByText("Passkeys need JavaScript.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Set up authenticator app" })).toBeVisible();
});
