import { expect, test } from "@playwright/test";
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { baseURL } from "../playwright.config";
import { USER_AGENTS, createUser, login, ready, signedInContext } from "./support";

const cli = path.resolve(__dirname, "../../target/debug/active-sessions-cli");

// SEC-31: a browser-approved grant becomes an ordinary, revocable `cli` session.
test("the real CLI logs in through the browser, lists, revokes, and its session appears and disappears", async ({
  browser,
  page,
  javaScriptEnabled,
}) => {
  const configDir = mkdtempSync(path.join(tmpdir(), "as-cli-"));
  const env = { ...process.env, ACTIVE_SESSIONS_CONFIG_DIR: configDir, ACTIVE_SESSIONS_URL: baseURL };
  const email = createUser();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  await login(page, email, javaScriptEnabled);
  const firefox = await signedInContext(browser, email, USER_AGENTS.firefoxLinux, javaScriptEnabled);

  // `login` prints the approval URL, then waits for the approval.
  const child = spawn(cli, ["login"], { env });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  await expect.poll(() => output, { timeout: 15_000 }).toMatch(/approve\?code=[A-Z]{4}-[A-Z]{4}/);
  const url = output.match(/(http:\/\/\S+\/cli\/approve\?code=[A-Z-]+)/)![1];

  await page.goto(url);
  await ready(page, javaScriptEnabled).catch((e) => {
    throw new Error(`${e}\nbrowser errors: ${problems.join("\n")}`);
  });
  await expect(page.getByRole("heading", { name: /active-sessions CLI on Linux wants to sign in/ })).toBeVisible();
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText("Approved.")).toBeVisible();
  expect(await exited).toBe(0);
  expect(output).toContain("Logged in.");
  // The token file is private to the user.
  expect(statSync(path.join(configDir, "credentials.json")).mode & 0o777).toBe(0o600);

  const listed = execFileSync(cli, ["sessions", "list"], { env }).toString();
  expect(listed).toMatch(/\bcli\s+yes\b/);
  expect(listed).toMatch(/\bweb\b/);
  const cliId = listed.split("\n").find((line) => /\bcli\s+yes\b/.test(line))!.split(/\s+/)[0];

  // SEC-08: the saved token is only ever sent to the server that issued it, and plain http only
  // to loopback: a decoy server named with --server receives nothing.
  const seen: string[] = [];
  const decoy = createServer((req, res) => {
    seen.push(req.headers.authorization ?? "(no authorization)");
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => decoy.listen(0, "127.0.0.1", resolve));
  const decoyUrl = `http://127.0.0.1:${(decoy.address() as AddressInfo).port}`;
  const refusal = (args: string[]) => {
    try {
      execFileSync(cli, args, { env, stdio: "pipe" });
    } catch (e) {
      return String((e as { stderr: Buffer }).stderr);
    }
    throw new Error(`the CLI accepted ${args.join(" ")}`);
  };
  expect(refusal(["--server", decoyUrl, "sessions", "list"])).toMatch(/logged in to/);
  expect(refusal(["--server", "http://sessions.example", "sessions", "list"])).toMatch(/http/);
  decoy.close();
  expect(seen).toEqual([]);

  // `sessions revoke ID` ends another device at once.
  // The same names, places and times as the page.
  expect(listed).toMatch(/active-sessions CLI on Linux\s+127\.0\.0\.1 · location unknown\s+Active now/);
  const firefoxId = listed.split("\n").find((line) => line.includes("Firefox 132 on Ubuntu"))!.split(/\s+/)[0];
  const revoked = execFileSync(cli, ["sessions", "revoke", firefoxId], { env }).toString();
  expect(revoked).toContain(firefoxId);
  expect(execFileSync(cli, ["sessions", "list"], { env }).toString()).not.toContain(firefoxId);
  // `sessions history`: what ended, and how.
  const history = execFileSync(cli, ["sessions", "history"], { env }).toString();
  expect(history).toMatch(/Firefox 132 on Ubuntu\s+Revoked from active-sessions CLI on Linux/);
  await firefox.page.goto("/settings/sessions");
  await expect(firefox.page).toHaveURL(/\/login/);
  await firefox.context.close();

  // `sessions rename ID LABEL`: the name becomes the row's title on the page.
  const renamed = execFileSync(cli, ["sessions", "rename", cliId, "Build server"], { env }).toString();
  expect(renamed).toContain('named "Build server"');

  await page.goto("/settings/sessions?kind=cli");
  await ready(page, javaScriptEnabled);
  const row = page.locator(`li.session[data-session-id="${cliId}"]`);
  await expect(row.locator(".session-name")).toContainText("Build server");
  await expect(row).toContainText("active-sessions CLI on Linux");
  // Where it came from: the browser that approved it.
  await expect(row.locator(".approved-from")).toContainText("Approved from HeadlessChrome");
  await expect(row).toContainText("CLI");

  // The CLI refuses to revoke its own session without --confirm-current, then logs out.
  expect(() => execFileSync(cli, ["sessions", "revoke", cliId], { env, stdio: "pipe" })).toThrow();
  execFileSync(cli, ["logout"], { env });
  await page.reload();
  await ready(page, javaScriptEnabled);
  await expect(row).toHaveCount(0);
  await expect(page.getByText("No CLI sessions.")).toBeVisible();
  expect(() => execFileSync(cli, ["sessions", "list"], { env, stdio: "pipe" })).toThrow();
});
