import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { RadioGroup, SelectField } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { EquityChart } from "~/components/reports/equity-chart";
import { ReportTable, type TableRow } from "~/components/reports/report-table";
import { localAuthoritiesOf } from "~/modules/activities/places.server";
import { ukDate } from "~/modules/activities/uk-time.server";
import { db, reportsDb } from "~/modules/db/db.server";
import { anyText } from "~/modules/forms/fields.server";
import { readValues } from "~/modules/forms/read-form.server";
import { pick, type Bilingual } from "~/modules/i18n/bilingual";
import { formatDate } from "~/modules/i18n/format";
import { receivedKey, type Language, type Translate } from "~/modules/i18n/i18n";
import { useTranslate } from "~/modules/i18n/use-translate";
import { RATING_BANDS } from "~/modules/reports/child-voice";
import { signedPoints } from "~/modules/reports/gap-words";
import {
  canPublishYear,
  IMPACT_ROLES,
  impactAreaFor,
  impactReportOrRelease,
  impactYears,
  parseImpactQuery,
  publishImpactRelease,
  type ImpactReport,
  type ImpactRow,
} from "~/modules/reports/impact.server";
import { groupLabel, hoursText, percent } from "~/modules/reports/labels";
import { WIMD_EDITIONS } from "~/modules/reference/wimd-editions";
import reportPrint from "~/styles/report-print.css";
import { reportPageStart } from "~/modules/reports/report-page.server";
import { requireActor } from "~/modules/accounts/actor.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reportPrint }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} – Pasbort` : "Pasbort" },
  { name: "robots", content: "noindex" },
];

/**
 * The annual impact report for the Public Services Board (issue 21), for the area's
 * coordinators and viewers: an academic year, for the area, one local authority or one
 * school. The figures are impactReport's (app/modules/reports/impact.server.ts), every count
 * of children through disclosure control; this page only lays them out, each chart with its
 * table and a text alternative, without script. A year a coordinator has published shows its
 * kept release (ADR 0041), and its current figures with `figures=current`.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership, title, area, today } = await reportPageStart(request, context, IMPACT_ROLES, "impact.title");
  const areaId = impactAreaFor(membership);
  const [localAuthorities, schools] = await Promise.all([
    localAuthoritiesOf(reportsDb(), areaId),
    reportsDb().selectFrom("school").select(["id", "name"]).where("area_id", "=", areaId).orderBy("name").execute(),
  ]);
  const form = {
    title,
    area,
    years: impactYears(today).map((year) => ({ id: year.id, from: year.year, to: year.year + 1 })),
    localAuthorities,
    schools,
  };
  const params = new URL(request.url).searchParams;
  const parsed = parseImpactQuery(params, { today, localAuthorities, schoolIds: schools.map((s) => s.id) });
  if (!parsed.ok) return data({ ...form, errors: parsed.errors, values: parsed.values, report: null, release: null }, { status: 400 });
  const { year, laCode, schoolId, edition } = parsed.query;
  const { current } = parsed;
  const { report, release } = await impactReportOrRelease(reportsDb(), { areaId, laCode, schoolId }, { year, today, edition, current }, db());
  return {
    ...form,
    errors: null,
    values: { year: year.id, la: laCode ?? "", school: schoolId ?? "", edition },
    report,
    release: {
      publishedAt: release ? release.publishedAt.toISOString() : null,
      current: Boolean(release) && current,
      // Only a coordinator publishes, and only a year that is over (ADR 0041).
      canPublish: membership.role === "coordinator" && !release && canPublishYear(year, today),
      yearOver: canPublishYear(year, today),
      coordinator: membership.role === "coordinator",
    },
  };
}

/**
 * Publishes the chosen year's report for its scope and edition (coordinators only): the same
 * fields as the page's query, checked the same way; refusals (a year not over, one already
 * published) come back with their reason.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const form = await readValues(request, { year: anyText, la: anyText, school: anyText, edition: anyText });
  const today = ukDate(new Date());
  const [localAuthorities, schools] = await Promise.all([
    localAuthoritiesOf(db(), membership.areaId),
    db().selectFrom("school").select("id").where("area_id", "=", membership.areaId).execute(),
  ]);
  const parsed = parseImpactQuery(new URLSearchParams(form), { today, localAuthorities, schoolIds: schools.map((s) => s.id) });
  if (!parsed.ok) return data({ errors: parsed.errors, formError: null }, { status: 400 });
  const outcome = await publishImpactRelease(db(), membership, parsed.query, { today, now: new Date() });
  if (!outcome.ok) return data({ errors: null, formError: outcome.formError }, { status: outcome.status });
  const { year, laCode, schoolId, edition } = parsed.query;
  const back = new URLSearchParams({ year: year.id, edition, published: "1" });
  if (laCode) back.set("la", laCode);
  if (schoolId) back.set("school", schoolId);
  throw redirect(`/reports/impact?${back.toString()}`);
}

const count = (value: { shown: string } | null | undefined) => value?.shown ?? "";
const name = (text: Bilingual | null, lang: Language) => pick(text, lang);

/** A quintile's, LA's or school's label, in the equity report's words. */
function rowLabel(row: Pick<ImpactRow, "key" | "name">, by: "quintile" | "la" | "school", t: Translate, lang: "cy" | "en") {
  return groupLabel({ key: row.key, name: row.name }, by, t, lang);
}

