import { Form, Link, useLocation, useRouteLoaderData } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { useSignedInUser, useTranslate } from "~/modules/i18n/use-translate";
import { forgetScannerPages } from "~/modules/scanner/offline";
import { otherLanguage } from "~/modules/i18n/bilingual";

/** The current address with ?lang= set to the other language, so the switch keeps the page. */
function useOtherLanguageHref(other: "cy" | "en") {
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  params.set("lang", other);
  return `${location.pathname}?${params.toString()}`;
}

export function SiteLayout({ children }: { children: ReactNode }) {
  const { t, lang } = useTranslate();
  const other = otherLanguage(lang);
  const switchHref = useOtherLanguageHref(other);
  const user = useSignedInUser();
  const demo = useRouteLoaderData<{ demo?: boolean }>("root")?.demo === true;
  const signedOut = !user;
  useEffect(() => {
    if (signedOut) void forgetScannerPages();
  }, [signedOut]);
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only print:hidden focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:bg-white focus:px-4 focus:py-2"
      >
        {t("layout.skipToContent")}
      </a>
      {demo ? (
        // On every page of a demo database: its people and children are made up. Not printed, so
        // letters, posters and certificates keep the layout a real install prints.
        <section aria-label={t("layout.demoLabel")} className="border-b-4 border-amber-700 bg-amber-100 text-slate-900 print:hidden">
          <p className="mx-auto max-w-5xl px-4 py-2">
            <strong>{t("layout.demoTitle")}</strong> {t("layout.demoText")}
          </p>
        </section>
      ) : null}
      <header className="bg-brand-800 text-white print:hidden">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <Link to={user?.role === "child" ? "/me" : "/"} className="text-xl font-bold text-white no-underline hover:text-white">
            {t("meta.siteName")}
            <span className="block text-sm font-normal">{t("meta.tagline")}</span>
          </Link>
          <a
            href={switchHref}
            lang={other}
            hrefLang={other}
            className="rounded border border-white px-3 py-1 text-white no-underline hover:bg-brand-900 hover:text-white"
          >
            {t("layout.languageSwitch")}
          </a>
        </div>
        <nav aria-label={t("layout.mainNavigation")} className="bg-brand-900">
          {user?.role === "child" ? (
            // A child's own session: only their own pages, and signing out.
            <ul className="mx-auto flex max-w-5xl flex-wrap gap-x-5 gap-y-1 px-4 py-2 text-lg">
              <li>
                <Link to="/me" className="text-white">
                  {t("childPassport.navPassport")}
                </Link>
              </li>
              <li>
                <Link to="/me/voice" className="text-white">
                  {t("childVoice.navVoice")}
                </Link>
              </li>
              <li>
                <Form method="post" action="/logout">
                  <button type="submit" className="text-white underline underline-offset-2">
                    {t("account.signOut")}
                  </button>
                </Form>
              </li>
            </ul>
          ) : (
            <ul className="mx-auto flex max-w-5xl flex-wrap gap-x-5 gap-y-1 px-4 py-2">
              <li>
                <Link to="/" className="text-white">
                  {t("layout.home")}
                </Link>
              </li>
              <li>
                <Link to="/activities" className="text-white">
                  {t("layout.activities")}
                </Link>
              </li>
              {user ? (
                <>
                  <li>
                    <Link to={user.home} className="text-white">
                      {t("layout.myHome")}
                    </Link>
                  </li>
                  <li>
                    <Link to="/account" className="text-white">
                      {t("account.title")}
                      <span className="sr-only">
                        {" "}
                        ({user.displayName}
                        {user.role ? `, ${t(`roles.${user.role}`)}` : ""})
                      </span>
                    </Link>
                  </li>
                  <li>
                    <Form method="post" action="/logout">
                      <button type="submit" className="text-white underline underline-offset-2">
                        {t("account.signOut")}
                      </button>
                    </Form>
                  </li>
                </>
              ) : (
                <li>
                  <Link to="/login" className="text-white">
                    {t("layout.signIn")}
                  </Link>
                </li>
              )}
            </ul>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-4 py-6 focus:outline-none">
        {children}
      </main>
      <footer className="border-t border-slate-300 bg-slate-100 text-sm text-slate-800 print:hidden">
        <div className="mx-auto max-w-5xl space-y-2 px-4 py-4">
          <p>{t("layout.footerAbout")}</p>
          <p>
            {t("layout.footerLicence")}{" "}
            <a href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" rel="license">
              {t("layout.footerLicenceLink")}
            </a>
          </p>
        </div>
      </footer>
    </div>
  );
}
