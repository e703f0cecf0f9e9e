import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { isLanguage, type Language } from "~/modules/i18n/i18n";
import { loadStrings } from "~/modules/i18n/strings.client";

// The server names the languages the page shows and its routes (root.tsx); their strings come first.
const languages = (document.documentElement.dataset.strings ?? "").split(" ").filter(isLanguage) as Language[];
const routeIds = (document.documentElement.dataset.stringRoutes ?? "root").split(" ").filter(Boolean);

/**
 * Remix's single fetch decodes the page's data in RemixBrowser's first render, which suspends
 * until it is done. A key press or tap in that moment makes React 18 hydrate synchronously, and
 * a synchronous render cannot suspend: "Root did not complete" (React error #345) and a page
 * left without its scripts (remix-run/remix#10214, open). Starting the decoding here, and
 * hydrating once it is done, closes that window: RemixBrowser throws its pending decode before
 * it uses any hook, so calling it outside React does nothing else.
 */
async function pageDataDecoded() {
  try {
    RemixBrowser({});
  } catch (thrown) {
    if (thrown && typeof (thrown as PromiseLike<unknown>).then === "function") await thrown;
  }
}

// A navigation overtaken by another (a second tap before the first page came) aborts its
// requests; the root's client loader (strings by route) then leaves an AbortError nobody awaits.
// That is no fault of the page: keep it out of the console, as the router itself ignores it.
window.addEventListener("unhandledrejection", (event) => {
  if (event.reason instanceof DOMException && event.reason.name === "AbortError") event.preventDefault();
});

void Promise.all([loadStrings(languages.length ? languages : ["en"], routeIds), pageDataDecoded()]).then(() =>
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  }),
);