function termName(period: { term: string | null; year: number }, t: Translate) {
  if (period.term === "autumn") return t("reports.trend.terms.autumn", { year: period.year });
  if (period.term === "spring") return t("reports.trend.terms.spring", { year: period.year });
  if (period.term === "summer") return t("reports.trend.terms.summer", { year: period.year });
  return t("impact.growth.yearName", { from: period.year, to: period.year + 1 });
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-3">
      <h2 id={`${id}-heading`} className="text-2xl font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default function ImpactReportPage() {
  const { t, lang } = useTranslate();
  const { area, years, localAuthorities, schools, errors, values, report, release } = useLoaderData<typeof loader>();
  const published = useActionData<typeof action>();
  const [params] = useSearchParams();
  const r = report as unknown as ImpactReport | null;
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <h1 className="text-3xl font-bold">
          {t("impact.title")}
          <span className="block text-lg font-normal">{r ? name(r.scope.name, lang) : pick(area, lang)}</span>
        </h1>
        {r ? (
          <p className="text-lg">
            {t("impact.year", { from: Number(r.year.slice(0, 4)), to: Number(r.year.slice(0, 4)) + 1 })}
            {" · "}
            <span id="report-edition">{t(`reports.editions.${r.edition}`)}</span>
          </p>
        ) : null}
        <p className="max-w-prose">{t("impact.intro")}</p>
        {r ? <p>{t(`impact.scope.${r.scope.kind}`)}</p> : null}
        {r?.inProgress ? <p className="border-l-4 border-amber-700 bg-amber-50 p-3 font-semibold">{t("impact.inProgress")}</p> : null}
        {r && release ? <ReleaseNote values={values} release={release} /> : null}
      </div>

      <section aria-labelledby="impact-form-heading" className="space-y-4 print:hidden">
        <h2 id="impact-form-heading" className="text-2xl font-semibold">
          {t("impact.form.title")}
        </h2>
        <ErrorSummary errors={errors ?? undefined} />
        <Form method="get" className="space-y-5" noValidate>
          <SelectField
            name="year"
            label={t("impact.form.year")}
            emptyLabel={t("impact.form.yearOption", { from: years[0]!.from, to: years[0]!.to })}
            options={years.slice(1).map((year) => ({ value: year.id, label: t("impact.form.yearOption", { from: year.from, to: year.to }) }))}
            defaultValue={values.year === years[0]!.id ? "" : values.year}
            error={errors?.year}
          />
          <SelectField
            name="la"
            label={t("impact.form.la")}
            hint={t("impact.form.scopeHint")}
            emptyLabel={t("impact.form.laAll")}
            options={localAuthorities.map((code) => ({ value: code, label: t(`localAuthorities.${code}`, { defaultValue: code }) }))}
            defaultValue={values.la}
            error={errors?.la}
          />
          <SelectField
            name="school"
            label={t("impact.form.school")}
            emptyLabel={t("impact.form.schoolAll")}
            options={schools.map((school) => ({ value: school.id, label: school.name }))}
            defaultValue={values.school}
            error={errors?.school}
          />
          <RadioGroup
            name="edition"
            label={t("impact.form.edition")}
            options={WIMD_EDITIONS.map((edition) => ({ value: edition, label: t(`reports.editions.${edition}`) }))}
            defaultValue={values.edition || "wimd2025"}
            error={errors?.edition}
          />
          <SubmitButton>{t("impact.form.show")}</SubmitButton>
        </Form>
      </section>

      {r ? <Report report={r} /> : null}
      {r ? <Downloads values={values} current={Boolean(release?.current)} /> : null}
      {r && release?.coordinator ? (
        <Publish
          values={values}
          release={release}
          errors={published?.errors ?? null}
          formError={published?.formError ?? null}
          done={params.get("published") === "1"}
        />
      ) : null}
    </div>
  );
}

