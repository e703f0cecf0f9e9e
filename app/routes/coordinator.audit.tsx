import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DateField, ErrorSummary, FieldError, SubmitButton, TextField } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { AUDIT_ACTIONS, parseAuditFilters, searchAuditEvents } from "~/modules/audit/audit-search.server";
import { db } from "~/modules/db/db.server";
import { formatDateTime } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";
import { pick } from "~/modules/i18n/bilingual";

export const meta = titled("audit.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const parsed = parseAuditFilters(new URL(request.url).searchParams);
  // Filters that do not make sense show their errors and no events, rather than events the coordinator did not ask for.
  const page = parsed.ok ? await searchAuditEvents(db(), membership, parsed.filters) : { events: [], nextBefore: null };
  return {
    area: { en: membership.areaNameEn, cy: membership.areaNameCy },
    actions: AUDIT_ACTIONS,
    values: parsed.values,
    errors: parsed.ok ? null : parsed.errors,
    paged: parsed.ok && parsed.filters.before !== undefined,
    ...page,
  };
}

export default function CoordinatorAudit() {
  const { t, lang } = useTranslate();
  const { area, actions, values, errors, paged, events, nextBefore } = useLoaderData<typeof loader>();
  const filterQuery = new URLSearchParams(Object.entries(values).filter(([, value]) => value));
  const nextQuery = new URLSearchParams(filterQuery);
  if (nextBefore !== null) nextQuery.set("before", String(nextBefore));
  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <h1 className="text-3xl font-bold">{t("audit.title")}</h1>
        <p>{t("audit.intro", { area: pick(area, lang) })}</p>
      </div>

      <section aria-labelledby="filters-heading" className="space-y-4">
        <h2 id="filters-heading" className="text-2xl font-semibold">
          {t("audit.filtersTitle")}
        </h2>
        <ErrorSummary errors={errors ?? undefined} />
        <Form method="get" className="space-y-4" noValidate>
          <div className={`space-y-1 ${errors?.action ? "border-l-4 border-red-700 pl-3" : ""}`}>
            <label htmlFor="action" className="block font-semibold">
              {t("audit.action")}
            </label>
            <FieldError name="action" error={errors?.action} />
            <select
              id="action"
              name="action"
              defaultValue={values.action}
              aria-invalid={errors?.action ? true : undefined}
              aria-describedby={errors?.action ? "action-error" : undefined}
              className="block w-full max-w-md rounded border-2 border-slate-700 bg-white px-3 py-2"
            >
              <option value="">{t("audit.anyAction")}</option>
              {actions.map((action) => (
                <option key={action} value={action}>
                  {t(`audit.actions.${action}`)}
                </option>
              ))}
            </select>
          </div>
          <TextField
            name="email"
            type="text"
            inputMode="email"
            spellCheck={false}
            autoComplete="off"
            label={t("audit.email")}
            hint={t("audit.emailHint")}
            defaultValue={values.email}
            error={errors?.email}
          />
          <div className="flex flex-wrap gap-6">
            <DateField name="from" label={t("audit.from")} hint={t("audit.dateHint")} defaultValue={values.from} error={errors?.from} />
            <DateField name="to" label={t("audit.to")} hint={t("audit.dateHint")} defaultValue={values.to} error={errors?.to} />
          </div>
          <div className="flex flex-wrap items-center gap-6">
            <SubmitButton>{t("audit.search")}</SubmitButton>
            <Link to="/coordinator/audit">{t("audit.clear")}</Link>
          </div>
        </Form>
      </section>

      <section aria-labelledby="events-heading" className="space-y-3">
        <h2 id="events-heading" className="text-2xl font-semibold">
          {t("audit.resultsTitle")}
        </h2>
        {errors ? null : events.length === 0 ? (
          <p>{t("audit.noResults")}</p>
        ) : (
          <>
            <p>{t("audit.shown", { count: events.length })}</p>
            <div className="overflow-x-auto" role="region" aria-labelledby="events-heading" tabIndex={0}>
              <table className="min-w-full border-collapse text-left">
                <thead>
                  <tr className="border-b-2 border-slate-700">
                    <th scope="col" className="py-2 pr-4">
                      {t("audit.columnWhen")}
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      {t("audit.columnWho")}
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      {t("audit.columnWhat")}
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      {t("audit.columnSubject")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((event) => (
                    <tr key={event.id} className="border-b border-slate-300 align-top">
                      <td className="py-2 pr-4 whitespace-nowrap">
                        <time dateTime={new Date(event.at).toISOString()}>{formatDateTime(event.at, lang)}</time>
                      </td>
                      <td className="py-2 pr-4">
                        {event.actorEmail ? (
                          <>
                            {event.actorName}
                            <span className="block text-sm text-slate-700">{event.actorEmail}</span>
                          </>
                        ) : (
                          t("audit.system")
                        )}
                      </td>
                      <td className="py-2 pr-4">{t(`audit.actions.${event.action}`, { defaultValue: event.action })}</td>
                      <td className="py-2 pr-4">
                        {event.subjectType ? (
                          <>
                            {t(`audit.subjects.${event.subjectType}`, { defaultValue: event.subjectType })}
                            {event.subjectName ? `: ${event.subjectName}` : null}
                            {event.subjectId && !event.subjectName ? <span className="block font-mono text-sm text-slate-700">{event.subjectId}</span> : null}
                          </>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        <ul className="flex flex-wrap gap-6">
          {paged ? (
            <li>
              <Link to={`/coordinator/audit?${filterQuery.toString()}`}>{t("audit.firstPage")}</Link>
            </li>
          ) : null}
          {nextBefore !== null ? (
            <li>
              <Link to={`/coordinator/audit?${nextQuery.toString()}`} rel="next">
                {t("audit.nextPage")}
              </Link>
            </li>
          ) : null}
        </ul>
      </section>
    </div>
  );
}
