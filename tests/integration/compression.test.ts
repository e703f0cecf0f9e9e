import { readdirSync, statSync } from "node:fs";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectPath } from "~/modules/project-path.server";
import { startBuiltServer, type BuiltServer } from "../../scripts/built-server";
import { pgliteTemplateFile, testDatabaseKind } from "../support/test-database";

/**
 * Responses compressed as the browser accepts (ADR 0016): pages and loader data on the fly,
 * fingerprinted assets from the copies written at build time, the credits API not at all.
 * The compiled server on its own embedded database, so once (the PGlite run): a copy of the
 * run's migrated, reference-loaded template (a first start is demo-switch.test.ts's).
 */
let server: BuiltServer;

describe.runIf(testDatabaseKind() === "pglite")("compression", () => {
  beforeAll(async () => {
    server = await startBuiltServer({ startFrom: pgliteTemplateFile("reference") });
  }, 300_000);
  afterAll(async () => server?.stop());

  it("sends pages in Brotli when the browser accepts it, in gzip when that is all it accepts", async () => {
    const br = await fetch(`${server.url}/login`, { headers: { "Accept-Encoding": "gzip, deflate, br" } });
    expect(br.headers.get("Content-Encoding")).toBe("br");
    expect(br.headers.get("Vary")).toMatch(/Accept-Encoding/);
    const gzip = await fetch(`${server.url}/login`, { headers: { "Accept-Encoding": "gzip" } });
    expect(gzip.headers.get("Content-Encoding")).toBe("gzip");
    const plain = await fetch(`${server.url}/login`, { headers: { "Accept-Encoding": "identity" } });
    expect(plain.headers.get("Content-Encoding")).toBeNull();
    expect(await plain.text()).toContain("<html");
  });

  it("sends fingerprinted assets from their precompressed copies, cached for a year", async () => {
    // The browser entry of the build the server runs (a page may be sent without scripts, ADR 0042).
    const built = readdirSync(projectPath("public", "build")).filter((name) => /^entry\.client-[\w-]+\.js$/.test(name));
    const newest = built.sort((a, b) => statSync(projectPath("public", "build", b)).mtimeMs - statSync(projectPath("public", "build", a)).mtimeMs)[0];
    expect(newest).toBeDefined();
    const script = `/build/${newest}`;
    const original = await fetch(server.url + script, { headers: { "Accept-Encoding": "identity" } });
    const source = Buffer.from(await original.arrayBuffer());
    expect(original.headers.get("Content-Encoding")).toBeNull();

    const { request } = await import("node:http");
    const get = (encoding: string) =>
      new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        request(server.url + script, { headers: { "Accept-Encoding": encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
          .on("error", reject)
          .end();
      });
    const br = await get("gzip, br");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(br.headers["content-type"]).toMatch(/javascript/);
    expect(brotliDecompressSync(br.body).equals(source)).toBe(true);
    expect(br.body.length).toBeLessThan(source.length);
    const gzip = await get("gzip");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.body).equals(source)).toBe(true);
  });

  it("leaves the credits API's small answers alone (no compression step at all), but compresses the rest of the API", async () => {
    const credits = await fetch(`${server.url}/api/v1/credits`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept-Encoding": "gzip, br" },
      body: "{}",
    });
    expect(credits.status).toBe(401);
    expect(credits.headers.get("Content-Encoding")).toBeNull();
    // The compression middleware marks every answer it considers; the credits API never passes it.
    expect(credits.headers.get("Vary") ?? "").not.toMatch(/Accept-Encoding/);
    const openapi = await fetch(`${server.url}/api/v1/openapi.json`, { headers: { "Accept-Encoding": "gzip, br" } });
    expect(openapi.headers.get("Content-Encoding")).toBe("br");
  });
});
