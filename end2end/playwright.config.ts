import { defineConfig } from "@playwright/test";
import * as path from "node:path";

// The server under test: the debug build of this repository (built by `cargo leptos build`),
// on its own port with a fresh SQLite file, started and stopped by Playwright.
const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${port}`;
const root = path.resolve(__dirname, "..");
// The real SMTP server (aiosmtpd) the app sends sign-in alerts to; messages land in smtpDir.
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 3125);
export const smtpDir = path.join(root, "target/e2e/mail");
// Passkeys need a domain (WebAuthn refuses 127.0.0.1 as the relying party): a second server on
// http://localhost with its own port, database and PUBLIC_URL (passkeys.spec.ts).
const passkeyPort = Number(process.env.E2E_PASSKEY_PORT ?? 3102);
export const passkeyURL = `http://localhost:${passkeyPort}`;

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    launchOptions: chromium,
    trace: "retain-on-failure",
  },
  projects: [
    { name: "js-on", use: { javaScriptEnabled: true } },
    { name: "js-off", use: { javaScriptEnabled: false } },
  ],
  webServer: [
    {
      command: `bash -c 'rm -rf "${smtpDir}" && exec "${root}/.venv/bin/python" "${root}/tests/smtp/server.py" --port ${smtpPort} --dir "${smtpDir}"'`,
      port: smtpPort,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `bash ${path.join(__dirname, "start-server.sh")}`,
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        E2E_ROOT: root,
        LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
        LEPTOS_SITE_ROOT: path.join(root, "target/site"),
        LEPTOS_OUTPUT_NAME: "active-sessions",
        DATABASE_URL: `sqlite://${path.join(root, "target/e2e/e2e.db")}`,
        // Short enough that the "sign out all others" test exercises re-authentication.
        REAUTH_WINDOW_SECS: "600",
        // The whole suite signs in from 127.0.0.1, and a password step whose second step is never
        // sent (the specs try wrong codes, expired steps) stays a failure of that address.
        LOGIN_MAX_FAILURES: "50",
        // 90 days unused, 120 days at most: a session unused for 30+ days is still listed (stale).
        SESSION_IDLE_TIMEOUT_SECS: "7776000",
        SESSION_ABSOLUTE_TIMEOUT_SECS: "10368000",
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        MAIL_FROM: "Active sessions <alerts@example.com>",
        PUBLIC_URL: baseURL,
        // A key for the e2e database only (two-step secrets are sealed with it).
        SECRETS_KEY: "tATK6lt7ytTnmJdTqdr95AMJPUFdbTXNVVJlFDKsgko=",
        RUST_LOG: "warn",
      },
    },
    {
      command: `bash ${path.join(__dirname, "start-server.sh")}`,
      url: `${passkeyURL}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        E2E_ROOT: root,
        E2E_DB: "passkeys.db",
        LEPTOS_SITE_ADDR: `127.0.0.1:${passkeyPort}`,
        LEPTOS_SITE_ROOT: path.join(root, "target/site"),
        LEPTOS_OUTPUT_NAME: "active-sessions",
        DATABASE_URL: `sqlite://${path.join(root, "target/e2e/passkeys.db")}`,
        REAUTH_WINDOW_SECS: "600",
        LOGIN_MAX_FAILURES: "50",
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        MAIL_FROM: "Active sessions <alerts@example.com>",
        PUBLIC_URL: passkeyURL,
        SECRETS_KEY: "tATK6lt7ytTnmJdTqdr95AMJPUFdbTXNVVJlFDKsgko=",
        RUST_LOG: "warn",
      },
    },
  ],
});
