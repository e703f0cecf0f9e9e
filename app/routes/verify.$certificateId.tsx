import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { verifyCertificate } from "~/modules/certificates/certificates.server";
import { db } from "~/modules/db/db.server";
import { formatDate } from "~/modules/i18n/format";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";
import { otherLanguage, pick } from "~/modules/i18n/bilingual";

// Public, but not for search engines: a certificate's address is only for whoever holds it.
export const meta = titled("certificates.verify.pageTitle", [{ name: "robots", content: "noindex" }]);

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/**
 * Where a certificate's QR code leads, for anyone (no sign-in): is this certificate real?
 * A valid one shows the given name, family initial, award, date and area — nothing more.
 * Unknown, malformed, or a withdrawn child's: 404 "cannot be verified" (the same answer, so
 * it tells nothing about which child). Revoked: 410 "withdrawn, not valid".
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const [result, lang] = await Promise.all([verifyCertificate(db(), params.certificateId), resolveLanguage(request)]);
  // The same address answers a wallet asking for JSON with the credential (server.ts, credentialAtVerifyAddress).
  const headers = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex", Vary: "Accept" };
  if (result.kind === "valid") return data({ ...result, reachedOnText: formatDate(result.reachedOn, lang) }, { headers });
  return data(result, { status: result.kind === "revoked" ? 410 : 404, headers });
}

export default function VerifyCertificate() {
  const { t, lang } = useTranslate();
  const result = useLoaderData<typeof loader>();
  const other = otherLanguage(lang);
  return (
    <div className="max-w-2xl space-y-6">
      {result.kind === "valid" ? (
        <>
          <h1 className="flex items-center gap-3 text-3xl font-bold">
            <span aria-hidden="true" className="text-green-800">
              ✓
            </span>
            {t("certificates.verify.validTitle")}
          </h1>
          <dl className="space-y-4 rounded-xl border-4 border-green-800 p-5 text-lg">
            <div>
              <dt className="font-semibold">{t("certificates.verify.awardedTo")}</dt>
              <dd className="text-2xl font-bold">
                {result.givenName} {result.familyInitial}.
              </dd>
            </div>
            <div>
              <dt className="font-semibold">{t("certificates.verify.award")}</dt>
              <dd>
                <span className="block text-xl font-bold">{pick({ en: result.awardNameEn, cy: result.awardNameCy }, lang)}</span>
                <span className="block" lang={other}>
                  {pick({ en: result.awardNameEn, cy: result.awardNameCy }, other)}
                </span>
                <span className="block text-base text-slate-700">{t("certificates.verify.hours", { count: result.thresholdHours })}</span>
              </dd>
            </div>
            <div>
              <dt className="font-semibold">{t("certificates.verify.reachedOn")}</dt>
              <dd>{result.reachedOnText}</dd>
            </div>
            <div>
              <dt className="font-semibold">{t("certificates.verify.area")}</dt>
              <dd>{pick({ en: result.areaNameEn, cy: result.areaNameCy }, lang)}</dd>
            </div>
          </dl>
          <p className="text-sm text-slate-700">{t("certificates.verify.privacy")}</p>
          {result.hasBadge ? (
            <p>
              <a href={`/credentials/${result.certificateId}`}>{t("badges.verifyPageLink")}</a>
            </p>
          ) : null}
        </>
      ) : result.kind === "revoked" ? (
        <>
          <h1 className="text-3xl font-bold">{t("certificates.verify.revokedTitle")}</h1>
          <p className="rounded border-4 border-red-700 p-4 text-lg">{t("certificates.verify.revoked")}</p>
        </>
      ) : (
        <>
          <h1 className="text-3xl font-bold">{t("certificates.verify.unknownTitle")}</h1>
          <p className="rounded border-4 border-red-700 p-4 text-lg">{t("certificates.verify.unknown")}</p>
        </>
      )}
      <p>
        <Link to="/verify">{t("certificates.verify.checkAnother")}</Link>
      </p>
    </div>
  );
}
