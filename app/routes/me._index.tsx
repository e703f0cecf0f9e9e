import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AwardIcon, CategoryIcon } from "~/components/category-icon";
import { requireChild } from "~/modules/accounts/access.server";
import { SKILL_ICONS } from "~/modules/activities/options";
import { db } from "~/modules/db/db.server";
import { locale } from "~/modules/i18n/i18n";
import { formatDate } from "~/modules/i18n/format";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { passportSummary } from "~/modules/passports/passport-page.server";
import { walletLinks } from "~/modules/certificates/badge-files.server";
import { childAwardCertificates } from "~/modules/certificates/certificates.server";
import { importedBadges } from "~/modules/certificates/imported-badges.server";
import { importedHistory } from "~/modules/certificates/transfer.server";
import { pick, type Bilingual } from "~/modules/i18n/bilingual";
import { queryValues } from "~/modules/forms/read-form.server";
import { flag } from "~/modules/forms/fields.server";

export const meta: MetaFunction = () => [{ title: "Pasbort" }];

/**
 * The child's own passport (issue 16), for a 5-to-14-year-old signed in with their own card:
 * how far to the next award as a picture, stamps as cards, awards and skills. Only what the
 * page shows leaves the server (no surname, passport number or ids of anyone else). Built to
 * the Children's code: no streaks, nothing to lose, no comparison with other children.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const me = requireChild(context);
  const { stamps: allStamps } = queryValues({ stamps: flag("all") }, new URL(request.url).searchParams);
  const [summary, certificates, lang, imported] = await Promise.all([
    passportSummary(db(), me, me.childId, { allStamps }),
    childAwardCertificates(db(), me, me.childId),
    resolveLanguage(request),
    importedHistory(db(), me, me.childId),
  ]);
  const { progress } = summary;
  // Each printed certificate's badge address and its QR code, for a wallet app (as the guardian's page has).
  const links = await walletLinks(
    db(),
    me.areaId,
    certificates.awards.flatMap((award) => (award.certificate ? [award.certificate.id] : [])),
  );
  return {
    givenName: summary.child.given_name ?? "",
    progress: {
      hours: progress.hours,
      percent: progress.percent,
      reached: progress.reached && { en: progress.reached.nameEn, cy: progress.reached.nameCy },
      next: progress.next && {
        en: progress.next.nameEn,
        cy: progress.next.nameCy,
        hoursToGo: progress.next.hoursToGo,
        thresholdHours: progress.next.thresholdHours,
      },
    },
    stamps: summary.stamps.map((stamp) => ({
      id: stamp.id,
      title: { en: stamp.title_en, cy: stamp.title_cy },
      category: stamp.category,
      hours: stamp.quarter_hours / 4,
      dateText: formatDate(stamp.earned_on, lang),
    })),
    stampCount: summary.stampCount,
    // Highest first; an award waiting for the coordinator has no certificate to download yet.
    awards: [...certificates.awards].reverse().map((award) => ({
      id: award.awardLevelId,
      en: award.nameEn,
      cy: award.nameCy,
      hours: award.thresholdHours,
      dateText: formatDate(award.reachedOn, lang),
      certificate: !award.flagged,
      wallet: award.certificate && !award.flagged ? (links.get(award.certificate.id) ?? null) : null,
    })),
    skills: summary.skills,
    // Badges brought from another Children's University: a name and a download key each, nothing more.
    importedBadges: importedBadges(imported),
  };
}

/** Ten stepping stones to the next award: as many filled as the child has come. */
const STONES = 10;

