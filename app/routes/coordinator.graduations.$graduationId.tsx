import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CheckboxField, ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { SelectField } from "~/components/choice-fields";
import { badRequest } from "~/modules/accounts/actor.server";
import { Pagination } from "~/components/pagination";
import { db } from "~/modules/db/db.server";
import { failureOf } from "~/modules/forms/form-result";
import { parseForm } from "~/modules/forms/parse-form.server";
import { graduationEligibility } from "~/modules/graduation/eligibility.server";
import {
  emailInvitations,
  invitationForm,
  markGraduated,
  recordAttendance,
  setStartTime,
  startTimeForm,
  type StepRefusal,
} from "~/modules/graduation/graduations.server";
import { requireGraduation, schoolFilter } from "~/modules/graduation/route-helpers.server";
import { formatDate } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";
import { pageOfRows } from "~/modules/paging";
import { anyText, listField, yes } from "~/modules/forms/fields.server";
import { invalid, parseValues, queryValues, readFormData } from "~/modules/forms/read-form.server";
import { pick } from "~/modules/i18n/bilingual";
import type { TranslationKey } from "~/modules/i18n/i18n";

/** Children listed at a time: an area's graduation can have tens of thousands. */
export const GRADUATION_PAGE_SIZE = 200;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.graduation.name} – Pasbort` : "Pasbort" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership, graduation } = await requireGraduation(db(), request, context, params.graduationId);
  const query = queryValues({ school: anyText, letters: anyText, page: anyText }, new URL(request.url).searchParams);
  const { schools, school } = await schoolFilter(db(), membership.areaId, query.school);
  const rows = await graduationEligibility(db(), membership.areaId, graduation.id, { schoolId: school?.id });
  // A letters download refused (no start time stored yet) comes back here to say so.
  const lettersError = query.letters;
  // Schools with a child who attended: one certificates PDF each, beside all in one (after the ceremony). The
  // whole list is the one already read unless a school filter narrowed it.
  const certificateSchools = graduation.graduatedAt
    ? [
        ...new Map(
          (school ? await graduationEligibility(db(), membership.areaId, graduation.id) : rows)
            .filter((row) => row.attended)
            .map((row) => [row.schoolId ?? "none", row.schoolName]),
        ).entries(),
      ].map(([id, name]) => ({ id, name }))
    : [];
  const { items, ...paging } = pageOfRows(rows, query.page, GRADUATION_PAGE_SIZE);
  return {
    graduation,
    schools,
    schoolId: school?.id ?? "",
    rows: items,
    paging,
    certificateSchools,
    lettersError: lettersError === "startTimeMissing" ? "graduations.errors.startTimeMissing" : null,
  };
}

const REFUSAL_KEYS: Record<StepRefusal, string> = {
  not_found: "errors.notFound",
  already_graduated: "graduations.errors.alreadyGraduated",
  before_cutoff: "graduations.errors.beforeCutoff",
  no_start_time: "graduations.errors.startTimeMissing",
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { graduation, who } = await requireGraduation(db(), request, context, params.graduationId);
  const form = await readFormData(request);
  const { intent, shown, attended, confirm } = await parseValues(request, form, { intent: anyText, shown: listField, attended: listField, confirm: yes });
  // Each of the page's forms shows only its own answer: the failure says which one it was.
  const whichForm = { intent };
  // A step refused as a whole is no one field's problem: "form", as parseForm names one.
  const refused = (reason: StepRefusal) => invalid({ errors: { form: REFUSAL_KEYS[reason] } }, reason === "not_found" ? 404 : 409, whichForm);
  const done = (message: TranslationKey, values2?: Record<string, number | boolean | string>) => data({ intent, message, values2 });
  switch (intent) {
    case "startTime": {
      const parsed = parseForm(startTimeForm, form);
      if (!parsed.ok) return invalid(parsed, 400, whichForm);
      const result = await setStartTime(db(), who, graduation.id, parsed.data.startsAt);
      if (!result.ok) return refused(result.reason);
      return done("graduations.timeSaved", { startsAt: result.startsAt });
    }
    case "email": {
      const parsed = parseForm(invitationForm, form);
      if (!parsed.ok) return invalid(parsed, 400, whichForm);
      if (parsed.data.school) await schoolFilter(db(), who.areaId, parsed.data.school);
      const result = await emailInvitations(db(), who, graduation.id, { schoolId: parsed.data.school });
      if (!result.ok) return refused(result.reason);
      return done(result.children ? "graduations.emailed" : "graduations.emailedNone", result);
    }
    case "attendance": {
      const result = await recordAttendance(db(), who, graduation.id, { shown, attended });
      if (!result.ok) return refused(result.reason);
      return done("graduations.attendanceSaved", result);
    }
    case "graduate": {
      if (!confirm) return invalid({ errors: { confirm: "graduations.errors.confirmRequired" } }, 400, whichForm);
      const result = await markGraduated(db(), who, graduation.id);
      if (!result.ok) return refused(result.reason);
      return done("graduations.marked", result);
    }
    default:
      badRequest();
  }
}

export default function GraduationPage() {
  const { t, lang } = useTranslate();
  const { graduation, schools, schoolId, rows, paging, certificateSchools, lettersError } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failure = failureOf(actionData);
  const succeeded = actionData && "message" in actionData ? actionData : null;
  const base = `/coordinator/graduations/${graduation.id}`;
  const query = schoolId ? `?school=${schoolId}` : "";
  const pageHref = (page: number) => {
    const params = new URLSearchParams(schoolId ? { school: schoolId } : {});
    if (page > 1) params.set("page", String(page));
    const search = params.toString();
    return search ? `${base}?${search}` : base;
  };
  const frozen = Boolean(graduation.graduatedAt);
  const failed = (intent: string) => actionData?.intent === intent && !succeeded;
  const errorsFor = (intent: string) => (failed(intent) ? failure.errors : {});
  const formErrorFor = (intent: string) => errorsFor(intent).form;
  const fieldErrors = (intent: string) => Object.fromEntries(Object.entries(errorsFor(intent)).filter(([name]) => name !== "form"));
  const invitationError = formErrorFor("email") ?? lettersError ?? undefined;
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <p>
          <Link to="/coordinator/graduations">{t("graduations.back")}</Link>
        </p>
        <h1 className="text-3xl font-bold break-words">{graduation.name}</h1>
        <p className="break-words">
          {t("graduations.details", { date: formatDate(graduation.heldOn, lang), venue: graduation.venue, cutoff: formatDate(graduation.cutoffOn, lang) })}
        </p>
        <p>{graduation.startsAt ? t("graduations.startsAt", { time: graduation.startsAt }) : t("graduations.startsAtMissing")}</p>
      </div>

      {succeeded ? (
        <p role="status" className="border-l-4 border-green-700 bg-green-50 p-4 font-semibold">
          {t(succeeded.message, succeeded.values2)}
        </p>
      ) : null}

      <section aria-labelledby="list-heading" className="space-y-4">
        <h2 id="list-heading" className="text-2xl font-semibold">
          {t("graduations.listTitle")}
        </h2>
        <p className="max-w-prose">
          {frozen
            ? t("graduations.frozenIntro", { date: formatDate(graduation.graduatedAt!, lang) })
            : t("graduations.liveIntro", { cutoff: formatDate(graduation.cutoffOn, lang) })}
        </p>
        <Form method="get" className="flex flex-wrap items-end gap-3">
          <SelectField
            name="school"
            label={t("graduations.school")}
            emptyLabel={t("graduations.allSchools")}
            options={schools.map((school) => ({ value: school.id, label: school.name }))}
            defaultValue={schoolId}
          />
          <SubmitButton>{t("graduations.show")}</SubmitButton>
        </Form>
        <p>
          {t("graduations.count", { count: paging.total })}
          {paging.pageCount > 1 ? ` ${t("graduations.showing", { from: paging.from, to: paging.to, total: paging.total })}` : null}
        </p>
        <p>
          <a href={`${base}/list.csv${query}`} download>
            {t("graduations.downloadCsv")}
          </a>
        </p>
        {frozen ? <p>{t("graduations.attendanceFrozen")}</p> : <p className="max-w-prose">{t("graduations.attendanceIntro")}</p>}
        {!frozen && paging.pageCount > 1 ? <p className="max-w-prose font-semibold">{t("graduations.attendancePerPage")}</p> : null}
        <ErrorSummary errors={fieldErrors("attendance")} formError={formErrorFor("attendance")} />
        {rows.length === 0 ? null : (
          <Form method="post" className="space-y-4">
            <input type="hidden" name="intent" value="attendance" />
            {/* relative: keeps the visually hidden labels inside the scrolling box, not off the page. */}
            <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-labelledby="list-heading">
              <table className="w-full border-collapse text-left">
                <thead>
                  <tr className="border-b-2 border-slate-700">
                    <th scope="col" className="py-2 pr-4">
                      {t("graduations.columnsList.child")}
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      {t("graduations.columnsList.school")}
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      {t("graduations.columnsList.award")}
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      {t("graduations.columnsList.hours")}
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      {t("graduations.columnsList.guardian")}
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      {t("graduations.columnsList.invited")}
                    </th>
                    <th scope="col" className="py-2">
                      {t("graduations.columnsList.attended")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => {
                    const name = `${row.givenName} ${row.familyName}`;
                    return (
                      <tr key={row.childId} className="border-b border-slate-300">
                        <th scope="row" className="py-2 pr-4 font-normal">
                          {name}
                        </th>
                        <td className="py-2 pr-4">{row.schoolName ?? t("graduations.noSchool")}</td>
                        <td className="py-2 pr-4">{pick({ en: row.awardNameEn, cy: row.awardNameCy }, lang)}</td>
                        <td className="py-2 pr-4">{row.hours}</td>
                        <td className="py-2 pr-4">{row.guardianLinked ? t("graduations.yes") : t("graduations.no")}</td>
                        <td className="py-2 pr-4">{row.invitedAt ? t("graduations.yes") : t("graduations.no")}</td>
                        <td className="py-2">
                          {frozen ? (
                            row.attended ? (
                              t("graduations.yes")
                            ) : (
                              t("graduations.no")
                            )
                          ) : (
                            <>
                              <input type="hidden" name="shown" value={row.childId} />
                              <input
                                id={`attended-${row.childId}`}
                                type="checkbox"
                                name="attended"
                                value={row.childId}
                                defaultChecked={row.attended}
                                className="h-5 w-5"
                              />
                              <label htmlFor={`attended-${row.childId}`} className="sr-only">
                                {t("graduations.attendedLabel", { name })}
                              </label>
                            </>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {frozen ? null : <SubmitButton>{t("graduations.saveAttendance")}</SubmitButton>}
          </Form>
        )}
        <Pagination page={paging.page} pageCount={paging.pageCount} hrefFor={pageHref} />
      </section>

      {frozen ? null : (
        <section aria-labelledby="invitations-heading" className="max-w-xl space-y-4">
          <h2 id="invitations-heading" className="text-2xl font-semibold">
            {t("graduations.invitationsHeading")}
          </h2>
          <p className="max-w-prose">{t("graduations.invitationsIntro")}</p>
          <ErrorSummary errors={fieldErrors("startTime")} formError={formErrorFor("startTime") ?? invitationError} />
          {/* The stored start time, which the letters and emails give; set here for a graduation created without one, or changed. */}
          <Form method="post" action={`${base}${query}`} className="space-y-5" noValidate>
            <input type="hidden" name="intent" value="startTime" />
            <TextField
              key={graduation.startsAt ?? ""}
              name="startsAt"
              label={t("graduations.time")}
              hint={t("graduations.timeHint")}
              autoComplete="off"
              className="max-w-32"
              defaultValue={failed("startTime") ? (failure.values.startsAt ?? "") : (graduation.startsAt ?? "")}
              error={errorsFor("startTime").startsAt}
              required
            />
            <SubmitButton>{t("graduations.saveTime")}</SubmitButton>
          </Form>
          {graduation.startsAt ? (
            /* A plain form: one button downloads the letters (a file), the other emails and comes back here. */
            <form method="post" action={`${base}${query}`} noValidate>
              <input type="hidden" name="school" value={schoolId} />
              <div className="flex flex-wrap gap-3">
                <button
                  type="submit"
                  formAction={`${base}/letters.pdf`}
                  className="rounded border-2 border-brand-700 px-5 py-2 font-semibold text-brand-900 hover:bg-slate-100"
                >
                  {t("graduations.letters")}
                </button>
                <button type="submit" name="intent" value="email" className="rounded bg-brand-700 px-5 py-2 font-semibold text-white hover:bg-brand-900">
                  {t("graduations.emailFamilies")}
                </button>
              </div>
            </form>
          ) : (
            <p className="max-w-prose font-semibold">{t("graduations.invitationsNeedTime")}</p>
          )}
        </section>
      )}

      {frozen ? (
        <section aria-labelledby="certificates-heading" className="space-y-3">
          <h2 id="certificates-heading" className="text-2xl font-semibold">
            {t("graduations.certificatesHeading")}
          </h2>
          <p className="max-w-prose">{t("graduations.certificatesIntro")}</p>
          {certificateSchools.length === 0 ? (
            <p>{t("graduations.certificatesNone")}</p>
          ) : (
            <ul className="list-disc space-y-1 pl-6">
              <li>
                <a href={`${base}/certificates.pdf`} download className="font-semibold">
                  {t("graduations.certificatesAll")}
                </a>
              </li>
              {certificateSchools.map((school) => (
                <li key={school.id}>
                  <a href={`${base}/certificates.pdf?school=${school.id}`} download>
                    {t("graduations.certificatesFor", { school: school.name ?? t("graduations.noSchool") })}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : (
        <section aria-labelledby="mark-heading" className="max-w-xl space-y-4">
          <h2 id="mark-heading" className="text-2xl font-semibold">
            {t("graduations.markHeading")}
          </h2>
          <p className="max-w-prose">{t("graduations.markIntro")}</p>
          <ErrorSummary errors={fieldErrors("graduate")} formError={formErrorFor("graduate")} />
          <Form method="post" className="space-y-5">
            <input type="hidden" name="intent" value="graduate" />
            <CheckboxField name="confirm" value="yes" label={t("graduations.confirm")} error={errorsFor("graduate").confirm} />
            <SubmitButton>{t("graduations.mark")}</SubmitButton>
          </Form>
        </section>
      )}
    </div>
  );
}