function Report({ report }: { report: ImpactReport }) {
  const { t, lang } = useTranslate();
  const notShown = t("impact.notShown");
  const { reach, growth, persistence, depth, offer, voice } = report;
  const withPopulation = report.benchmark === "population";
  const reachColumns = (by: "quintile" | "la" | "school") => [
    { key: "group", label: t("impact.columns.group") },
    { key: "enrolled", label: t("impact.columns.enrolled") },
    { key: "active", label: t("impact.columns.active") },
    { key: "participationRate", label: t("impact.columns.participationRate") },
    { key: "activeShare", label: t("impact.columns.activeShare") },
    ...(by === "school" ? [] : [{ key: "fairShare", label: t("impact.columns.fairShare") }]),
    ...(withPopulation && by !== "school"
      ? [
          { key: "population", label: t("impact.columns.population") },
          { key: "populationRate", label: t("impact.columns.populationRate") },
        ]
      : []),
    { key: "hours", label: t("impact.columns.hours") },
    { key: "hoursPerActive", label: t("impact.columns.hoursPerActive") },
    { key: "awards", label: t("impact.columns.awards") },
  ];
  const reachRows = (rows: ImpactRow[], by: "quintile" | "la" | "school"): TableRow[] =>
    [...rows, reach.total].map((row) => ({
      key: row === reach.total ? "total" : (row.key ?? "none"),
      label: row === reach.total ? t("impact.total") : rowLabel(row, by, t, lang),
      total: row === reach.total,
      cells: [
        count(row.enrolled),
        count(row.active),
        percent(row.participationRate),
        percent(row.activeShare),
        ...(by === "school" ? [] : [percent(row.fairShare)]),
        ...(withPopulation && by !== "school" ? [row.population === null ? "" : String(row.population), percent(row.populationRate)] : []),
        hoursText(row.hours),
        hoursText(row.hoursPerActive),
        count(row.awards),
      ],
    }));
  const quintileBars = reach.byQuintile
    .filter((row) => row.key !== null)
    .map((row) => ({ label: rowLabel(row, "quintile", t, lang), value: row.activeShare, marker: row.fairShare }));
  const trendBars = growth.terms.map((term) => ({ label: termName(term, t), value: term.q1ParticipationRate, marker: term.q5ParticipationRate }));
  const growthColumns = [
    { key: "period", label: t("impact.columns.period") },
    { key: "enrolled", label: t("impact.columns.enrolled") },
    { key: "active", label: t("impact.columns.active") },
    { key: "participationRate", label: t("impact.columns.participationRate") },
    { key: "hours", label: t("impact.columns.hours") },
    { key: "hoursPerActive", label: t("impact.columns.hoursPerActive") },
  ];
  const growthRow = (period: ImpactReport["growth"]["thisYear"]): TableRow => ({
    key: period.id,
    label: termName(period, t),
    cells: [count(period.enrolled), count(period.active), percent(period.participationRate), hoursText(period.hours), hoursText(period.hoursPerActive)],
  });

  return (
    <>
      <Section id="summary" title={t("impact.sections.summary")}>
        <ul id="impact-summary" className="list-disc space-y-1 pl-6">
          {report.summary.map((line) => (
            <li key={line.key}>{t(receivedKey(line.key), line.values)}</li>
          ))}
        </ul>
        {reach.gap.verdict ? <p className="text-sm">{t("reports.summary.intervalNote")}</p> : null}
      </Section>

      <Section id="reach" title={t("impact.sections.reach")}>
        <p className="max-w-prose">{t("impact.reach.intro")}</p>
        <ul id="reach-chart-text" className="list-disc pl-6">
          {quintileBars.map((bar) => (
            <li key={bar.label}>
              {bar.value === null
                ? t("impact.chartBarHidden", { group: bar.label })
                : bar.marker === null
                  ? t("impact.chartBar", { group: bar.label, value: percent(bar.value) })
                  : t("impact.chartBarWithFair", { group: bar.label, value: percent(bar.value), fair: percent(bar.marker) })}
            </li>
          ))}
        </ul>
        <EquityChart
          bars={quintileBars}
          titleId="reach-chart-title"
          summaryId="reach-chart-text"
          title={t("impact.reach.chartTitle")}
          fairLabel={t("reports.chart.fairShare")}
          hiddenLabel={t("reports.chart.hidden")}
        />
        <ReportTable
          id="reach-quintile"
          caption={t("impact.reach.byQuintile")}
          columns={reachColumns("quintile")}
          rows={reachRows(reach.byQuintile, "quintile")}
          notShown={notShown}
        />
        {report.scope.kind !== "la" ? (
          <ReportTable
            id="reach-la"
            caption={t("impact.reach.byLocalAuthority")}
            columns={reachColumns("la")}
            rows={reachRows(reach.byLocalAuthority, "la")}
            notShown={notShown}
          />
        ) : null}
        {report.scope.kind !== "school" ? (
          reach.bySchool.length ? (
            <ReportTable
              id="reach-school"
              caption={t("impact.reach.bySchool")}
              columns={reachColumns("school")}
              rows={reachRows(reach.bySchool, "school")}
              notShown={notShown}
            />
          ) : (
            <p>{t("impact.reach.noSchools")}</p>
          )
        ) : null}
        <p className="text-sm" id="impact-benchmark">
          {t(`reports.benchmark.${report.benchmark}`)}
        </p>
      </Section>

      <Section id="growth" title={t("impact.sections.growth")}>
        <p className="max-w-prose">{t("impact.growth.intro")}</p>
        <ReportTable id="growth-terms" caption={t("impact.growth.termsTable")} columns={growthColumns} rows={growth.terms.map(growthRow)} notShown={notShown} />
        <ReportTable
          id="growth-years"
          caption={t("impact.growth.yearsTable")}
          columns={growthColumns}
          rows={[...(growth.lastYear ? [growthRow(growth.lastYear)] : []), growthRow(growth.thisYear)]}
          notShown={notShown}
        />
        {growth.yearOnYear ? (
          <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[auto_1fr]">
            <dt className="font-semibold">{t("impact.growth.changeEnrolled")}</dt>
            <dd>{signed(growth.yearOnYear.enrolledChange)}</dd>
            <dt className="font-semibold">{t("impact.growth.changeActive")}</dt>
            <dd>{signed(growth.yearOnYear.activeChange)}</dd>
            <dt className="font-semibold">{t("impact.growth.changeHours")}</dt>
            <dd>{signed(growth.yearOnYear.hoursChange) || <NotShown label={notShown} />}</dd>
            <dt className="font-semibold">{t("impact.growth.changeRate")}</dt>
            <dd>
              {growth.yearOnYear.participationRateChange === null ? (
                <NotShown label={notShown} />
              ) : (
                t("impact.growth.changePoints", { points: signedPoints(growth.yearOnYear.participationRateChange) })
              )}
            </dd>
          </dl>
        ) : (
          <p>{t("impact.growth.noLastYear")}</p>
        )}
        {growth.lastYearPublishedAt ? (
          <p id="impact-last-year-published">{t("impact.release.lastYearPublished", { date: formatDate(growth.lastYearPublishedAt, lang) })}</p>
        ) : null}

        <h3 className="text-xl font-semibold">{t("impact.sections.gapTrend")}</h3>
        <p className="max-w-prose">{t("impact.gapTrend.intro")}</p>
        <ul id="trend-chart-text" className="list-disc pl-6">
          {growth.terms.map((term) => (
            <li key={term.id}>
              {t("impact.chartTermBar", {
                term: termName(term, t),
                q1: percent(term.q1ParticipationRate) || t("impact.hidden"),
                q5: percent(term.q5ParticipationRate) || t("impact.hidden"),
              })}
            </li>
          ))}
        </ul>
        <EquityChart
          bars={trendBars}
          titleId="trend-chart-title"
          summaryId="trend-chart-text"
          title={t("impact.gapTrend.chartTitle")}
          fairLabel={t("reports.trend.chartMarker")}
          hiddenLabel={t("reports.chart.hidden")}
        />
        <ReportTable
          id="gap-trend"
          caption={t("impact.sections.gapTrend")}
          columns={[
            { key: "term", label: t("reports.trend.term") },
            { key: "q1", label: t("reports.trend.q1Rate") },
            { key: "q5", label: t("reports.trend.q5Rate") },
            { key: "difference", label: t("reports.trend.difference") },
            { key: "interval", label: t("reports.trend.interval") },
            { key: "verdict", label: t("reports.trend.verdict") },
          ]}
          rows={[...growth.terms, growth.thisYear].map((term) => ({
            key: term.id,
            label: termName(term, t),
            cells: [
              percent(term.q1ParticipationRate),
              percent(term.q5ParticipationRate),
              term.gap.participationDifference === null ? "" : t("reports.trend.points", { points: signedPoints(term.gap.participationDifference) }),
              term.gap.participationDifferenceInterval === null
                ? ""
                : t("reports.trend.intervalRange", {
                    low: signedPoints(term.gap.participationDifferenceInterval.low),
                    high: signedPoints(term.gap.participationDifferenceInterval.high),
                  }),
              term.gap.verdict === null ? "" : t(`reports.trend.verdicts.${term.gap.verdict}`),
            ],
          }))}
          notShown={notShown}
        />
      </Section>

      <Section id="persistence" title={t("impact.sections.persistence")}>
        <p className="max-w-prose">{t("impact.persistence.intro")}</p>
        {persistence.lastYearId ? (
          <ReportTable
            id="persistence-table"
            caption={t("impact.sections.persistence")}
            columns={[
              { key: "group", label: t("impact.columns.group") },
              { key: "activeLastYear", label: t("impact.columns.activeLastYear") },
              { key: "activeAgain", label: t("impact.columns.activeAgain") },
              { key: "rate", label: t("impact.columns.persistenceRate") },
            ]}
            rows={[...persistence.byQuintile, persistence.total].map((row) => ({
              key: row === persistence.total ? "total" : (row.key ?? "none"),
              label: row === persistence.total ? t("impact.total") : rowLabel({ key: row.key, name: null }, "quintile", t, lang),
              total: row === persistence.total,
              cells: [count(row.activeLastYear), count(row.activeAgain), percent(row.rate)],
            }))}
            notShown={notShown}
          />
        ) : (
          <p>{t("impact.persistence.none")}</p>
        )}
      </Section>

      <Section id="depth" title={t("impact.sections.depth")}>
        <p className="max-w-prose">{t("impact.depth.intro")}</p>
        <p>
          {depth.hours === null
            ? t("impact.depth.totalsHidden")
            : t("impact.depth.totals", {
                hours: hoursText(depth.hours),
                perActive: hoursText(depth.hoursPerActive) || t("impact.hidden"),
                median: hoursText(depth.medianHoursPerActive) || t("impact.hidden"),
              })}
        </p>
        <p>{t("impact.depth.awards", { awards: depth.awards.shown })}</p>
        {depth.awardsByLevel.length ? (
          <ReportTable
            id="depth-levels"
            caption={t("impact.depth.levelsTable")}
            columns={[
              { key: "level", label: t("impact.columns.level") },
              { key: "threshold", label: t("impact.columns.threshold") },
              { key: "reached", label: t("impact.columns.reached") },
            ]}
            rows={depth.awardsByLevel.map((level) => ({
              key: level.levelId,
              label: name(level.name, lang),
              cells: [String(level.thresholdHours), count(level.reached)],
            }))}
            notShown={notShown}
          />
        ) : (
          <p>{t("impact.depth.noLevels")}</p>
        )}
        <p>{t("impact.depth.graduations", { held: depth.graduationsHeld, invited: depth.graduatesInvited.shown, attended: depth.graduatesAttended.shown })}</p>
        {depth.attendanceRate !== null ? <p>{t("impact.depth.attendance", { rate: percent(depth.attendanceRate) })}</p> : null}
      </Section>

      <Section id="offer" title={t("impact.sections.offer")}>
        <p className="max-w-prose">{t("impact.offer.intro")}</p>
        <p>
          {offer.activities === 0
            ? t("impact.offer.none")
            : t("impact.offer.totals", {
                destinations: offer.destinations,
                activities: offer.activities,
                free: offer.freeOrLowCost,
                freeShare: percent(offer.freeOrLowCostShare),
                welsh: offer.welsh,
                welshShare: percent(offer.welshShare),
              })}
        </p>
        {offer.byLocalAuthority.length ? (
          <ReportTable
            id="offer-la"
            caption={t("impact.offer.byLocalAuthority")}
            columns={[
              { key: "group", label: t("impact.columns.group") },
              { key: "activities", label: t("impact.columns.activities") },
              { key: "freeOrLowCost", label: t("impact.columns.freeOrLowCost") },
              { key: "welsh", label: t("impact.columns.welsh") },
            ]}
            rows={offer.byLocalAuthority.map((row) => ({
              key: row.key ?? "none",
              label: row.name ? name(row.name, lang) : t("impact.offer.notKnownLa"),
              cells: [String(row.activities), String(row.freeOrLowCost), String(row.welsh)],
            }))}
            notShown={notShown}
          />
        ) : null}
        <ReportTable
          id="offer-reach"
          caption={t("impact.offer.withinReach")}
          columns={[
            { key: "group", label: t("impact.columns.group") },
            { key: "lsoas", label: t("impact.columns.lsoas") },
            { key: "activitiesPerLsoa", label: t("impact.columns.activitiesPerLsoa") },
            { key: "withFreeOrLowCost", label: t("impact.columns.withFreeOrLowCost") },
            { key: "withWelsh", label: t("impact.columns.withWelsh") },
          ]}
          rows={offer.withinReach.map((row) => ({
            key: row.key,
            label: rowLabel({ key: row.key, name: null }, "quintile", t, lang),
            cells: [
              String(row.lsoas),
              row.activitiesPerLsoa === null ? "" : String(row.activitiesPerLsoa),
              percent(row.withFreeOrLowCost),
              percent(row.withWelsh),
            ],
          }))}
          notShown={notShown}
        />
        <p className="text-sm">{t("impact.offer.rule")}</p>
      </Section>

      <Section id="voice" title={t("impact.sections.voice")}>
        {voice ? (
          <>
            <p className="max-w-prose">{t("impact.voice.intro")}</p>
            <p className="max-w-prose" id="impact-voice-scope">
              {voice.children === "la" ? t("impact.voice.childrenLa") : t("impact.voice.childrenArea")}
            </p>
            {voice.ratings.rows.length ? (
              <ReportTable
                id="voice-ratings"
                caption={t("impact.voice.ratingsTable")}
                columns={[
                  { key: "group", label: t("impact.columns.group") },
                  ...RATING_BANDS.map((band) => ({ key: band, label: t(`childVoiceReport.bands.${band}`) })),
                  { key: "ratings", label: t("childVoiceReport.ratings") },
                ]}
                rows={[...voice.ratings.rows, { ...voice.ratings.total, key: null, name: null }].map((row, index) => {
                  const isTotal = index === voice.ratings.rows.length;
                  return {
                    key: isTotal ? "total" : (row.key ?? "none"),
                    label: isTotal ? t("childVoiceReport.total") : row.key ? t(receivedKey(`categories.${row.key}`)) : t("reports.groups.notKnown"),
                    total: isTotal,
                    cells: [...RATING_BANDS.map((band) => row.bands[band].shown), row.ratings.shown],
                  };
                })}
                notShown={notShown}
              />
            ) : (
              <p>{t("impact.voice.noRatings")}</p>
            )}
            {voice.wishes ? (
              <ReportTable
                id="voice-wishes"
                caption={t("impact.voice.wishesTable")}
                columns={[
                  { key: "wish", label: t("impact.voice.wish") },
                  ...voice.wishes.groups.map((group) => ({
                    key: group.key ?? "none",
                    label: `${t("impact.voice.children")}: ${rowLabel({ key: group.key, name: null }, "quintile", t, lang)}`,
                  })),
                  { key: "children", label: `${t("impact.voice.children")}: ${t("impact.total")}` },
                  { key: "offered", label: t("impact.voice.offered") },
                ]}
                rows={voice.wishes.rows.map((row) => ({
                  key: row.wish,
                  label: row.wish === "something_else" ? t("childVoice.somethingElse") : t(`categories.${row.wish}`),
                  cells: [...row.children.map((cell) => cell.shown), row.childrenTotal.shown, row.offeredTotal === null ? "" : String(row.offeredTotal)],
                }))}
                notShown={notShown}
              />
            ) : (
              <p>{t("impact.voice.wishesPast")}</p>
            )}
          </>
        ) : (
          <p>{t("impact.voice.school")}</p>
        )}
      </Section>

      <Section id="method" title={t("impact.sections.method")}>
        <p className="text-sm">{t("reports.table.suppression")}</p>
        <p className="text-sm">{t("impact.method.reproduce")}</p>
        <p className="text-sm">
          {t(`reports.editionNote.${report.edition}`)} {t("reports.licence")}
        </p>
      </Section>
    </>
  );
}

