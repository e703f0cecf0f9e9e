import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { RadioGroup, SelectField } from "~/components/choice-fields";
import { DateField, ErrorSummary, FieldError, SubmitButton } from "~/components/forms";
import { EquityChart, type ChartBar } from "~/components/reports/equity-chart";
import { reportsDb } from "~/modules/db/db.server";
import { formatDate } from "~/modules/i18n/format";
import type { Translate } from "~/modules/i18n/i18n";
import { useTranslate } from "~/modules/i18n/use-translate";
import { equitySearch, parseEquityQuery } from "~/modules/reports/equity-query.server";
import { DEFAULT_WIMD_EDITION, WIMD_DOMAINS, WIMD_EDITIONS } from "~/modules/reference/wimd-editions";
import { BREAKDOWNS, mayAskCustomPeriod, REPORT_ROLES } from "~/modules/reports/breakdowns";
import { recentPublishedPeriods, type PublishedPeriod } from "~/modules/reports/published-periods";
import { equityReport, equityScopeFor, quintileGapTrend, type EquityReport } from "~/modules/reports/equity.server";
import { smallNumbersAdvice, type SmallNumbersAdvice } from "~/modules/reports/small-numbers.server";
import { gapSentence, signedPoints, trendSentence } from "~/modules/reports/gap-words";
import { cellText, equityColumns, groupLabel, percent } from "~/modules/reports/labels";
import reportPrint from "~/styles/report-print.css";
import { pick } from "~/modules/i18n/bilingual";
import { reportPageStart } from "~/modules/reports/report-page.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reportPrint }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} – Pasbort` : "Pasbort" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership, title, area, today } = await reportPageStart(request, context, REPORT_ROLES, "reports.equity.title");
  const scope = equityScopeFor(membership);
  const mayAskCustom = mayAskCustomPeriod(membership.role);
  const parsed = parseEquityQuery(new URL(request.url).searchParams, new Date(), { allowCustom: mayAskCustom });
  const scopeName = membership.schoolName ?? membership.providerName ?? null;
  const periods = recentPublishedPeriods(today);
  const form = { title, area, scopeName, periods, mayAskCustom };
  if (!parsed.ok)
    return data({ ...form, errors: parsed.errors, values: parsed.values, report: null, csv: null, trend: [], advice: null }, { status: parsed.status });
  const { from, to, by, edition, domain } = parsed.query;
  const report = await equityReport(reportsDb(), scope, { from, to, by, edition, domain });
  const trend = await quintileGapTrend(reportsDb(), scope, today, 6, edition, domain);
  return {
    ...form,
    trend,
    advice: await smallNumbersAdvice(reportsDb(), scope, parsed.query, report, today),
    errors: null,
    values: { period: parsed.query.period, from, to, by, edition, domain: domain ?? "" },
    report,
    csv: `/reports/equity.csv?${equitySearch(parsed.query)}`,
  };
}

/** The chart's bars: each group's share of the active children against its fair share, or its participation rate. */
function chartBars(report: EquityReport, t: Translate, lang: "cy" | "en"): { bars: ChartBar[]; measure: "activeShare" | "participation" | "deprivedShare" } {
  if (report.by === "provider" || report.by === "category") {
    return {
      measure: "deprivedShare",
      bars: report.rows.map((row) => ({ label: groupLabel(row, report.by, t, lang), value: row.activeMostDeprivedShare, marker: null })),
    };
  }
  if (report.by === "school") {
    return {
      measure: "participation",
      bars: report.rows.map((row) => ({ label: groupLabel(row, report.by, t, lang), value: row.participationRate, marker: null })),
    };
  }
  return {
    measure: "activeShare",
    bars: report.rows.map((row) => ({
      label: groupLabel(row, report.by, t, lang),
      value: row.activeShare,
      marker: row.fairShare,
    })),
  };
}

function gapSummary(report: EquityReport, t: Translate) {
  const { gap } = report;
  const participation = gapSentence(gap, t);
  if (participation === null) return t("reports.summary.gapHidden");
  const parts = [participation];
  if (gap.hoursRatio !== null && gap.hoursDifference !== null) {
    parts.push(t("reports.summary.gapHours", { ratio: gap.hoursRatio.toFixed(2), difference: gap.hoursDifference.toFixed(1) }));
  }
  return parts.join(" ");
}

