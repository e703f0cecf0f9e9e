import { createServer, type AddressInfo } from "node:net";
import { existsSync } from "node:fs";
import { projectPath } from "~/modules/project-path.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { WALES_LSOA_COUNT } from "~/modules/reference/lsoa.server";
import { childProcessesOf, ensureBuilt, freePort, startServer as startCompiledServer, until } from "../support/server-process";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

/**
 * Cluster mode (WEB_CONCURRENCY, PostgreSQL only), as `npm run serve` runs it: the compiled
 * server (build/server/server.js, built here if missing), a supervisor that has one process
 * prepare the database, then starts the servers, replaces one that stops, and stops them all.
 */
let db: DB;
let url: string;
let close: () => Promise<void>;

function startServer(port: number) {
  return startCompiledServer(port, { DATABASE_URL: url, WEB_CONCURRENCY: "2" });
}

/** The server processes the supervisor started. */
function workersOf(supervisor: { pid?: number }) {
  return childProcessesOf(supervisor.pid);
}

describe.runIf(testDatabaseKind() === "postgres")("cluster mode", () => {
  beforeAll(async () => {
    ensureBuilt();
    const database = await createTestDatabase({ migrate: false });
    ({ db, close } = database);
    url = database.url!;
  }, 300_000);
  afterAll(async () => close?.());

  it("prepares the database once, serves from two processes, replaces one that stops, and stops them all", async () => {
    const port = await freePort();
    const server = startServer(port);
    try {
      await until(() => server.output().includes("(2 server processes"), "the servers to start");
      const lsoas = await db
        .selectFrom("lsoa")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(lsoas.n)).toBe(WALES_LSOA_COUNT);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const workers = workersOf(server.child);
      expect(workers).toHaveLength(2);

      process.kill(workers[0]!, "SIGKILL");
      await until(() => server.output().includes(`Server process ${workers[0]} stopped (SIGKILL); starting another.`), "the stop to be noticed");
      await until(() => workersOf(server.child).length === 2 && !workersOf(server.child).includes(workers[0]!), "a new server process");
      await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status === 200, "the port to answer");

      const remaining = workersOf(server.child);
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
      await until(() => remaining.every((pid) => !existsSync(`/proc/${pid}`)), "every server process to stop", 15_000);
    } finally {
      if (server.child.exitCode === null) server.child.kill("SIGKILL");
    }
  }, 120_000);

  it("stops with exit code 1, saying why, when the servers cannot start", async () => {
    const taken = createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => taken.once("listening", resolve));
    const server = startServer((taken.address() as AddressInfo).port);
    try {
      expect(await server.exited).toBe(1);
      expect(server.output()).toContain("is already in use. Stop the other program or set PORT to a free port.");
      expect(server.output()).toContain("A server process stopped while starting; stopping Pasbort.");
    } finally {
      if (server.child.exitCode === null) server.child.kill("SIGKILL");
      taken.close();
    }
  }, 120_000);

  describe("npm run serve by default (no WEB_CONCURRENCY): one server process, supervised", () => {
    it("replaces the server process when it is killed or stops on an uncaught error, says why, and stops cleanly on SIGTERM", async () => {
      const port = await freePort();
      const health = async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status;
      const server = startCompiledServer(port, {
        DATABASE_URL: url,
        // The test's way to make the server process throw an error nobody catches (SIGUSR2).
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${projectPath("tests/support/throw-on-sigusr2.mjs")}`,
      });
      try {
        await until(() => server.output().includes("Pasbort is running"), "the server to start");
        expect(await health()).toBe(200);
        const [first, ...others] = workersOf(server.child);
        expect(others).toEqual([]);

        process.kill(first!, "SIGKILL");
        await until(() => server.output().includes(`Server process ${first} stopped (SIGKILL); starting another.`), "the stop to be noticed");
        await until(() => workersOf(server.child).length === 1 && !workersOf(server.child).includes(first!), "a new server process");
        await until(async () => (await health()) === 200, "the same port to answer again");
        const [second] = workersOf(server.child);

        process.kill(second!, "SIGUSR2");
        await until(() => server.output().includes(`Server process ${second} stopped (exit code 1)`), "the second stop to be noticed");
        expect(server.output()).toContain(`Server process ${second} is stopping because of an error nobody caught: Error: a fault nobody caught`);
        await until(async () => (await health()) === 200 && !workersOf(server.child).includes(second!), "the port to answer again");
        const [third] = workersOf(server.child);

        server.child.kill("SIGTERM");
        expect(await server.exited).toBe(0);
        await until(() => !existsSync(`/proc/${third}`), "the server process to stop", 15_000);
        expect(server.output()).not.toContain(`Server process ${third} stopped`);
      } finally {
        if (server.child.exitCode === null) server.child.kill("SIGKILL");
      }
    }, 120_000);
  });
});