function NotShown({ label }: { label: string }) {
  return (
    <>
      <span aria-hidden="true">–</span>
      <span className="sr-only">{label}</span>
    </>
  );
}

/** A change with its sign: "+10", "−5" (a true minus), "0"; "" for none. */
function signed(value: number | null) {
  if (value === null) return "";
  return value > 0 ? `+${value}` : value < 0 ? `−${-value}` : "0";
}

type Values = { year: string; la: string; school: string; edition: string };
type Release = { publishedAt: string | null; current: boolean; canPublish: boolean; yearOver: boolean; coordinator: boolean };

/** The page's query as an address: `/reports/impact?year=…` (with `figures=current` for the current figures of a published year). */
function reportQuery(values: Values, extra: Record<string, string> = {}) {
  const query = new URLSearchParams({ year: values.year, edition: values.edition, ...extra });
  if (values.la) query.set("la", values.la);
  if (values.school) query.set("school", values.school);
  return query;
}

/** A published year: which figures these are, and the way to the others. */
function ReleaseNote({ values, release }: { values: Values; release: Release }) {
  const { t, lang } = useTranslate();
  if (!release.publishedAt) return null;
  const date = formatDate(release.publishedAt, lang);
  return release.current ? (
    <p id="impact-release" className="border-l-4 border-amber-700 bg-amber-50 p-3">
      <span className="font-semibold">{t("impact.release.current", { date })}</span>{" "}
      <a href={`/reports/impact?${reportQuery(values).toString()}`} className="underline">
        {t("impact.release.seePublished")}
      </a>
    </p>
  ) : (
    <p id="impact-release" className="border-l-4 border-green-700 bg-green-50 p-3">
      <span className="font-semibold">{t("impact.release.published", { date })}</span>{" "}
      <a href={`/reports/impact?${reportQuery(values, { figures: "current" }).toString()}`} className="underline print:hidden">
        {t("impact.release.seeCurrent")}
      </a>
    </p>
  );
}