/** Why the gap cannot be shown, and the views that can show it (a longer period, a wider area). */
function SmallNumbersHelp({ advice, id }: { advice: SmallNumbersAdvice; id: string }) {
  const { t } = useTranslate();
  return (
    <div id={id} className="space-y-1 border-l-4 border-slate-700 bg-slate-100 p-3">
      <p>{t("reports.smallNumbers.why")}</p>
      {advice.longer?.showsGap ? (
        <p>
          {t("reports.smallNumbers.longerIntro")} <a href={`/reports/equity?${advice.longer.search}`}>{t("reports.smallNumbers.longerLink")}</a>.
        </p>
      ) : advice.longer ? (
        <p>{t("reports.smallNumbers.longerNotEnough")}</p>
      ) : null}
      {advice.wider ? <p>{t("reports.smallNumbers.wider")}</p> : null}
    </div>
  );
}

/** A published period as the form names it: "Autumn term 2026", "Academic year 2026–27". */
function periodLabel(period: Pick<PublishedPeriod, "kind" | "term" | "year">, t: Translate) {
  return period.term
    ? t(`reports.trend.terms.${period.term}`, { year: period.year })
    : t("reports.form.academicYear", { from: period.year, to: period.year + 1 });
}

export default function EquityReportPage() {
  const { t, lang } = useTranslate();
  const { area, scopeName, errors, values, report, csv, trend, advice, periods, mayAskCustom } = useLoaderData<typeof loader>();
  const trendShown = trend.some((term) => term.gap.verdict !== null || term.q1ParticipationRate !== null || term.q5ParticipationRate !== null);
  const periodOptions = [
    ...periods.map((period) => ({ value: period.id, label: periodLabel(period, t) })),
    ...(mayAskCustom ? [{ value: "custom", label: t("reports.form.custom") }] : []),
  ];
  const chart = report ? chartBars(report, t, lang) : null;
  const columns = report ? equityColumns(report) : [];
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <h1 className="text-3xl font-bold">
          {t("reports.equity.title")}
          <span className="block text-lg font-normal">{scopeName ?? pick(area, lang)}</span>
        </h1>
        {report ? (
          <p className="text-lg">
            {t("reports.equity.period", { from: formatDate(report.from, lang), to: formatDate(report.to, lang) })}
            {" · "}
            {report.domain ? t("reports.domainBreakdown", { domain: t(`reports.domains.${report.domain}`) }) : t(`reports.breakdowns.${report.by}`)}
            {" · "}
            <span id="report-edition">{t(`reports.editions.${report.edition}`)}</span>
          </p>
        ) : null}
        <p>{t(`reports.equity.scope.${report?.scope ?? "area"}`)}</p>
        {report?.internalUse ? (
          <p id="report-internal-use" className="border-l-4 border-amber-700 bg-amber-50 p-3 font-semibold">
            {t("reports.internalUse")}
          </p>
        ) : null}
      </div>

      <section aria-labelledby="report-form-heading" className="space-y-4 print:hidden">
        <h2 id="report-form-heading" className="text-2xl font-semibold">
          {t("reports.form.title")}
        </h2>
        <ErrorSummary errors={errors ?? undefined} />
        <Form method="get" className="space-y-5" noValidate>
          <SelectField
            name="period"
            label={t("reports.form.period")}
            hint={t("reports.form.periodHint")}
            emptyLabel={t("reports.form.thisTerm")}
            options={periodOptions}
            defaultValue={values.period === "term" ? "" : values.period}
            error={errors?.period}
          />
          {mayAskCustom ? (
            <div className="flex flex-wrap gap-4">
              <DateField name="from" label={t("reports.form.from")} hint={t("reports.form.customHint")} defaultValue={values.from} error={errors?.from} />
              <DateField name="to" label={t("reports.form.to")} defaultValue={values.to} error={errors?.to} />
            </div>
          ) : null}
          <div className="space-y-1">
            <label htmlFor="by" className="block font-semibold">
              {t("reports.form.breakdown")}
            </label>
            <FieldError name="by" error={errors?.by} />
            <select
              id="by"
              name="by"
              defaultValue={values.by || "quintile"}
              aria-invalid={errors?.by ? true : undefined}
              aria-describedby={errors?.by ? "by-error" : undefined}
              className="block w-full max-w-md rounded border-2 border-slate-700 bg-white px-3 py-2"
            >
              {BREAKDOWNS.map((by) => (
                <option key={by} value={by}>
                  {t(`reports.breakdowns.${by}`)}
                </option>
              ))}
            </select>
          </div>
          <SelectField
            name="domain"
            label={t("reports.form.domain")}
            hint={t("reports.form.domainHint")}
            emptyLabel={t("reports.form.domainOverall")}
            options={WIMD_DOMAINS.map((domain) => ({ value: domain, label: t(`reports.domains.${domain}`) }))}
            defaultValue={values.domain}
            error={errors?.domain}
          />
          <RadioGroup
            name="edition"
            label={t("reports.form.edition")}
            options={WIMD_EDITIONS.map((edition) => ({ value: edition, label: t(`reports.editions.${edition}`) }))}
            defaultValue={values.edition || DEFAULT_WIMD_EDITION}
            error={errors?.edition}
          />
          <SubmitButton>{t("reports.form.show")}</SubmitButton>
        </Form>
      </section>

      {report && chart ? (
        <>
          <section aria-labelledby="summary-heading" className="space-y-3">
            <h2 id="summary-heading" className="text-2xl font-semibold">
              {t("reports.summary.title")}
            </h2>
            <div id="report-summary" className="space-y-2">
              {report.noCredits ? <p className="border-l-4 border-slate-700 bg-slate-100 p-3 font-semibold">{t("reports.summary.noCredits")}</p> : null}
              <p>
                {report.total.enrolled && report.total.hours !== null
                  ? t("reports.summary.totals", {
                      enrolled: report.total.enrolled.value,
                      active: report.total.active.value,
                      rate: percent(report.total.participationRate),
                      hours: report.total.hours,
                    })
                  : t("reports.summary.totalsHidden")}
              </p>
              <p id="report-gap">{gapSummary(report, t)}</p>
              {advice ? <SmallNumbersHelp advice={advice} id="report-gap-help" /> : null}
              {report.gap.verdict ? <p className="text-sm">{t("reports.summary.intervalNote")}</p> : null}
              <p>
                {t(
                  chart.measure === "activeShare" && report.benchmark === "population"
                    ? "reports.chart.describe.activeSharePopulation"
                    : `reports.chart.describe.${chart.measure}`,
                )}
              </p>
              <ul className="list-disc pl-6">
                {chart.bars.map((bar) => (
                  <li key={bar.label}>
                    {bar.value === null
                      ? t("reports.chart.barHidden", { group: bar.label })
                      : bar.marker === null
                        ? t("reports.chart.bar", { group: bar.label, value: percent(bar.value) })
                        : t("reports.chart.barWithFair", { group: bar.label, value: percent(bar.value), fair: percent(bar.marker) })}
                  </li>
                ))}
              </ul>
            </div>
            <EquityChart
              bars={chart.bars}
              titleId="chart-title"
              title={t(`reports.chart.title.${chart.measure}`)}
              fairLabel={t("reports.chart.fairShare")}
              hiddenLabel={t("reports.chart.hidden")}
            />
          </section>

          <section aria-labelledby="table-heading" className="space-y-3">
            <h2 id="table-heading" className="text-2xl font-semibold">
              {t("reports.table.title")}
            </h2>
            <div className="relative overflow-x-auto print:overflow-visible" role="region" aria-labelledby="table-heading" tabIndex={0}>
              <table className="min-w-full border-collapse text-left">
                <caption className="sr-only">{t("reports.table.caption")}</caption>
                <thead>
                  <tr className="border-b-2 border-slate-700">
                    {columns.map((column) => (
                      <th key={column} scope="col" className={`px-2 py-2 align-bottom ${column === "group" ? "" : "text-right"}`}>
                        {t(`reports.columns.${column}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {[...report.rows, { ...report.total, isTotal: true as const }].map((row) => {
                    const isTotal = "isTotal" in row;
                    return (
                      <tr
                        key={isTotal ? "total" : (row.key ?? "none")}
                        className={`border-b border-slate-300 ${isTotal ? "border-t-2 border-t-slate-700 font-semibold" : ""}`}
                      >
                        {columns.map((column) =>
                          column === "group" ? (
                            <th key={column} scope="row" className="px-2 py-2 font-semibold">
                              {isTotal ? t("reports.groups.total") : groupLabel(row, report.by, t, lang)}
                            </th>
                          ) : (
                            <td key={column} className="px-2 py-2 text-right tabular-nums">
                              {cellText(row, column) || (
                                <>
                                  <span aria-hidden="true">–</span>
                                  <span className="sr-only">{t("reports.table.notShown")}</span>
                                </>
                              )}
                            </td>
                          ),
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <p className="text-sm">{t("reports.table.suppression")}</p>
            <p className="text-sm" id="report-definitions">
              {t("reports.table.definitions")}
              {report.scope === "provider" ? ` ${t("reports.table.definitionsProvider")}` : null}
            </p>
            <p className="text-sm" id="report-edition-note">
              {t(`reports.editionNote.${report.edition}`)} {t("reports.licence")}
            </p>
            {report.domain ? (
              <p className="text-sm" id="report-domain-note">
                {t("reports.domainNote", { domain: t(`reports.domains.${report.domain}`), edition: t(`reports.editions.${report.edition}`) })}
              </p>
            ) : null}
            {columns.includes("fairShare") ? (
              <p className="text-sm" id="report-benchmark">
                {t(`reports.benchmark.${report.benchmark}`)}
              </p>
            ) : null}
            {csv ? (
              <p className="print:hidden">
                <a href={csv} download>
                  {t("reports.table.csv")}
                </a>
              </p>
            ) : null}
          </section>

          {trend.length ? (
            <section aria-labelledby="trend-heading" className="space-y-3">
              <h2 id="trend-heading" className="text-2xl font-semibold">
                {t("reports.trend.title")}
              </h2>
              {trendShown ? (
                <>
                  <p>{t("reports.trend.intro")}</p>
                  <ul id="trend-summary" className="list-disc pl-6">
                    {trend.map((term) => {
                      const name = t(`reports.trend.terms.${term.term}`, { year: term.year });
                      return (
                        <li key={term.from}>
                          {term.q1ParticipationRate === null && term.q5ParticipationRate === null
                            ? t("reports.trend.summaryHidden", { term: name })
                            : (trendSentence(term.gap, name, t) ??
                              t("reports.trend.summaryTerm", {
                                term: name,
                                q1: percent(term.q1ParticipationRate) || t("reports.chart.hidden").toLowerCase(),
                                q5: percent(term.q5ParticipationRate) || t("reports.chart.hidden").toLowerCase(),
                              }))}
                        </li>
                      );
                    })}
                  </ul>
                  <EquityChart
                    bars={trend.map((term) => ({
                      label: t(`reports.trend.terms.${term.term}`, { year: term.year }),
                      value: term.q1ParticipationRate,
                      marker: term.q5ParticipationRate,
                    }))}
                    titleId="trend-chart-title"
                    summaryId="trend-summary"
                    title={t("reports.trend.chartTitle")}
                    fairLabel={t("reports.trend.chartMarker")}
                    hiddenLabel={t("reports.chart.hidden")}
                  />
                  <div className="relative overflow-x-auto print:overflow-visible" role="region" aria-labelledby="trend-heading" tabIndex={0}>
                    <table className="min-w-full border-collapse text-left">
                      <thead>
                        <tr className="border-b-2 border-slate-700">
                          <th scope="col" className="px-2 py-2 align-bottom">
                            {t("reports.trend.term")}
                          </th>
                          {(["q1Rate", "q5Rate", "ratio", "difference", "interval", "verdict"] as const).map((column) => (
                            <th key={column} scope="col" className="px-2 py-2 text-right align-bottom">
                              {t(`reports.trend.${column}`)}
                            </th>
                          ))}
                        </tr>
                      </thead>
                      <tbody>
                        {trend.map((term) => {
                          const cells = [
                            percent(term.q1ParticipationRate),
                            percent(term.q5ParticipationRate),
                            term.gap.participationRatio === null ? "" : term.gap.participationRatio.toFixed(2),
                            term.gap.participationDifference === null
                              ? ""
                              : t("reports.trend.points", { points: Math.round(term.gap.participationDifference * 100) }),
                            term.gap.participationDifferenceInterval === null
                              ? ""
                              : t("reports.trend.intervalRange", {
                                  low: signedPoints(term.gap.participationDifferenceInterval.low),
                                  high: signedPoints(term.gap.participationDifferenceInterval.high),
                                }),
                            term.gap.verdict === null ? "" : t(`reports.trend.verdicts.${term.gap.verdict}`),
                          ];
                          return (
                            <tr key={term.from} className="border-b border-slate-300">
                              <th scope="row" className="px-2 py-2 font-semibold">
                                {t(`reports.trend.terms.${term.term}`, { year: term.year })}
                                <span className="block text-sm font-normal">
                                  {t("reports.equity.period", { from: formatDate(term.from, lang), to: formatDate(term.to, lang) })}
                                </span>
                              </th>
                              {cells.map((cell, index) => (
                                <td key={index} className="px-2 py-2 text-right tabular-nums">
                                  {cell || (
                                    <>
                                      <span aria-hidden="true">–</span>
                                      <span className="sr-only">{t("reports.table.notShown")}</span>
                                    </>
                                  )}
                                </td>
                              ))}
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  </div>
                </>
              ) : (
                <div id="trend-summary">
                  <p>{t("reports.trend.allHidden")}</p>
                  {advice ? <SmallNumbersHelp advice={advice} id="trend-help" /> : null}
                </div>
              )}
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
