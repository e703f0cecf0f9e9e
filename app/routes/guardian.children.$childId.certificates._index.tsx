import { AwardIcon } from "~/components/category-icon";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireActor } from "~/modules/accounts/actor.server";
import { walletLinks } from "~/modules/certificates/badge-files.server";
import { childAwardCertificates } from "~/modules/certificates/certificates.server";
import { db } from "~/modules/db/db.server";
import { formatDate } from "~/modules/i18n/format";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";
import { otherLanguage, pick } from "~/modules/i18n/bilingual";

export const meta = titled<typeof loader>((t, data) => t("certificates.list.title", { name: data.child.given_name }));

/** The awards a guardian's child has reached, each with its certificate to download. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const [{ child, awards }, lang] = await Promise.all([childAwardCertificates(db(), membership, params.childId ?? ""), resolveLanguage(request)]);
  const links = await walletLinks(
    db(),
    membership.areaId,
    awards.flatMap((award) => (award.certificate ? [award.certificate.id] : [])),
  );
  return {
    child,
    awards: awards.map((award) => ({
      ...award,
      reachedOnText: formatDate(award.reachedOn, lang),
      wallet: award.certificate ? (links.get(award.certificate.id) ?? null) : null,
    })),
  };
}

export default function ChildCertificates() {
  const { t, lang } = useTranslate();
  const { child, awards } = useLoaderData<typeof loader>();
  const base = `/guardian/children/${child.id}`;
  return (
    <div className="max-w-3xl space-y-6">
      <p>
        <Link to={base}>{t("certificates.list.back", { name: child.given_name })}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("certificates.list.title", { name: child.given_name })}</h1>
      {awards.length === 0 ? (
        <p className="text-lg">{t("certificates.list.none", { name: child.given_name })}</p>
      ) : (
        <>
          <p>{t("certificates.list.intro", { name: child.given_name })}</p>
          <p>{t("badges.aboutBadges")}</p>
          <ul className="space-y-4">
            {[...awards].reverse().map((award) => {
              const name = pick({ en: award.nameEn, cy: award.nameCy }, lang);
              return (
                <li key={award.awardLevelId} className="space-y-2 rounded-xl border-2 border-slate-300 p-4">
                  <h2 className="text-xl font-bold">
                    <AwardIcon />
                    {name}
                  </h2>
                  <p>
                    <span lang={otherLanguage(lang)}>{pick({ en: award.nameEn, cy: award.nameCy }, otherLanguage(lang))}</span>
                    {" · "}
                    {t("certificates.verify.hours", { count: award.thresholdHours })}
                  </p>
                  <p>{t("certificates.list.reachedOn", { date: award.reachedOnText })}</p>
                  {award.flagged ? (
                    <p className="font-semibold">{t("certificates.list.flagged")}</p>
                  ) : (
                    <>
                      <p className="text-sm text-slate-700">
                        {award.certificate ? t("certificates.list.serial", { serial: award.certificate.serial }) : t("certificates.list.notYetPrinted")}
                      </p>
                      <ul className="space-y-1">
                        <li>
                          <a href={`${base}/certificates/${award.awardLevelId}.pdf`} download className="text-lg font-semibold">
                            {t("certificates.list.download", { award: name })}
                          </a>
                        </li>
                        <li>
                          <a href={`${base}/certificates/${award.awardLevelId}.json`} download>
                            {t("badges.download", { award: name })}
                          </a>
                        </li>
                        <li>
                          <a href={`${base}/certificates/${award.awardLevelId}.json?name=1`} download>
                            {t("badges.downloadNamed", { name: child.given_name })}
                          </a>
                        </li>
                        {award.certificate ? (
                          <li>
                            <Link to={`/verify/${award.certificate.id}`}>{t("certificates.list.verify", { award: name })}</Link>
                          </li>
                        ) : null}
                      </ul>
                      {award.wallet ? (
                        <figure className="space-y-1">
                          <img src={award.wallet.qr} alt={t("badges.walletQrAlt", { award: name })} width={160} height={160} className="h-40 w-40" />
                          <figcaption className="text-sm break-all text-slate-700">{t("badges.walletLink", { url: award.wallet.url })}</figcaption>
                        </figure>
                      ) : null}
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}
