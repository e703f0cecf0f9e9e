import { describe, expect, it } from "vitest";
import { pageLinkHeader, type PageFilesContext } from "./early-links.server";

const context = (overrides: { lang?: unknown; handle?: unknown } = {}): PageFilesContext => ({
  manifest: {
    version: "abc123",
    entry: { module: "/build/entry.client-E.js", imports: ["/build/_shared/chunk-R.js", "/build/_shared/chunk-S.js"] },
    routes: {
      root: { module: "/build/root-A.js", imports: ["/build/_shared/chunk-S.js", "/build/_shared/chunk-T.js"] },
      "routes/claim._index": { module: "/build/routes/claim._index-B.js" },
      "routes/other": { module: "/build/routes/other-C.js", imports: ["/build/_shared/chunk-U.js"] },
    },
  },
  routeModules: {
    root: {
      links: () => [
        { rel: "stylesheet", href: "/build/_assets/tailwind-X.css" },
        { rel: "icon", href: "/favicon.ico" },
      ],
    },
    "routes/claim._index": { handle: overrides.handle },
  },
  staticHandlerContext: {
    matches: [{ route: { id: "root" } }, { route: { id: "routes/claim._index" } }],
    loaderData: { root: { lang: "lang" in overrides ? overrides.lang : "cy" } },
  },
});

describe("pageLinkHeader", () => {
  it("names the stylesheet, the page's strings and its scripts, once each, for the matched routes only", () => {
    expect(pageLinkHeader(context()).split(", ")).toEqual([
      "</build/_assets/tailwind-X.css>; rel=preload; as=style",
      "</build/strings/abc123/cy/root.json>; rel=preload; as=fetch; crossorigin=anonymous",
      "</build/strings/abc123/cy/routes_claim._index.json>; rel=preload; as=fetch; crossorigin=anonymous",
      "</build/entry.client-E.js>; rel=modulepreload",
      "</build/_shared/chunk-R.js>; rel=modulepreload",
      "</build/_shared/chunk-S.js>; rel=modulepreload",
      "</build/root-A.js>; rel=modulepreload",
      "</build/_shared/chunk-T.js>; rel=modulepreload",
      "</build/routes/claim._index-B.js>; rel=modulepreload",
    ]);
  });

  it("names both languages' strings on a page shown in both, and none when the root has no language", () => {
    const both = pageLinkHeader(context({ handle: { bothLanguages: true } }));
    expect(both).toContain("</build/strings/abc123/cy/routes_claim._index.json>");
    expect(both).toContain("</build/strings/abc123/en/routes_claim._index.json>");
    const none = pageLinkHeader(context({ lang: undefined }));
    expect(none).not.toContain("/build/strings/");
    expect(none).toContain("</build/root-A.js>; rel=modulepreload");
  });
});
