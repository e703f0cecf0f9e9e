import { describe, expect, it } from "vitest";
import { downloadResponse } from "./download.server";

/** The file name a browser saves, from Content-Disposition as RFC 6266 reads it: filename* first, else filename. */
function savedName(disposition: string) {
  const extended = disposition.match(/filename\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]+)(?:;|$)/);
  if (extended) return decodeURIComponent(extended[1]!);
  return disposition.match(/filename="([^"]*)"/)?.[1] ?? null;
}

describe("a download's file name", () => {
  const disposition = (name: string) => downloadResponse("x", "application/pdf", name).headers.get("Content-Disposition")!;

  it("keeps the dash, the apostrophe and the Welsh letters in the UTF-8 name", () => {
    const name = "Gŵyl Raddio'r Haf 2026 – certificates, all schools (2).pdf";
    const header = disposition(name);
    expect(savedName(header)).toBe(name);
    // RFC 5987: the value is attr-chars and %-escapes only ("'", "(", ")" and "*" escaped too).
    expect(header.split("filename*=UTF-8''")[1]).toMatch(/^[A-Za-z0-9!#$&+.^_`|~%-]+$/);
  });

  it("gives browsers without filename* an ASCII name that keeps the dash", () => {
    expect(disposition("Gŵyl Raddio'r Haf – Ysgol Siôn.pdf")).toMatch(/^attachment; filename="Gwyl Raddio'r Haf - Ysgol Sion\.pdf"; /);
    expect(disposition('Tŷ "Pawb" \\ — 2026.pdf').startsWith('attachment; filename="Ty Pawb  - 2026.pdf"; ')).toBe(true);
  });
});
