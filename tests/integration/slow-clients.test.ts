import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, freePort, startServer, until } from "../support/server-process";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

/**
 * Slow clients (issue 22), on the compiled server as `npm run serve` runs it: a connection that
 * sends part of a request's headers and then nothing is cut off once HTTP_HEADERS_TIMEOUT_SECONDS
 * have passed, and an idle kept-alive connection after HTTP_KEEP_ALIVE_TIMEOUT_SECONDS, while
 * the server goes on answering everyone else. Short timeouts here, so the test is quick; the
 * times are lower bounds (the server must wait that long) with a generous upper bound.
 */
const HEADERS_SECONDS = 1.5;
const KEEP_ALIVE_SECONDS = 2;
const CHECK_SECONDS = 0.25;
/** However slow the machine, a timeout this far past its setting means it did not work. */
const UPPER_BOUND_MS = 20_000;

let url: string;
let close: () => Promise<void>;

/** A raw connection, and what the server sent on it until it closed it. */
async function openSocket(port: number) {
  const socket: Socket = connect(port, "127.0.0.1");
  await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let received = "";
  socket.on("data", (chunk) => (received += chunk));
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now())));
  socket.on("error", () => {}); // a reset is a close too
  return { socket, closed, received: () => received };
}

describe.runIf(testDatabaseKind() === "postgres")("slow clients", () => {
  beforeAll(async () => {
    ensureBuilt();
    const database = await createTestDatabase({ migrate: false });
    close = database.close;
    url = database.url!;
  }, 300_000);
  afterAll(async () => close?.());

  it("cuts off a connection that never finishes its headers, and an idle kept-alive one, while answering others", async () => {
    const port = await freePort();
    const server = startServer(port, {
      DATABASE_URL: url,
      HTTP_HEADERS_TIMEOUT_SECONDS: String(HEADERS_SECONDS),
      HTTP_REQUEST_TIMEOUT_SECONDS: "5",
      HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: String(KEEP_ALIVE_SECONDS),
      HTTP_CONNECTIONS_CHECK_SECONDS: String(CHECK_SECONDS),
    });
    try {
      await until(() => server.output().includes("Pasbort is running"), "the server to start");

      // Part of a request's headers, then silence.
      const opened = Date.now();
      const silent = await openSocket(port);
      silent.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow");
      // Meanwhile another connection is answered as usual.
      const other = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(other.status).toBe(200);
      const closedAt = await Promise.race([silent.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), UPPER_BOUND_MS))]);
      expect(closedAt, "the silent connection was closed").not.toBeNull();
      expect(closedAt! - opened).toBeGreaterThanOrEqual(HEADERS_SECONDS * 1000);
      // Told why, if anything: 408 Request Timeout.
      if (silent.received()) expect(silent.received()).toMatch(/^HTTP\/1\.1 408 /);

      // A whole request on a kept-alive connection, answered, then nothing more sent on it.
      const idle = await openSocket(port);
      idle.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
      await until(() => /\r\n\r\n/.test(idle.received()), "the answer on the kept-alive connection", 10_000);
      const answeredAt = Date.now();
      expect(idle.received()).toMatch(/^HTTP\/1\.1 200 /);
      const idleClosedAt = await Promise.race([idle.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), UPPER_BOUND_MS))]);
      expect(idleClosedAt, "the idle kept-alive connection was closed").not.toBeNull();
      // A little slack below the setting: the server's clock starts when it finished writing, a moment before this saw the answer.
      expect(idleClosedAt! - answeredAt).toBeGreaterThanOrEqual(KEEP_ALIVE_SECONDS * 1000 - 500);

      // And the server is still there for everyone.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      server.child.kill("SIGTERM");
      await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (server.child.exitCode === null) server.child.kill("SIGKILL");
    }
  }, 180_000);

  it("refuses a timeout that is not a number of seconds, naming the setting", async () => {
    const port = await freePort();
    const server = startServer(port, { DATABASE_URL: url, HTTP_HEADERS_TIMEOUT_SECONDS: "soon" });
    try {
      const exited = await Promise.race([server.exited, new Promise<"running">((resolve) => setTimeout(() => resolve("running"), 30_000))]);
      expect(exited).toBe(1);
      expect(server.output()).toContain('HTTP_HEADERS_TIMEOUT_SECONDS: "soon" is not a number of seconds');
    } finally {
      if (server.child.exitCode === null) server.child.kill("SIGKILL");
    }
  }, 60_000);
});
