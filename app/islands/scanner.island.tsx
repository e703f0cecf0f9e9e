/**
 * The scanner's island (ADR 0046): the page is drawn by the server like every other and sent
 * without Remix's client; this module brings the scanner component (the camera, the offline
 * queue) to life with Preact, from the props the route wrote beside it.
 */
import { hydrateRoot } from "react-dom/client";
import { HYDRATED_MARK } from "~/components/hydration-mark";
import { Scanner } from "~/components/scanner/scanner";
import { addStrings, isLanguage } from "~/modules/i18n/i18n";
import { islandPropsId, islandRootId } from "~/modules/islands/island-props";

/** The strings root.tsx preloaded for the page: its routes' files, in its languages. */
async function loadPageStrings() {
  const links = document.querySelectorAll<HTMLLinkElement>('link[rel="preload"][as="fetch"][href*="/build/strings/"]');
  await Promise.all(
    [...links].map(async (link) => {
      // /build/strings/<version>/<language>/<route>.json (string-files.ts)
      const language = new URL(link.href).pathname.split("/")[4];
      const response = await fetch(link.href);
      if (!response.ok || !isLanguage(language)) throw new Error(`The strings at ${link.href} answered ${response.status}.`);
      addStrings(language, (await response.json()) as Record<string, unknown>);
    }),
  );
}

const container = document.getElementById(islandRootId("scanner"));
const props = document.getElementById(islandPropsId("scanner"))?.textContent;
if (container && props) {
  void loadPageStrings().then(() => {
    hydrateRoot(container, <Scanner {...(JSON.parse(props) as Parameters<typeof Scanner>[0])} />);
    if (performance.getEntriesByName(HYDRATED_MARK).length === 0) performance.mark(HYDRATED_MARK);
  });
}
