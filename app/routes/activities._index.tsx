import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ActivityTitle, AgesText, CostText } from "~/components/activity-bits";
import { formatClock, formatSessionDay, weekdayName } from "~/modules/i18n/format";
import { CheckboxField, ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { RadioGroup, SelectField } from "~/components/choice-fields";
import { Pagination } from "~/components/pagination";
import { directoryArea, directoryPlaces, parseDirectoryFilters, searchDirectory } from "~/modules/activities/directory.server";
import { bilingualText, CATEGORIES, providerName, WEEKDAYS } from "~/modules/activities/options";
import { db } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { pick } from "~/modules/i18n/bilingual";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} – Pasbort` : "Pasbort" },
  { name: "description", content: data?.description ?? "" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const lang = await resolveLanguage(request);
  const t = translator(lang);
  const { area, areas } = await directoryArea(db(), url.searchParams.get("area"));
  const parsed = parseDirectoryFilters(url.searchParams);
  const empty = { total: 0, page: 1, pageCount: 1, items: [] };
  const [results, places] = area
    ? await Promise.all([searchDirectory(db(), area.id, parsed.filters), directoryPlaces(db(), area.id)])
    : [empty, { localAuthorities: [], towns: [] }];
  const filtered = Object.keys(parsed.values).length > 0;
  return {
    title: filtered ? t("directory.titleResults", { count: results.total }) : t("directory.title"),
    description: t("directory.intro"),
    area: area ? { slug: area.slug, nameEn: area.name_en, nameCy: area.name_cy } : null,
    areas: areas.length > 1 ? areas.map((a) => ({ slug: a.slug, nameEn: a.name_en, nameCy: a.name_cy })) : [],
    values: parsed.values,
    errors: parsed.errors,
    filtered,
    places,
    ...results,
  };
}

export default function Directory() {
  const { t, lang } = useTranslate();
  const { area, areas, values, errors, filtered, places, total, page, pageCount, items } = useLoaderData<typeof loader>();
  const activeFilters = Object.keys(values).filter((name) => name !== "q").length;
  const query = (pageNumber: number) => {
    const params = new URLSearchParams(values);
    if (areas.length > 0 && area) params.set("area", area.slug);
    if (pageNumber > 1) params.set("page", String(pageNumber));
    else params.delete("page");
    const text = params.toString();
    return text ? `/activities?${text}` : "/activities";
  };
  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <h1 className="text-3xl font-bold">{t("directory.title")}</h1>
        <p className="max-w-prose">{t("directory.intro")}</p>
        {area ? <p className="max-w-prose text-slate-800">{t("directory.creditsNote", { area: pick({ en: area.nameEn, cy: area.nameCy }, lang) })}</p> : null}
      </div>

      <section aria-labelledby="filters-heading" className="space-y-4 rounded-lg border border-slate-300 bg-slate-50 p-4">
        <h2 id="filters-heading" className="text-xl font-semibold">
          {t("directory.filtersTitle")}
        </h2>
        <ErrorSummary errors={errors ?? undefined} />
        <Form method="get" action="/activities" className="space-y-5" noValidate>
          {areas.length > 0 ? (
            <SelectField
              name="area"
              label={t("directory.area")}
              emptyLabel={t("directory.areaDefault")}
              options={areas.map((a) => ({ value: a.slug, label: pick({ en: a.nameEn, cy: a.nameCy }, lang) }))}
              defaultValue={area?.slug}
            />
          ) : null}
          <TextField name="q" type="search" label={t("directory.q")} hint={t("directory.qHint")} defaultValue={values.q} autoComplete="off" />
          {/* Folded away until used, so that on a phone the results are not two screens down; open while any is set. */}
          <details open={activeFilters > 0 || Boolean(errors) || undefined} className="group space-y-5">
            <summary className="cursor-pointer py-1 font-semibold text-brand-700 underline underline-offset-2">
              {activeFilters > 0 ? t("directory.filtersInUse", { count: activeFilters }) : t("directory.moreFilters")}
            </summary>
            <div className="mt-4 grid gap-5 md:grid-cols-2">
              <SelectField
                name="category"
                label={t("directory.category")}
                emptyLabel={t("directory.anyCategory")}
                options={CATEGORIES.map((category) => ({ value: category, label: t(`categories.${category}`) }))}
                defaultValue={values.category}
              />
              <TextField
                name="age"
                type="text"
                inputMode="numeric"
                label={t("directory.age")}
                hint={t("directory.ageHint")}
                defaultValue={values.age}
                error={errors?.age}
                className="max-w-[8rem]"
                autoComplete="off"
              />
              <SelectField
                name="la"
                label={t("directory.la")}
                emptyLabel={t("directory.anywhere")}
                options={places.localAuthorities.map((code) => ({ value: code, label: t(`localAuthorities.${code}`, { defaultValue: code }) }))}
                defaultValue={values.la}
              />
              <SelectField
                name="town"
                label={t("directory.town")}
                emptyLabel={t("directory.anyTown")}
                options={places.towns.map((town) => ({ value: town, label: town }))}
                defaultValue={values.town}
              />
              <SelectField
                name="day"
                label={t("directory.day")}
                emptyLabel={t("directory.anyDay")}
                options={WEEKDAYS.map((day) => ({ value: String(day), label: weekdayName(day, lang) }))}
                defaultValue={values.day}
              />
              <RadioGroup
                name="cost"
                label={t("directory.cost")}
                options={[
                  { value: "", label: t("directory.anyCost") },
                  { value: "free", label: t("directory.freeOnly") },
                  { value: "low", label: t("directory.freeOrLow") },
                ]}
                defaultValue={values.cost ?? ""}
              />
            </div>
            <div className="mt-5">
              <CheckboxField name="welsh" value="1" label={t("directory.welsh")} hint={t("directory.welshHint")} defaultChecked={values.welsh === "1"} />
            </div>
          </details>
          <div className="flex flex-wrap items-center gap-6">
            <SubmitButton>{t("directory.search")}</SubmitButton>
            {filtered ? <Link to={areas.length > 0 && area ? `/activities?area=${area.slug}` : "/activities"}>{t("directory.clear")}</Link> : null}
          </div>
        </Form>
      </section>

      <section aria-labelledby="results-heading" className="space-y-4">
        <h2 id="results-heading" className="text-2xl font-semibold" aria-live="polite">
          {t("directory.found", { count: total })}
          {pageCount > 1 ? <span className="block text-base font-normal">{t("pagination.pageOf", { page, pages: pageCount })}</span> : null}
        </h2>
        {total === 0 ? <p>{filtered ? t("directory.noneFiltered") : t("directory.none")}</p> : null}
        <ul className="space-y-4">
          {items.map((item) => {
            const text = bilingualText(item, lang);
            return (
              <li key={item.id} className="rounded-lg border border-slate-300 p-4">
                <h3 className="text-xl font-semibold">
                  <Link to={`/activities/${item.id}${area && areas.length > 0 ? `?area=${area.slug}` : ""}`}>
                    <ActivityTitle activity={item} />
                  </Link>
                </h3>
                <p className="text-slate-800">
                  {providerName({ name_en: item.provider_name_en, name_cy: item.provider_name_cy }, lang)}
                  {item.town ? `, ${item.town}` : ""}
                </p>
                {text.description ? (
                  <p className="mt-2 max-w-prose" lang={text.lang !== lang ? text.lang : undefined}>
                    {text.description}
                  </p>
                ) : null}
                <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
                  <li>{t(`categories.${item.category}`)}</li>
                  <li>
                    <CostText costBand={item.cost_band} pricePence={item.price_pence} />
                  </li>
                  <li>
                    <AgesText minAge={item.min_age} maxAge={item.max_age} />
                  </li>
                  <li>{t("directory.creditHours", { count: item.credit_quarter_hours / 4 })}</li>
                  {item.welsh_language ? <li className="font-semibold">{t("directory.inWelsh")}</li> : null}
                </ul>
                {text.onlyIn && text.onlyIn !== lang ? <p className="mt-2 text-sm">{t(`directory.describedOnlyIn.${text.onlyIn}`)}</p> : null}
                <p className="mt-2 text-sm">
                  {item.next_session_at
                    ? t("directory.next", { day: formatSessionDay(item.next_session_at, lang), time: formatClock(item.next_session_at) })
                    : t("directory.noSessions")}
                </p>
              </li>
            );
          })}
        </ul>
        <Pagination page={page} pageCount={pageCount} hrefFor={query} />
      </section>

      <aside aria-labelledby="apply-heading" className="space-y-2 border-t border-slate-300 pt-4">
        <h2 id="apply-heading" className="text-lg font-semibold">
          {t("directory.applyTitle")}
        </h2>
        <p>
          {t("directory.applyHint")} <Link to="/apply">{t("directory.applyLink")}</Link>
        </p>
      </aside>
    </div>
  );
}
