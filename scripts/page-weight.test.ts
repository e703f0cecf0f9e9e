import { describe, expect, it } from "vitest";
import { sendsScripts } from "./page-weight";

describe("sendsScripts (ADR 0042's guard in the page-weight budget)", () => {
  it("finds each way a page can send React", () => {
    expect(sendsScripts('<script nonce="n">window.__remixContext = {};</script>')).toBe(true);
    expect(sendsScripts('<script type="module" nonce="n">import "/build/entry.client-X.js";</script>')).toBe(true);
    expect(sendsScripts('<script src="/build/x.js"></script>')).toBe(true);
    expect(sendsScripts('<link rel="modulepreload" href="/build/x.js"/>')).toBe(true);
    expect(sendsScripts('<link rel="preload" as="fetch" crossorigin="anonymous" href="/build/strings/x/en/root.json"/>')).toBe(true);
    expect(sendsScripts("<script>a()</script><script>b()</script>")).toBe(true);
  });
  it("allows a page without React its stylesheet and root.tsx's one inline script", () => {
    expect(sendsScripts('<link rel="stylesheet" href="/build/_assets/tailwind-X.css"/><p>Hello</p>')).toBe(false);
    expect(sendsScripts('<link rel="stylesheet" href="/x.css"/><script nonce="n">"serviceWorker"in navigator</script>')).toBe(false);
  });
});
