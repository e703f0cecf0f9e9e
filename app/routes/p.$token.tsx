import type { LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { loadActor } from "~/modules/accounts/actor.server";
import { db } from "~/modules/db/db.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { scanPassport } from "~/modules/passports/passport.server";
import { titled } from "~/modules/i18n/page-title";

// Search engines are asked not to index passport addresses.
export const meta = titled("scan.signedOutTitle", [{ name: "robots", content: "noindex" }]);

/**
 * Where a passport's QR code leads. Signed out it says nothing about the child — not even
 * whether the code is real. A guardian of the child goes to the passport; provider staff see
 * a minimal confirmation (given name, family initial) — the credits issue builds scanning on it.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const actor = context.signedIn ? await loadActor(db(), context.signedIn) : null;
  const scan = await scanPassport(db(), params.token, actor);
  if (scan.kind === "guardian") throw redirect(`/guardian/children/${scan.childId}`);
  const headers = { "Cache-Control": "no-store" };
  if (scan.kind === "invalid" || scan.kind === "notForYou") return data(scan, { status: scan.kind === "invalid" ? 404 : 403, headers });
  return data(scan, { headers });
}

export default function PassportScan() {
  const { t } = useTranslate();
  const scan = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <div className="max-w-xl space-y-6">
      {scan.kind === "signedOut" ? (
        <>
          <h1 className="text-3xl font-bold">{t("scan.signedOutTitle")}</h1>
          <p>{t("scan.signedOut")}</p>
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`} className="text-lg font-semibold">
              {t("layout.signIn")}
            </Link>
          </p>
          <p className="text-sm text-slate-700">{t("scan.found")}</p>
        </>
      ) : scan.kind === "staff" ? (
        <>
          <h1 className="text-3xl font-bold">{t("scan.validTitle")}</h1>
          <p className="text-4xl font-bold">
            {scan.givenName} {scan.familyInitial}.
          </p>
          <p>
            {t("homes.passportNumber")}: <span className="font-mono">{scan.passportNumber}</span>
          </p>
          <p className="text-sm text-slate-700">{t("scan.staffHint")}</p>
        </>
      ) : scan.kind === "notForYou" ? (
        <>
          <h1 className="text-3xl font-bold">{t("scan.notForYouTitle")}</h1>
          <p>{t("scan.notForYou")}</p>
        </>
      ) : (
        <>
          <h1 className="text-3xl font-bold">{t("scan.invalidTitle")}</h1>
          <p>{t("scan.invalid")}</p>
        </>
      )}
    </div>
  );
}
