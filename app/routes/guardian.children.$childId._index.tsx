import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { AwardIcon, CategoryIcon } from "~/components/category-icon";
import { requireActor } from "~/modules/accounts/actor.server";
import { importedBadges } from "~/modules/certificates/imported-badges.server";
import { importedHistory } from "~/modules/certificates/transfer.server";
import { childCardStatus } from "~/modules/children/child-sign-in.server";
import { db } from "~/modules/db/db.server";
import { locale } from "~/modules/i18n/i18n";
import { formatDate, formatDateTime, formatSessionDay } from "~/modules/i18n/format";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { passportSummary } from "~/modules/passports/passport-page.server";
import { titled } from "~/modules/i18n/page-title";
import { columns, pick } from "~/modules/i18n/bilingual";
import { queryValues } from "~/modules/forms/read-form.server";
import { flag } from "~/modules/forms/fields.server";

export const meta = titled<typeof loader>((t, data) => t("passport.title", { name: data.child.given_name }));

/**
 * A child's passport, made to be read by the child too (on a grown-up's phone): big numbers,
 * a progress bar to the next award, a stamp for every activity, and which kinds of activity
 * they have tried. The grown-ups' tasks (card, data, withdrawal) sit below.
 */

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const { stamps: allStamps } = queryValues({ stamps: flag("all") }, new URL(request.url).searchParams);
  const [summary, lang, signIn, imported] = await Promise.all([
    passportSummary(db(), membership, params.childId ?? "", { allStamps }),
    resolveLanguage(request),
    childCardStatus(db(), membership, params.childId ?? ""),
    importedHistory(db(), membership, params.childId ?? ""),
  ]);
  // Dates are written here: a browser without Welsh locale data would otherwise show English.
  return {
    ...summary,
    stamps: summary.stamps.map((stamp) => ({ ...stamp, earnedOnText: formatDate(stamp.earned_on, lang) })),
    awards: summary.awards.map((award) => ({ ...award, reachedOnText: formatDate(award.reached_on, lang) })),
    suggestions: summary.suggestions.map((activity) => ({
      ...activity,
      nextText: activity.next_starts_at ? formatSessionDay(activity.next_starts_at, lang) : "",
    })),
    // When the child last opened the passport with their own card (issue 16).
    lastSignedInText: signIn.lastSignedInAt ? formatDateTime(signIn.lastSignedInAt, lang) : null,
    // Hours and awards from another Children's University (ADR 0036): shown, not counted here;
    // each badge is offered as its own download (the credentials themselves stay on the server).
    imported: imported.map(({ badges: _badges, ...history }) => ({
      ...history,
      importedText: formatDate(history.importedAt, lang),
      badgeFiles: importedBadges([{ ...history, badges: _badges }]),
    })),
  };
}

