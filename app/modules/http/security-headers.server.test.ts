import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignCspNonce, securityHeaders } from "./security-headers.server";

/** A real Express app with the headers, on a loopback port; `trust proxy` as TRUST_PROXY=loopback sets it. */
let base: string;
let close: () => void;

const nodeEnv = process.env.NODE_ENV;

beforeAll(async () => {
  // As `npm run serve` runs it: HSTS must still depend on the request, not on NODE_ENV.
  process.env.NODE_ENV = "production";
  const app = express();
  app.set("trust proxy", "loopback");
  app.use(assignCspNonce, ...securityHeaders());
  app.get("*", (_req, res) => void res.send("ok"));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => {
  close();
  process.env.NODE_ENV = nodeEnv;
});

describe("security headers", () => {
  it("forbid framing one way only: DENY, as frame-ancestors 'none' says", async () => {
    const response = await fetch(`${base}/`);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("send HSTS only over HTTPS (here, as a trusted proxy reports it)", async () => {
    expect((await fetch(`${base}/`)).headers.get("strict-transport-security")).toBeNull();
    const overHttps = await fetch(`${base}/`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(overHttps.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
  });
});
