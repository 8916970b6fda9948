import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createHmac, randomUUID } from "node:crypto";
import * as path from "node:path";
import { Browser, BrowserContext, Page, expect } from "@playwright/test";

const root = path.resolve(__dirname, "../..");
export const PASSWORD = "correct horse battery staple";

export const USER_AGENTS = {
  firefoxLinux:
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  chromeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
};

/** Creates an account with the real `active-sessions user add` command (in the database file
 * `db` of target/e2e); returns its email. */
export function createUser(db = "e2e.db"): string {
  const email = `e2e-${randomUUID()}@example.com`;
  execFileSync(path.join(root, "target/debug/active-sessions"), ["user", "add", email], {
    input: `${PASSWORD}\n`,
    env: { ...process.env, DATABASE_URL: `sqlite://${path.join(root, "target/e2e", db)}` },
  });
  return email;
}

/** Moves the last use of `email`'s sessions with `userAgent` back by `days`, in the e2e database. */
export function ageSession(email: string, userAgent: string, days: number) {
  const db = path.join(root, "target/e2e/e2e.db");
  const script = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=10)
db.execute("UPDATE sessions SET last_seen_at = last_seen_at - ?, created_at = created_at - ? "
           "WHERE user_agent = ? AND user_id = (SELECT id FROM users WHERE email = ?)",
           (int(sys.argv[2]) * 86400, int(sys.argv[2]) * 86400, sys.argv[3], sys.argv[4]))
db.commit()
`;
  execFileSync("python3", ["-c", script, db, String(days), userAgent, email]);
}

/** Waits for hydration when JavaScript is on. */
export async function ready(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) {
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  }
}

/** Signs in through the login form. */
export async function login(page: Page, email: string, javaScriptEnabled = true) {
  await submitPassword(page, email, javaScriptEnabled);
  await expect(page).toHaveURL(/\/settings\/sessions$/);
  await ready(page, javaScriptEnabled);
}

/** Fills `/login` with `email` and the tests' password and submits it. */
async function submitPassword(page: Page, email: string, javaScriptEnabled: boolean) {
  await page.goto("/login");
  await ready(page, javaScriptEnabled);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** The password step of an account with two-step sign-in: ends on the second step's form. */
export async function passwordStep(page: Page, email: string, javaScriptEnabled = true) {
  await submitPassword(page, email, javaScriptEnabled);
  await expect(page).toHaveURL(/\/login\?step=code/);
  await expect(page.locator("#second-step")).toBeVisible();
  await ready(page, javaScriptEnabled);
}

/** A new browser context with `userAgent`, signed in as `email`. */
export async function signedInContext(
  browser: Browser,
  email: string,
  userAgent: string,
  javaScriptEnabled: boolean,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ userAgent, javaScriptEnabled });
  const page = await context.newPage();
  await login(page, email, javaScriptEnabled);
  return { context, page };
}

/** A message received by the test SMTP server (aiosmtpd, see tests/smtp/server.py). */
export interface Mail {
  rcpt_tos: string[];
  subject: string;
  text: string | null;
  html: string | null;
}

/** Waits until `count` messages for `to` arrived at the test SMTP server; returns them. */
export async function waitForMail(to: string, count = 1): Promise<Mail[]> {
  const dir = path.join(root, "target/e2e/mail");
  const deadline = Date.now() + 20_000;
  for (;;) {
    const mails: Mail[] = [];
    for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
      if (!name.endsWith(".json") || name.startsWith(".")) continue;
      const mail = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as Mail;
      if (mail.rcpt_tos.includes(to)) mails.push(mail);
    }
    if (mails.length >= count) return mails;
    if (Date.now() > deadline) throw new Error(`expected ${count} message(s) for ${to}, got ${mails.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** RFC 4648 base32 (no padding), as the page shows the secret. */
function base32Decode(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.replace(/=+$/, "").toUpperCase()) {
    const index = alphabet.indexOf(c);
    if (index < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (SHA-1, 6 digits, 30 s) of `secret` at `at` milliseconds, as an app shows it. */
export function totp(secret: string, at: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}
