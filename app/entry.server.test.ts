import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import handleRequest, { handleDataRequest, handleError } from "./entry.server";
import type { EntryContext } from "@remix-run/node";
import { translator } from "~/modules/i18n/i18n";

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

describe("a page whose loader found the database away", () => {
  const context = { signedIn: null, cspNonce: "n", clientAddress: "127.0.0.1" };
  // Only what the 503 page reads of Remix's context: the root route's stylesheet.
  const remixContext = { routeModules: { root: { links: () => [{ rel: "stylesheet", href: "/build/app.css" }] } } } as unknown as EntryContext;

  it("is the 503 page in the reader's language, not the error boundary's 500", async () => {
    const request = new Request("http://pasbort.test/activities", { headers: { "Accept-Language": "cy" } });
    handleError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }), { request, context, params: {} });
    const response = await handleRequest(request, 500, new Headers(), remixContext, context);
    expect(response.status).toBe(503);
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
    const html = await response.text();
    expect(html).toContain('<html lang="cy">');
    expect(html).toContain(translator("cy")("errors.unavailableTitle").replaceAll("'", "&#39;"));
  });

  it("leaves any other fault to the error boundary", async () => {
    const request = new Request("http://pasbort.test/activities");
    handleError(Object.assign(new Error("division by zero"), { code: "22012" }), { request, context, params: {} });
    // The boundary's render needs the whole of Remix's context: that it is attempted is enough here.
    await expect(handleRequest(request, 500, new Headers(), remixContext, context)).rejects.toThrow();
  });
});
