import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { resourceActionHandler } from "./direct-route.server";

type Action = NonNullable<ServerBuild["routes"][string]["module"]["action"]>;

function buildWith(route: { path: string; action?: Action; default?: () => null }): ServerBuild {
  const { path, ...module } = route;
  return { routes: { "routes/thing": { id: "routes/thing", path, module } } } as unknown as ServerBuild;
}

const servers: Array<{ close: () => void }> = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

/** Serves the route on a loopback port and returns its address. */
async function serve(build: ServerBuild) {
  const app = express();
  app.post(
    "/thing",
    resourceActionHandler(build, "routes/thing", (req) => ({ signedIn: null, cspNonce: "n", clientAddress: req.ip ?? "unknown" })),
  );
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(500).send(`failed: ${error.message}`));
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/thing`;
}

describe("resourceActionHandler", () => {
  it("hands the action the request (method, headers, body, context) and sends its Response as it is", async () => {
    const url = await serve(
      buildWith({
        path: "thing",
        action: async ({ request, context }) =>
          Response.json(
            { method: request.method, auth: request.headers.get("authorization"), body: await request.json(), context },
            { status: 201, headers: { "Cache-Control": "no-store", "Content-Language": "cy" } },
          ),
      }),
    );
    const response = await fetch(url, {
      method: "POST",
      headers: { Authorization: "Bearer pbt_x", "Content-Type": "application/json" },
      body: JSON.stringify({ ŵ: "ŷ" }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-language")).toBe("cy");
    expect(await response.json()).toEqual({
      method: "POST",
      auth: "Bearer pbt_x",
      body: { ŵ: "ŷ" },
      context: { signedIn: null, cspNonce: "n", clientAddress: "127.0.0.1" },
    });
  });

  it("sends a Response the action throws, and passes anything else on as an error", async () => {
    const thrown = await serve(buildWith({ path: "thing", action: () => Promise.reject(new Response("nope", { status: 403 })) }));
    const refused = await fetch(thrown, { method: "POST" });
    expect([refused.status, await refused.text()]).toEqual([403, "nope"]);

    const broken = await serve(buildWith({ path: "thing", action: () => ({ not: "a Response" }) as unknown as Response }));
    const failed = await fetch(broken, { method: "POST" });
    expect([failed.status, await failed.text()]).toEqual([500, "failed: routes/thing: the action did not answer with a Response."]);
  });

  it("refuses at start-up a route it cannot serve: no action, URL parameters, or a page", () => {
    const context = () => ({ signedIn: null, cspNonce: "n", clientAddress: "unknown" });
    expect(() => resourceActionHandler(buildWith({ path: "thing" }), "routes/thing", context)).toThrow(/not a resource route/);
    expect(() => resourceActionHandler(buildWith({ path: "thing/:id", action: () => new Response() }), "routes/thing", context)).toThrow(
      /not a resource route/,
    );
    expect(() => resourceActionHandler(buildWith({ path: "thing", action: () => new Response(), default: () => null }), "routes/thing", context)).toThrow(
      /not a resource route/,
    );
    expect(() => resourceActionHandler(buildWith({ path: "thing" }), "routes/other", context)).toThrow(/not a resource route/);
  });
});
