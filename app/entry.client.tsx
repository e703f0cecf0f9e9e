import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { isLanguage, type Language } from "~/modules/i18n/i18n";
import { loadStrings } from "~/modules/i18n/strings.client";

// The server names the languages the page shows (root.tsx); their strings come first.
const languages = (document.documentElement.dataset.strings ?? "").split(" ").filter(isLanguage) as Language[];

void loadStrings(languages.length ? languages : ["en"]).then(() =>
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  }),
);
