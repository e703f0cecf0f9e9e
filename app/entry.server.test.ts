import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { handleDataRequest } from "./entry.server";

/** The loader data a page's links fetch (/….data), answered for someone signed in or not. */
async function dataAnswer(signedIn: boolean, headers: HeadersInit = {}) {
  const context = {
    signedIn: signedIn ? ({ user: { id: "u" }, session: { id: "s" } } as unknown as AppLoadContext["signedIn"]) : null,
    cspNonce: "n",
    clientAddress: "127.0.0.1",
  };
  const request = new Request("http://pasbort.test/coordinator.data");
  return handleDataRequest(new Response("{}", { headers }), { request, context, params: {} });
}

describe("loader data", () => {
  it("is never stored when someone is signed in, whatever the route said", async () => {
    expect((await dataAnswer(true)).headers.get("Cache-Control")).toBe("no-store");
    expect((await dataAnswer(true, { "Cache-Control": "public, max-age=300" })).headers.get("Cache-Control")).toBe("no-store");
  });

  it("keeps a public page's own caching for someone signed out", async () => {
    expect((await dataAnswer(false)).headers.get("Cache-Control")).toBeNull();
    expect((await dataAnswer(false, { "Cache-Control": "public, max-age=300" })).headers.get("Cache-Control")).toBe("public, max-age=300");
  });
});
