// Shared pieces of the browser tests: the real servers (harness/local_stack.py: nginx with both
// programs), the web root they serve, and Debian's Chromium driven by playwright-core.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BUILD = path.join(ROOT, "build", "web");
export const WWW = path.join(BUILD, "www");

// The folder nginx serves: the shipped web files, plus pages the tests add.
export function prepareWebRoot(extraFiles = {}) {
  fs.mkdirSync(WWW, { recursive: true });
  for (const name of ["heartbeat.js", "demo.html"]) {
    fs.copyFileSync(path.join(ROOT, "web", name), path.join(WWW, name));
  }
  for (const [name, content] of Object.entries(extraFiles)) {
    fs.mkdirSync(path.dirname(path.join(WWW, name)), { recursive: true });  // "csp/card.html"
    fs.writeFileSync(path.join(WWW, name), content);
  }
}

let stacks = 0;

export class Stack {
  // nginxLines: more lines of nginx's server block (another listen, headers for some pages).
  constructor(configLines = [], nginxLines = []) {
    this.dir = path.join(BUILD, `stack-${process.pid}-${stacks++}`);
    fs.rmSync(this.dir, { recursive: true, force: true });
    const args = ["-m", "harness.local_stack", "start", this.dir, "--web", WWW];
    for (const line of configLines) args.push("--config", line);
    for (const line of nginxLines) args.push("--nginx", line);
    this.url = execFileSync("python3", args, { cwd: ROOT, encoding: "utf8" }).trim();
    this.token = fs.readFileSync(path.join(this.dir, "token"), "utf8").trim();
  }

  stop() {
    execFileSync("python3", ["-m", "harness.local_stack", "stop", this.dir], { cwd: ROOT });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  // extra: more fields of the heartbeat body, such as { note: {...} } or { note: null }.
  async heartbeat(state, device = "laptop", extra = {}) {
    const response = await fetch(`${this.url}/cgi-bin/heartbeat.fcgi`, {
      method: "POST",
      headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ device, state, ...extra }),
    });
    if (response.status !== 200) throw new Error(`heartbeat: ${response.status} ${await response.text()}`);
  }

  // Two weeks of history (needs history_days): every minute of the UTC hours 00-08 of each
  // weekday (by UTC date) of the last 14 days, written into the programs' own database as
  // their heartbeats would have (the server takes no time from a client, so the past can only
  // be written here). In a zone of UTC+9 without summer time (Asia/Tokyo) that is Mon-Fri
  // 09:00-18:00.
  seedWorkdays() {
    const today = Math.floor(Date.now() / 86400000);
    this.seeded = [];
    for (let day = today - 14; day < today; day++) {
      const weekday = new Date(day * 86400000).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      for (let hour = 0; hour < 9; hour++) this.seeded.push(day * 86400 + hour * 3600);
    }
    const rows = this.seeded.map((hour) => `(${hour}, ${(1n << 60n) - 1n})`);
    execFileSync("sqlite3", [path.join(this.dir, "heartbeat.db"),
      `INSERT OR REPLACE INTO active_minutes (hour_s, minutes) VALUES ${rows.join(", ")};`]);
  }

  // What the server answers for the seeded hours at `nowMs`, by the rule of docs/protocol.md
  // ("Usual hours"), written here on its own: each cell is the share of the days on which that
  // local hour has been, from the first hour with data to now, on which it was active. So the
  // tests expect what the rule says at the moment they ask, on any day and at any hour.
  // Asia/Tokyo has no summer time: a local hour is a UTC hour 9 hours on.
  expectedShares(nowMs) {
    const localHour = (utcSeconds) => Math.floor(utcSeconds / 3600) + 9;
    const active = new Set(this.seeded.map(localHour));
    const seen = Array.from({ length: 7 }, () => new Array(24).fill(0));
    const hits = Array.from({ length: 7 }, () => new Array(24).fill(0));
    for (let hour = Math.min(...active); hour <= localHour(nowMs / 1000); hour++) {
      const weekday = (Math.floor(hour / 24) + 3) % 7;  // day 0, 1 January 1970, was a Thursday
      seen[weekday][hour % 24] += 1;
      if (active.has(hour)) hits[weekday][hour % 24] += 1;
    }
    return seen.map((row, d) => row.map((n, h) => (n ? Math.round((100 * hits[d][h]) / n) / 100 : 0)));
  }

  // Status requests of one format (?format=hours) that reached nginx.
  formatRequestsSeen(format) {
    const log = path.join(this.dir, "nginx-access.log");
    if (!fs.existsSync(log)) return 0;
    return fs.readFileSync(log, "utf8").split("\n")
      .filter((line) => line.includes(`"GET /cgi-bin/status.fcgi?format=${format} `)).length;
  }

  // Status requests that reached nginx (the browser's cache answers the others).
  statusRequestsSeen() {
    const log = path.join(this.dir, "nginx-access.log");
    if (!fs.existsSync(log)) return 0;
    return fs.readFileSync(log, "utf8").split("\n")
      .filter((line) => line.includes('"GET /cgi-bin/status.fcgi ')).length;
  }

  // Replaces the config (by rename, as the programs expect) and waits until it is looked at.
  async writeConfig(text) {
    const file = path.join(this.dir, "heartbeat.conf");
    fs.writeFileSync(file + ".tmp", text);
    fs.renameSync(file + ".tmp", file);
    await new Promise((resolve) => setTimeout(resolve, 1100));
  }
}

// Waits until every card of `selector` has its answer (a state other than "unknown").
export async function settled(page, selector = "[data-heartbeat-src]") {
  await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].every((el) => el.dataset.state && el.dataset.state !== "unknown"), selector);
}

// The visible text of each part of the first card of `selector` (null when the part is hidden
// or absent): heartbeat.js's element, or the React card's .hb.
export function parts(page, selector = "[data-heartbeat-src]") {
  return page.locator(selector).first().evaluate((el) => {
    const text = (name) => { const node = el.querySelector(`.hb-${name}`); return node && !node.hidden ? node.textContent : null; };
    return { state: el.dataset.state, label: text("label"), activity: text("activity"), note: text("note"), meta: text("meta"), usual: text("usual") };
  });
}

// Playwright gives each launch a fresh, empty profile of its own.
export function launchBrowser() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// A page that records console warnings.
export async function newPage(context) {
  const page = await context.newPage();
  page.warnings = [];
  page.on("console", (message) => {
    if (message.type() === "warning") page.warnings.push(message.text());
  });
  return page;
}

// A loopback port that nothing listens on (it was free a moment ago).
export function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