export default function MyPassport() {
  const { t, lang } = useTranslate();
  const { givenName, progress, stamps, stampCount, awards, skills, importedBadges: broughtBadges } = useLoaderData<typeof loader>();
  const number = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 });
  const name = (text: Bilingual) => pick(text, lang);
  const filled = Math.floor((progress.percent / 100) * STONES);
  const hours = { hours: number.format(progress.hours), count: progress.hours };
  // The next award; every award reached; or an area with no awards set up yet (just the hours).
  const progressText = progress.next
    ? t("childPassport.progressText", { ...hours, award: name(progress.next), toGo: number.format(progress.next.hoursToGo) })
    : progress.reached
      ? t("childPassport.topText", hours)
      : t("childPassport.hoursText", hours);
  const heading = progress.next
    ? t("childPassport.progressHeading", { award: name(progress.next) })
    : progress.reached
      ? t("childPassport.topHeading")
      : t("childPassport.hoursHeading");
  return (
    <div className="max-w-3xl space-y-10 text-lg">
      <h1 className="text-3xl font-bold sm:text-4xl">{t("childPassport.title", { name: givenName })}</h1>

      <p>
        <Link to="/me/voice" className="font-semibold">
          <span aria-hidden="true">💬 </span>
          {t("childPassport.voiceLink")}
        </Link>
      </p>

      <section aria-labelledby="progress-heading" className="space-y-4 rounded-2xl border-4 border-brand-800 p-4">
        <h2 id="progress-heading" className="text-2xl font-bold">
          {heading}
        </h2>
        <div role="img" aria-label={progressText} className="flex items-center gap-1">
          {Array.from({ length: STONES }, (_, index) => (
            <span key={index} className={`aspect-square flex-1 rounded-full border-2 border-brand-800 ${index < filled ? "bg-brand-700" : "bg-white"}`} />
          ))}
          <AwardIcon className="h-10 w-10 shrink-0" />
        </div>
        <p aria-hidden="true" className="text-xl font-semibold">
          {progressText}
        </p>
      </section>

      <section aria-labelledby="stamps-heading" className="space-y-3">
        <h2 id="stamps-heading" className="text-2xl font-bold">
          <span aria-hidden="true">🎟️ </span>
          {t("childPassport.stampsHeading")}
        </h2>
        {stamps.length === 0 ? (
          <p>{t("childPassport.noStamps")}</p>
        ) : (
          <ol className="grid gap-3 sm:grid-cols-2">
            {stamps.map((stamp) => (
              <li key={stamp.id} className="rounded-xl border-2 border-slate-400 p-3">
                <p className="font-bold">{name(stamp.title)}</p>
                <p>
                  <CategoryIcon category={stamp.category} className="mr-1 inline h-5 w-5 align-[-0.2em]" />
                  {t(`passport.categories.${stamp.category}`)}
                </p>
                <p>
                  <span aria-hidden="true">⏱️ </span>
                  {t("passport.hoursShort", { count: stamp.hours })}
                </p>
                <p>
                  <span aria-hidden="true">📅 </span>
                  {stamp.dateText}
                </p>
              </li>
            ))}
          </ol>
        )}
        {stampCount > stamps.length ? (
          <p>
            <Link to="?stamps=all" className="font-semibold">
              {t("passport.allStamps", { count: stampCount })}
            </Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="awards-heading" className="space-y-3">
        <h2 id="awards-heading" className="text-2xl font-bold">
          <AwardIcon />
          {t("childPassport.awardsHeading")}
        </h2>
        {awards.length === 0 ? (
          <p>{t("childPassport.noAwards")}</p>
        ) : (
          <ul className="grid gap-3 sm:grid-cols-2">
            {awards.map((award) => (
              <li key={award.id} className="rounded-xl border-2 border-brand-700 bg-brand-50 p-3">
                <p className="font-bold">{name(award)}</p>
                <p>{t("passport.hoursShort", { count: award.hours })}</p>
                <p>
                  <span aria-hidden="true">📅 </span>
                  {award.dateText}
                </p>
                {award.certificate ? (
                  <>
                    <p>
                      <a href={`/me/certificates/${award.id}.pdf`} download className="font-semibold">
                        <span aria-hidden="true">📄 </span>
                        {t("childPassport.downloadCertificate", { award: name(award) })}
                      </a>
                    </p>
                    <p>
                      <a href={`/me/certificates/${award.id}.json`} download className="font-semibold">
                        <span aria-hidden="true">🪪 </span>
                        {t("childPassport.downloadBadge", { award: name(award) })}
                      </a>
                    </p>
                    {award.wallet ? (
                      <figure className="space-y-1">
                        <img src={award.wallet.qr} alt={t("badges.walletQrAlt", { award: name(award) })} width={160} height={160} className="h-40 w-40" />
                        <figcaption className="text-sm break-all text-slate-700">{t("badges.walletLink", { url: award.wallet.url })}</figcaption>
                      </figure>
                    ) : null}
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      {broughtBadges.length > 0 ? (
        <section aria-labelledby="imported-heading" className="space-y-3">
          <h2 id="imported-heading" className="text-2xl font-bold">
            {t("childPassport.importedHeading")}
          </h2>
          <ul className="space-y-2">
            {broughtBadges.map((badge) => (
              <li key={badge.key}>
                <a href={`/me/imported/${badge.key}.json`} download className="font-semibold">
                  <span aria-hidden="true">🪪 </span>
                  {t("childPassport.downloadImportedBadge", { award: name(badge.name), from: name(badge.from) })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="skills-heading" className="space-y-3">
        <h2 id="skills-heading" className="text-2xl font-bold">
          <span aria-hidden="true">🧰 </span>
          {t("childPassport.skillsHeading")}
        </h2>
        {skills.length === 0 ? (
          <p>{t("childPassport.noSkills")}</p>
        ) : (
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            {skills.map(({ skill, stamps: times }) => (
              <li key={skill} className="flex flex-col items-center rounded-xl border-2 border-slate-400 p-3 text-center">
                <span aria-hidden="true" className="text-3xl">
                  {SKILL_ICONS[skill]}
                </span>
                <span className="font-semibold">{t(`skills.${skill}`)}</span>
                <span className="text-base">{t("childPassport.practised", { count: times })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