export default function Passport() {
  const { t, lang } = useTranslate();
  const { child, progress, stamps, stampCount, categories, awards, suggestions, lastSignedInText, imported } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const number = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 });
  const base = `/guardian/children/${child.id}`;
  const triedCount = categories.filter((category) => category.tried).length;
  return (
    <div className="max-w-3xl space-y-8">
      <p>
        <Link to="/guardian">{t("children.backToChildren")}</Link>
      </p>
      {params.get("welcome") ? (
        <div role="status" className="rounded border-4 border-brand-700 bg-brand-50 p-4">
          <h2 className="text-xl font-bold">{t("passport.welcomeTitle", { name: child.given_name })}</h2>
          <p>{t("passport.welcome")}</p>
        </div>
      ) : null}
      {params.get("replaced") ? (
        <p role="status" className="rounded border-4 border-brand-700 bg-brand-50 p-4 font-semibold">
          {t("passport.replaced")}
        </p>
      ) : null}

      <header className="rounded-2xl bg-brand-800 p-6 text-white">
        <h1 className="text-4xl font-bold">{t("passport.title", { name: child.given_name })}</h1>
        <p className="mt-2 text-lg">
          {child.given_name} {child.family_name}
        </p>
        <p className="mt-1">
          <span>{t("passport.number")} </span>
          <span className="font-mono text-xl tracking-wider">{child.passport_number}</span>
        </p>
      </header>

      <section aria-labelledby="hours-heading" className="space-y-4">
        <h2 id="hours-heading" className="sr-only">
          {t("passport.hoursHeading")}
        </h2>
        <p className="text-center">
          <span className="block text-7xl font-extrabold text-brand-800">{number.format(progress.hours)}</span>
          <span className="block text-2xl font-semibold">{t("passport.hoursSoFar", { count: progress.hours })}</span>
        </p>
        {progress.next ? (
          <div className="space-y-2">
            <label htmlFor="award-progress" className="block text-center text-xl">
              {t("passport.toGo", {
                count: progress.next.hoursToGo,
                hours: number.format(progress.next.hoursToGo),
                award: pick({ en: progress.next.nameEn, cy: progress.next.nameCy }, lang),
              })}
            </label>
            <progress
              id="award-progress"
              max={100}
              value={progress.percent}
              className="h-8 w-full overflow-hidden rounded-full [&::-moz-progress-bar]:bg-brand-700 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-brand-700"
            >
              {progress.percent}%
            </progress>
            <p className="flex justify-between text-sm">
              <span>{t("passport.hoursShort", { count: progress.reached?.thresholdHours ?? 0 })}</span>
              <span>{t("passport.hoursShort", { count: progress.next.thresholdHours })}</span>
            </p>
          </div>
        ) : (
          <p className="text-center text-xl font-semibold">{t("passport.topOfLadder")}</p>
        )}
        {progress.reached ? (
          <p className="text-center text-lg">
            <AwardIcon />
            {t("passport.reached", { award: pick({ en: progress.reached.nameEn, cy: progress.reached.nameCy }, lang) })}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="tried-heading" className="space-y-3">
        <h2 id="tried-heading" className="text-2xl font-bold">
          {t("passport.triedHeading")}
        </h2>
        <p>{t("passport.triedCount", { count: triedCount })}</p>
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {categories.map(({ category, tried }) => (
            <li
              key={category}
              className={`flex min-h-24 flex-col items-center justify-center rounded-xl border-2 p-3 text-center ${tried ? "border-brand-700 bg-brand-50" : "border-dashed border-slate-400 text-slate-700"}`}
            >
              <CategoryIcon category={category} />
              <span className="font-semibold">{t(`passport.categories.${category}`)}</span>
              <span className="text-sm">{tried ? t("passport.tried") : t("passport.notYet")}</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="awards-heading" className="space-y-3">
        <h2 id="awards-heading" className="text-2xl font-bold">
          {t("passport.awardsHeading")}
        </h2>
        {awards.length === 0 ? (
          <p className="text-lg">{t("passport.noAwards")}</p>
        ) : (
          <ul className="space-y-2">
            {awards.map((award) => (
              <li key={award.id} className="flex flex-wrap items-baseline gap-x-3 rounded-xl border-2 border-brand-700 bg-brand-50 p-3">
                <AwardIcon className="h-6 w-6 self-center" />
                <span className="text-lg font-bold">{pick(columns(award, "name"), lang)}</span>
                <span>{t("passport.hoursShort", { count: award.threshold_hours })}</span>
                <span className="text-sm text-slate-700">{t("passport.awardReachedOn", { date: award.reachedOnText })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {imported.length > 0 ? (
        <section aria-labelledby="imported-heading" className="space-y-3">
          <h2 id="imported-heading" className="text-2xl font-bold">
            {t("passport.importedHeading")}
          </h2>
          {imported.map((history) => {
            const from = pick(history.from, lang);
            return (
              <div key={history.from.issuer} className="space-y-1 rounded-xl border-2 border-slate-400 p-3">
                <p className="font-semibold">
                  {t("passport.importedFrom", { from, hours: number.format(history.hours), number: history.passportNumber, date: history.importedText })}
                </p>
                {history.awards.length > 0 ? (
                  <p>{t("passport.importedAwards", { awards: history.awards.map((award) => pick(award, lang)).join(", ") })}</p>
                ) : null}
                {history.badgeFiles.length > 0 ? (
                  <ul className="space-y-1">
                    {history.badgeFiles.map((badge) => (
                      <li key={badge.key}>
                        <a href={`${base}/imported/${badge.key}.json`} download className="font-semibold">
                          {t("passport.importedBadge", { award: pick(badge.name, lang), from })}
                        </a>
                      </li>
                    ))}
                  </ul>
                ) : null}
                <p className="text-sm text-slate-700">{t("passport.importedNote", { from, name: child.given_name })}</p>
              </div>
            );
          })}
        </section>
      ) : null}

      {suggestions.length > 0 ? (
        <section aria-labelledby="something-new-heading" className="space-y-3">
          <h2 id="something-new-heading" className="text-2xl font-bold">
            {t("passport.somethingNewHeading")}
          </h2>
          <p>{t("passport.somethingNewIntro")}</p>
          <ul className="grid gap-3 sm:grid-cols-2">
            {suggestions.map((activity) => (
              <li key={activity.id} className="rounded-xl border-2 border-slate-300 p-3">
                <p className="text-lg font-bold">
                  <CategoryIcon category={activity.category} className="mr-1 inline h-5 w-5 align-[-0.2em]" />
                  <Link to={`/activities/${activity.id}`}>{pick(columns(activity, "title"), lang)}</Link>
                </p>
                <p>{pick(columns(activity, "provider_name"), lang)}</p>
                <p className="text-sm text-slate-700">
                  {t(`passport.categories.${activity.category}`)} · {t(`costBands.${activity.cost_band}`)}
                  {activity.town ? ` · ${activity.town}` : ""}
                </p>
                {activity.nextText ? <p className="text-sm">{t("passport.nextSession", { when: activity.nextText })}</p> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="stamps-heading" className="space-y-3">
        <h2 id="stamps-heading" className="text-2xl font-bold">
          {t("passport.stampsHeading")}
        </h2>
        {stamps.length === 0 ? (
          <p className="text-lg">{t("passport.noStamps")}</p>
        ) : (
          <ol className="space-y-3">
            {stamps.map((stamp) => (
              <li key={stamp.id} className="flex items-center gap-4 rounded-xl border-2 border-slate-300 p-4">
                <CategoryIcon category={stamp.category} className="h-8 w-8 shrink-0" />
                <div className="flex-1">
                  <p className="text-lg font-bold">{pick(columns(stamp, "title"), lang)}</p>
                  <p>{pick(columns(stamp, "provider_name"), lang)}</p>
                  <p className="text-sm text-slate-700">
                    {stamp.earnedOnText} · {t(`passport.categories.${stamp.category}`)}
                  </p>
                </div>
                <p className="text-center">
                  <span className="block text-2xl font-extrabold text-brand-800">{number.format(stamp.quarter_hours / 4)}</span>
                  <span className="text-sm">{t("passport.hoursUnit", { count: stamp.quarter_hours / 4 })}</span>
                </p>
              </li>
            ))}
          </ol>
        )}
        {stampCount > stamps.length ? (
          <p>
            <Link to="?stamps=all" className="text-lg font-semibold underline">
              {t("passport.allStamps", { count: stampCount })}
            </Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="grown-ups-heading" className="space-y-3 border-t-2 border-slate-300 pt-6">
        <h2 id="grown-ups-heading" className="text-2xl font-bold">
          {t("passport.grownUps")}
        </h2>
        <ul className="space-y-3 text-lg">
          <li>
            <Link to={`/children/${child.id}/sign-in-card`}>{t("passport.childSignIn", { name: child.given_name })}</Link>
            {lastSignedInText ? (
              <span className="block text-base">{t("passport.childLastSignedIn", { name: child.given_name, when: lastSignedInText })}</span>
            ) : null}
          </li>
          <li>
            <Link to={`${base}/certificates`}>{t("passport.certificates")}</Link>
          </li>
          <li>
            <a href={`${base}/card.pdf`} download>
              {t("passport.printCard")}
            </a>
          </li>
          <li>
            <Link to={`${base}/replace-card`}>{t("passport.replaceCard")}</Link>
          </li>
          <li>
            <Link to={`${base}/guardians`}>{t("passport.guardians")}</Link>
          </li>
          <li>
            <Link to={`${base}/data`}>{t("passport.data")}</Link>
          </li>
          <li>
            <Link to={`${base}/withdraw`}>{t("passport.withdraw")}</Link>
          </li>
        </ul>
      </section>
    </div>
  );
}
