import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { RadioGroup, SelectField } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { ukDate } from "~/modules/activities/uk-time.server";
import { LIKES } from "~/modules/children/child-voice";
import { db, reportsDb } from "~/modules/db/db.server";
import { receivedKey, translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { RATING_BANDS, WISH_GROUPS } from "~/modules/reports/child-voice";
import { childVoiceSummary, parseVoiceQuery, ratingsBreakdownsFor, voiceScopeFor, type VoiceGroup } from "~/modules/reports/child-voice.server";
import { pick, type Bilingual } from "~/modules/i18n/bilingual";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} – Pasbort` : "Pasbort" },
  { name: "robots", content: "noindex" },
];

/** How many school years the form offers, this one first. */
const YEARS = 5;

/**
 * What children say (issue 16), for the adults who plan: a provider's staff see the ratings
 * of their own activities; the coordinator and viewers the area's ratings and what children
 * would like to try against what is offered; the coordinator also the children's own words.
 * Counts only, through disclosure control; no child is named or can be told apart.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator", "viewer", "provider_owner", "provider_member"]);
  const scope = voiceScopeFor(membership);
  const today = ukDate(new Date());
  const lang = await resolveLanguage(request);
  const firstYear = Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) >= 9 ? 0 : 1);
  const page = {
    title: translator(lang)("childVoiceReport.title"),
    scopeName: membership.providerName,
    area: scope.providerId === null,
    breakdowns: ratingsBreakdownsFor(scope),
    years: Array.from({ length: YEARS }, (_, i) => firstYear - i),
  };
  const parsed = parseVoiceQuery(new URL(request.url).searchParams, scope, today);
  if (!parsed.ok) return data({ ...page, errors: parsed.errors, values: parsed.values, summary: null }, { status: 400 });
  const { query } = parsed;
  return {
    ...page,
    errors: null,
    values: { year: String(query.year), by: query.by, groups: query.groups },
    summary: await childVoiceSummary(reportsDb(), scope, query),
  };
}

const BAND_ICONS = { unhappy: "🙁", okay: "😐", happy: "🙂" } as const;

export default function ChildVoiceReport() {
  const { t, lang } = useTranslate();
  const { title, scopeName, area, breakdowns, years, errors, values, summary } = useLoaderData<typeof loader>();
  const name = (text: Bilingual | null) => pick(text, lang);
  const label = (group: VoiceGroup, by: string) => {
    if (group.key === null) return t("reports.groups.notKnown");
    if (by === "category") return t(receivedKey(`categories.${group.key}`));
    if (by === "quintile")
      return group.key === "1"
        ? t("reports.groups.quintileMost")
        : group.key === "5"
          ? t("reports.groups.quintileLeast")
          : t("reports.groups.quintile", { n: group.key });
    if (by === "la") return t(`localAuthorities.${group.key}`, { defaultValue: group.key });
    return name(group.name);
  };
  return (
    <div className="space-y-8">
      <header className="space-y-2">
        <h1 className="text-3xl font-bold">{title}</h1>
        {scopeName ? <p className="text-lg">{scopeName}</p> : null}
        <p className="max-w-prose">{t(area ? "childVoiceReport.introArea" : "childVoiceReport.introProvider")}</p>
        <p className="max-w-prose">{t("childVoiceReport.smallNumbers")}</p>
      </header>

      <section aria-labelledby="choose-heading" className="max-w-3xl space-y-4">
        <h2 id="choose-heading" className="text-2xl font-semibold">
          {t("childVoiceReport.chooseTitle")}
        </h2>
        <ErrorSummary errors={errors ?? undefined} />
        <Form method="get" className="space-y-5" noValidate>
          <SelectField
            name="year"
            label={t("childVoiceReport.year")}
            emptyLabel={t("childVoiceReport.thisYear")}
            options={years.map((year) => ({ value: String(year), label: t("childVoiceReport.yearName", { from: year, to: year + 1 }) }))}
            defaultValue={values.year}
            error={errors?.year}
          />
          <RadioGroup
            name="by"
            label={t("childVoiceReport.by")}
            options={breakdowns.map((by) => ({ value: by, label: t(`childVoiceReport.breakdowns.${by}`) }))}
            defaultValue={values.by || breakdowns[0]}
            error={errors?.by}
          />
          {area ? (
            <RadioGroup
              name="groups"
              label={t("childVoiceReport.groups")}
              options={WISH_GROUPS.map((groups) => ({ value: groups, label: t(`childVoiceReport.groupNames.${groups}`) }))}
              defaultValue={values.groups || "quintile"}
              error={errors?.groups}
            />
          ) : null}
          <SubmitButton>{t("childVoiceReport.show")}</SubmitButton>
        </Form>
      </section>

      {summary ? (
        <>
          <section aria-labelledby="ratings-heading" className="space-y-3">
            <h2 id="ratings-heading" className="text-2xl font-semibold">
              {t("childVoiceReport.ratingsTitle", { from: values.year, to: Number(values.year) + 1 })}
            </h2>
            <p className="max-w-prose">{t("childVoiceReport.ratingsHint")}</p>
            {summary.ratings.rows.length === 0 ? (
              <p>{t("childVoiceReport.noRatings")}</p>
            ) : (
              <div className="overflow-x-auto" role="region" aria-labelledby="ratings-heading" tabIndex={0}>
                <table className="min-w-full border-collapse text-left">
                  <thead>
                    <tr className="border-b-2 border-slate-700">
                      <th scope="col" className="px-2 py-2 align-bottom">
                        {t(`childVoiceReport.breakdowns.${summary.ratings.by}`)}
                      </th>
                      {RATING_BANDS.map((band) => (
                        <th key={band} scope="col" className="px-2 py-2 text-right align-bottom">
                          <span aria-hidden="true">{BAND_ICONS[band]} </span>
                          {t(`childVoiceReport.bands.${band}`)}
                        </th>
                      ))}
                      <th scope="col" className="px-2 py-2 text-right align-bottom">
                        {t("childVoiceReport.ratings")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...summary.ratings.rows, { key: "total", name: null, ...summary.ratings.total }].map((row) => (
                      <tr key={row.key ?? "none"} className="border-b border-slate-300">
                        <th scope="row" className="px-2 py-2 font-semibold">
                          {row.key === "total" ? t("childVoiceReport.total") : label(row, summary.ratings.by)}
                        </th>
                        {RATING_BANDS.map((band) => (
                          <td key={band} className="px-2 py-2 text-right">
                            {row.bands[band].shown}
                          </td>
                        ))}
                        <td className="px-2 py-2 text-right font-semibold">{row.ratings.shown}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          {summary.ratings.rows.length > 0 ? (
            <section aria-labelledby="likes-heading" className="space-y-3">
              <h2 id="likes-heading" className="text-2xl font-semibold">
                {t("childVoiceReport.likesTitle")}
              </h2>
              <p className="max-w-prose">{t("childVoiceReport.likesHint")}</p>
              <div className="overflow-x-auto" role="region" aria-labelledby="likes-heading" tabIndex={0}>
                <table className="min-w-full border-collapse text-left">
                  <thead>
                    <tr className="border-b-2 border-slate-700">
                      <th scope="col" className="px-2 py-2 align-bottom">
                        {t("childVoiceReport.liked")}
                      </th>
                      {summary.ratings.rows.map((row) => (
                        <th key={row.key ?? "none"} scope="col" className="px-2 py-2 text-right align-bottom">
                          {label(row, summary.ratings.by)}
                        </th>
                      ))}
                      <th scope="col" className="px-2 py-2 text-right align-bottom">
                        {t("childVoiceReport.total")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {LIKES.map((like) => (
                      <tr key={like} className="border-b border-slate-300">
                        <th scope="row" className="px-2 py-2 font-semibold">
                          {t(`childVoice.likes.${like}`)}
                        </th>
                        {summary.ratings.rows.map((row) => (
                          <td key={row.key ?? "none"} className="px-2 py-2 text-right">
                            {row.likes[like].shown}
                          </td>
                        ))}
                        <td className="px-2 py-2 text-right font-semibold">{summary.ratings.total.likes[like].shown}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}

          {summary.wishes ? (
            <section aria-labelledby="wishes-heading" className="space-y-3">
              <h2 id="wishes-heading" className="text-2xl font-semibold">
                {t("childVoiceReport.wishesTitle")}
              </h2>
              <p className="max-w-prose">{t("childVoiceReport.wishesHint")}</p>
              <div className="overflow-x-auto" role="region" aria-labelledby="wishes-heading" tabIndex={0}>
                <table className="min-w-full border-collapse text-left">
                  <thead>
                    <tr className="border-b-2 border-slate-700">
                      <th scope="col" className="px-2 py-2 align-bottom">
                        {t("childVoiceReport.wish")}
                      </th>
                      {summary.wishes.groups.map((group) => (
                        <th key={group.key ?? "none"} scope="col" className="px-2 py-2 text-right align-bottom">
                          {label(group, summary.wishes!.by)}
                        </th>
                      ))}
                      <th scope="col" className="px-2 py-2 text-right align-bottom">
                        {t("childVoiceReport.total")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {summary.wishes.rows.map((row) => (
                      <tr key={row.wish} className="border-b border-slate-300">
                        <th scope="row" className="px-2 py-2 font-semibold">
                          {row.wish === "something_else" ? t("childVoice.somethingElse") : t(`categories.${row.wish}`)}
                        </th>
                        {row.children.map((count, i) => (
                          <td key={i} className="px-2 py-2 text-right">
                            {row.offered
                              ? t("childVoiceReport.wishesAndOffer", { children: count.shown, activities: row.offered[i] })
                              : t("childVoiceReport.wishesOnly", { children: count.shown })}
                          </td>
                        ))}
                        <td className="px-2 py-2 text-right font-semibold">
                          {row.offeredTotal !== null
                            ? t("childVoiceReport.wishesAndOffer", { children: row.childrenTotal.shown, activities: row.offeredTotal })
                            : t("childVoiceReport.wishesOnly", { children: row.childrenTotal.shown })}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}

          {summary.words ? (
            <section aria-labelledby="words-heading" className="space-y-3">
              <h2 id="words-heading" className="text-2xl font-semibold">
                {t("childVoiceReport.wordsTitle")}
              </h2>
              <p className="max-w-prose">{t("childVoiceReport.wordsHint")}</p>
              {summary.words.length === 0 ? (
                <p>{t("childVoiceReport.noWords")}</p>
              ) : (
                summary.words.map((activity) => (
                  <div key={activity.activityId} className="space-y-1">
                    <h3 className="text-xl font-semibold">{name(activity.title)}</h3>
                    <ul className="list-disc space-y-1 pl-6">
                      {activity.words.map((words, i) => (
                        <li key={i}>{words}</li>
                      ))}
                    </ul>
                  </div>
                ))
              )}
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
