import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBuiltServer, type BuiltServer } from "../../scripts/built-server";
import { pgliteTemplateFile, testDatabaseKind } from "../support/test-database";

/**
 * Long pages reach the browser as the exact UTF-8 React rendered: no NUL byte (React 18 padded
 * a 2,048-byte chunk with them where a "–" or "ŵ" fell across it; app/modules/http/html-stream.server.ts),
 * whatever the compression. The equity report in every breakdown and period, in Welsh and English,
 * for the whole area and for one school: long pages full of dashes and Welsh letters. The compiled
 * server on the demo data, so once (the PGlite run), seeded by DEMO=1 into a copy of the run's
 * migrated, reference-loaded template: a first start on an empty folder is demo-switch.test.ts's.
 */
let server: BuiltServer;

function get(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on("error", reject)
      .end();
  });
}

async function signIn(email: string) {
  const response = await fetch(`${server.url}/login`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({ email, password: "pasbort-demo" }),
  });
  expect(response.status).toBe(302);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

describe.runIf(testDatabaseKind() === "pglite")("long pages", () => {
  beforeAll(async () => {
    server = await startBuiltServer({ demo: true, startFrom: pgliteTemplateFile("reference") });
  }, 300_000);
  afterAll(async () => server?.stop());

  it("hold no NUL byte and are valid UTF-8, compressed or not, in both languages", { timeout: 600_000 }, async () => {
    const decoders: Record<string, (body: Buffer) => Buffer> = { br: brotliDecompressSync, gzip: gunzipSync, identity: (body) => body };
    let pages = 0;
    let longest = 0;
    for (const email of ["viewer@demo.test", "school@demo.test"]) {
      const cookie = await signIn(email);
      for (const lang of ["cy", "en"]) {
        for (const by of ["quintile", "decile", "la", "school", "provider", "category"]) {
          for (const encoding of Object.keys(decoders)) {
            // The academic year: the longest pages (a term's is the same page with smaller figures).
            const url = `${server.url}/reports/equity?period=year&by=${by}&lang=${lang}`;
            const page = await get(url, { Cookie: cookie, "Accept-Encoding": encoding }).catch((error: Error) => {
              throw new Error(`${url} ${encoding}: ${error.message}\n${server.output().slice(-3000)}`);
            });
            expect(page.status).toBe(200);
            expect(page.headers["content-encoding"] ?? "identity").toBe(encoding);
            const html = decoders[encoding]!(page.body);
            const where = `${email} ${lang} ${by} ${encoding}: NUL at byte ${html.indexOf(0)}`;
            expect(html.indexOf(0), where).toBe(-1);
            expect(utf8.decode(html)).toContain(`<html lang="${lang}"`);
            longest = Math.max(longest, html.byteLength);
            pages++;
          }
        }
      }
    }
    expect(pages).toBe(72);
    // Long enough to cross many of React's 2,048-byte chunks.
    expect(longest).toBeGreaterThan(40_000);
  });
});