/** The coordinator's way to publish a year that is over and not yet published (ADR 0041). */
function Publish({
  values,
  release,
  errors,
  formError,
  done,
}: {
  values: Values;
  release: Release;
  errors: Record<string, string> | null;
  formError: string | null;
  done: boolean;
}) {
  const { t } = useTranslate();
  const from = Number(values.year.slice(0, 4));
  if (release.publishedAt && !done) return null;
  return (
    <section id="impact-publish" aria-labelledby="impact-publish-heading" className="space-y-3 print:hidden">
      <h2 id="impact-publish-heading" className="text-2xl font-semibold">
        {t("impact.publish.title")}
      </h2>
      {done && release.publishedAt ? (
        <p role="status" className="border-l-4 border-green-700 bg-green-50 p-3 font-semibold">
          {t("impact.publish.done")}
        </p>
      ) : null}
      <ErrorSummary errors={errors ?? undefined} formError={formError ?? undefined} />
      {release.canPublish ? (
        <Form method="post" className="space-y-3">
          <p className="max-w-prose">{t("impact.publish.intro")}</p>
          {(["year", "la", "school", "edition"] as const).map((name) => (
            <input key={name} type="hidden" name={name} value={values[name]} />
          ))}
          <SubmitButton>{t("impact.publish.button", { from, to: from + 1 })}</SubmitButton>
        </Form>
      ) : !release.yearOver ? (
        <p className="max-w-prose">{t("impact.publish.notYet")}</p>
      ) : null}
    </section>
  );
}

/** The same report to download (resource routes reports.impact[.pdf|.csv|.xlsx], the same gate and figures): the query the page was shown with. */
function Downloads({ values, current }: { values: Values; current: boolean }) {
  const { t, lang } = useTranslate();
  const query = reportQuery(values, { lang, ...(current ? { figures: "current" } : {}) });
  const links = [
    ["pdf", t("impactExports.download.pdf")],
    ["csv", t("impactExports.download.csv")],
    ["xlsx", t("impactExports.download.xlsx")],
  ] as const;
  return (
    <section id="impact-downloads" aria-labelledby="impact-downloads-heading" className="space-y-2 print:hidden">
      <h2 id="impact-downloads-heading" className="text-2xl font-semibold">
        {t("impactExports.download.title")}
      </h2>
      <p className="max-w-prose">{t("impactExports.download.intro")}</p>
      <ul className="list-disc space-y-1 pl-6">
        {links.map(([format, label]) => (
          <li key={format}>
            <a href={`/reports/impact.${format}?${query.toString()}`} download className="underline">
              {label}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
