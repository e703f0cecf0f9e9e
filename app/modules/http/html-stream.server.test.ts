import { PassThrough, type Writable } from "node:stream";
import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { htmlBodyStream } from "./html-stream.server";

/**
 * A page of hidden cells ("–", three bytes in UTF-8), shifted by `padding` bytes so that, for
 * one of the paddings, a dash falls across one of React's 2,048-byte buffers.
 */
function page(padding: number) {
  const cells = Array.from({ length: 600 }, (_, i) => createElement("td", { key: i }, "–"));
  return createElement("table", null, createElement("caption", null, "x".repeat(padding)), createElement("tbody", null, createElement("tr", null, cells)));
}

function render(padding: number, body: Writable & NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on("data", (chunk: Buffer) => chunks.push(chunk));
    body.on("end", () => resolve(Buffer.concat(chunks)));
    body.on("error", reject);
    const { pipe } = renderToPipeableStream(page(padding), { onAllReady: () => pipe(body), onError: reject });
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

describe("the page's HTML as React streams it", () => {
  it("React 18 on its own leaves NUL bytes where a dash falls across its buffer (the bug this stream repairs)", async () => {
    const withNul: number[] = [];
    for (let padding = 0; padding < 16; padding++) if ((await render(padding, new PassThrough())).includes(0)) withNul.push(padding);
    // If this fails, React no longer has the bug (fixed in React 19, facebook/react#26228): htmlBodyStream's repair can go.
    expect(withNul.length).toBeGreaterThan(0);
  });

  it("holds no NUL byte and is valid UTF-8 wherever the dashes fall", async () => {
    for (let padding = 0; padding < 16; padding++) {
      const bytes = await render(padding, htmlBodyStream());
      expect(bytes.includes(0), `padding ${padding}`).toBe(false);
      const text = utf8.decode(bytes);
      expect(text.match(/–/g)).toHaveLength(600);
      expect(text).toContain(`<caption>${"x".repeat(padding)}</caption>`);
    }
  });
});
