import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ClientLoaderFunctionArgs, ShouldRevalidateFunction } from "@remix-run/react";
import {
  isRouteErrorResponse,
  Link,
  Links,
  LiveReload,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { useHydrationMark } from "~/components/hydration-mark";
import { useNonce } from "~/components/nonce";
import { pageNeedsScripts, pageNeedsStrings } from "~/components/page-scripts";
import { SiteLayout } from "~/components/site-layout";
import { homePathFor, loadActor, signedInChild } from "~/modules/accounts/actor.server";
import { db } from "~/modules/db/db.server";
import { holdsDemoData } from "~/modules/db/demo-marker.server";
import { isLanguage, pageLanguages, translator } from "~/modules/i18n/i18n";
import { titleText } from "~/modules/i18n/page-title";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { stringsFileUrl, useBuildVersion } from "~/modules/i18n/string-files";
import { hasStrings, loadStrings, routeIdsAt } from "~/modules/i18n/strings.client";
import { pageLanguage, useTranslate } from "~/modules/i18n/use-translate";
import { FORGET_SCANNER_PAGES_SCRIPT } from "~/modules/scanner/offline";
import stylesheet from "~/tailwind.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesheet }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const lang = await resolveLanguage(request);
  // A child signed in with their own card sees only their own pages (issue 16).
  const child = signedInChild(context.signedIn);
  const actor = context.signedIn && !child ? await loadActor(db(), context.signedIn) : null;
  const user = child
    ? { displayName: context.signedIn!.user.displayName, role: "child", home: "/me" }
    : actor
      ? { displayName: actor.displayName, role: actor.membership?.role ?? null, home: homePathFor(actor.membership) }
      : null;
  // From the database, not the DEMO setting: a demo database shows its banner however it was started.
  const demo = await holdsDemoData(db());
  return { lang, siteName: translator(lang)("meta.siteName"), user, demo };
}

/** The language the browser shows now (the root's data as rendered: Layout). */
const shownLanguage = () => (isLanguage(document.documentElement.lang) ? document.documentElement.lang : "en");

/**
 * A page whose routes' strings the browser does not have yet (the first visit to each kind of
 * page, strings.client.ts) waits for them here, since the root's client loader runs before any
 * page renders; so does a navigation that changes the page's language.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ nextUrl, defaultShouldRevalidate }) =>
  defaultShouldRevalidate || !hasStrings([shownLanguage()], routeIdsAt(nextUrl));

export async function clientLoader({ request, serverLoader }: ClientLoaderFunctionArgs) {
  const routeIds = routeIdsAt(request.url);
  const [data] = await Promise.all([serverLoader<typeof loader>(), loadStrings([shownLanguage()], routeIds)]);
  await loadStrings([data.lang], routeIds);
  return data;
}

/** The error page's kind: what its heading and text say. */
function errorKind(error: unknown) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // 400 and 415: a request none of our forms would send (readFormData, an unknown intent).
  return status === 404 ? "notFound" : status === 403 ? "forbidden" : status === 400 || status === 415 ? "badForm" : "generic";
}

// Pages name themselves (modules/i18n/page-title.ts); this is for the error page and any page that does not.
export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  // As the page itself chooses: the root loader did not run when an action failed.
  const t = translator(pageLanguage(data, error));
  return [{ title: titleText(error ? t(`errors.${errorKind(error)}Title`) : null, data?.siteName) }];
};

export function Layout({ children }: { children: ReactNode }) {
  const { lang } = useTranslate();
  const nonce = useNonce();
  const matches = useMatches();
  // Pages that gain nothing from React get none of it: no scripts, preloads or strings (ADR 0042).
  // React runs in a browser only on a page that asked for it (so hydration matches), and keeps
  // its scripts through the client-side navigations that follow.
  const scripts = typeof document !== "undefined" || pageNeedsScripts(matches);
  const strings = scripts || pageNeedsStrings(matches);
  // Which strings the browser loads before hydrating (entry.client.tsx): its routes' in its languages.
  const languages = pageLanguages(lang, matches);
  const routeIds = matches.map((match) => match.id);
  const version = useBuildVersion();
  const root = useRouteLoaderData<typeof loader>("root");
  return (
    <html lang={lang} data-strings={languages.join(" ")} data-string-routes={routeIds.join(" ")}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        {strings
          ? languages.flatMap((language) =>
              routeIds.map((routeId) => (
                <link key={`${language} ${routeId}`} rel="preload" as="fetch" crossOrigin="anonymous" href={stringsFileUrl(version, language, routeId)} />
              )),
            )
          : null}
        <Links />
      </head>
      <body>
        <SiteLayout>{children}</SiteLayout>
        {scripts ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : root && !root.user ? (
          // Signed out on a page without React: SiteLayout's effect cannot forget the scanner's pages.
          <script nonce={nonce} dangerouslySetInnerHTML={{ __html: FORGET_SCANNER_PAGES_SCRIPT }} />
        ) : null}
        <LiveReload nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useHydrationMark();
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslate();
  const kind = errorKind(error);
  if (kind === "generic") console.error(error);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t(`errors.${kind}Title`)}</h1>
      <p>{t(`errors.${kind}`)}</p>
      <p>
        <Link to="/">{t("errors.backHome")}</Link>
      </p>
    </div>
  );
}
