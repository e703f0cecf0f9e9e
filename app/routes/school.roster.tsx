import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CheckboxField, ErrorSummary, FileField, SubmitButton } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { ROSTER_MAX_BYTES } from "~/modules/children/roster-file.server";
import { discardRoster, importRoster, previewRoster, recentImports, type PreviewRow } from "~/modules/children/roster.server";
import { db } from "~/modules/db/db.server";
import { formatDateTime } from "~/modules/i18n/format";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { hasPostcodeDirectory } from "~/modules/reference/postcodes.server";
import { anyText, fileField, intent, yes } from "~/modules/forms/fields.server";
import { invalid, parseValues, readFormData, readValues } from "~/modules/forms/read-form.server";
import { failureOf } from "~/modules/forms/form-result";
import { titled } from "~/modules/i18n/page-title";
import { receivedKey } from "~/modules/i18n/i18n";

export const meta = titled("roster.title");

/**
 * Roster import for a school coordinator: upload a CSV, see every row's problems, then import
 * the valid rows or nothing. The school is always the coordinator's own.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["school"]);
  const [imports, directory, lang] = await Promise.all([recentImports(db(), membership), hasPostcodeDirectory(db()), resolveLanguage(request)]);
  // Dates are written here: a browser without Welsh locale data would otherwise show English.
  return { schoolName: membership.schoolName, imports: imports.map((item) => ({ ...item, uploadedText: formatDateTime(item.uploaded_at, lang) })), directory };
}

type Preview = Extract<Awaited<ReturnType<typeof previewRoster>>, { ok: true }>;

export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["school"]);
  if (request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      // Held in memory and capped: a file over the limit is refused before it is read to the end.
      form = await readFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: ROSTER_MAX_BYTES }));
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) return invalid({ errors: { roster: "roster.errors.tooLarge" } }, 413);
      throw error;
    }
    const { roster: file } = await parseValues(request, form, { roster: fileField });
    if (!file || file.size === 0) return invalid({ errors: { roster: "roster.errors.chooseFile" } });
    const preview = await previewRoster(db(), membership, new Uint8Array(await file.arrayBuffer()));
    // What is wrong inside the file is the form's problem, with the columns it lacks listed after it.
    if (!preview.ok) return invalid({ formError: preview.error }, 400, { missing: preview.missing ?? [] });
    return { kind: "preview" as const, preview };
  }
  const form = await readValues(request, { importId: anyText, intent: intent(["discard"]), familiesInformed: yes, shareFsm: yes });
  if (form.intent === "discard") {
    await discardRoster(db(), membership, form.importId);
    return { kind: "discarded" as const };
  }
  const result = await importRoster(db(), membership, form.importId, { familiesInformed: form.familiesInformed, shareFsm: form.shareFsm });
  // The preview is gone by now (or was never confirmed): the upload form comes back, with the reason.
  if (!result.ok) return invalid({ formError: result.error });
  return { kind: "imported" as const, created: result.created, updated: result.updated };
}

export default function Roster() {
  const { t } = useTranslate();
  const { schoolName, imports, directory } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const actionData = answer && "kind" in answer ? answer : undefined;
  const { errors, formError } = failureOf(answer);
  const missing: string[] = answer && "missing" in answer && Array.isArray(answer.missing) ? answer.missing : [];
  return (
    <div className="space-y-8">
      <p>
        <Link to="/school">{t("roster.backToSchool")}</Link>
      </p>
      <h1 className="text-3xl font-bold">
        {t("roster.title")}
        <span className="block text-lg font-normal">{schoolName}</span>
      </h1>

      {actionData?.kind === "imported" ? (
        <div role="status" className="rounded border-4 border-brand-700 bg-brand-50 p-4">
          <p className="text-lg font-semibold">{t("roster.imported", { created: actionData.created, updated: actionData.updated })}</p>
          <p>
            <Link to="/school/passports">{t("roster.nextPrint")}</Link>
          </p>
        </div>
      ) : null}
      {actionData?.kind === "discarded" ? (
        <p role="status" className="rounded border-4 border-brand-700 bg-brand-50 p-4 font-semibold">
          {t("roster.discarded")}
        </p>
      ) : null}

      {actionData?.kind === "preview" ? (
        <PreviewSection preview={actionData.preview} />
      ) : (
        <section className="max-w-2xl space-y-4" aria-labelledby="upload-heading">
          <h2 id="upload-heading" className="text-2xl font-semibold">
            {t("roster.uploadTitle")}
          </h2>
          <p>{t("roster.intro")}</p>
          <details className="rounded border-2 border-slate-300 p-3">
            <summary className="cursor-pointer font-semibold">{t("roster.columnsTitle")}</summary>
            <ul className="mt-2 list-disc space-y-1 pl-6">
              {(["givenName", "familyName", "birth", "yearGroup", "postcode", "pupilRef", "fsm", "className"] as const).map((column) => (
                <li key={column}>{t(`roster.columnHelp.${column}`)}</li>
              ))}
            </ul>
          </details>
          {!directory ? <p className="border-l-4 border-accent-400 pl-3">{t("roster.noDirectory")}</p> : null}
          <ErrorSummary errors={errors} formError={formError}>
            {missing.length ? (
              <ul className="mt-2 list-disc pl-12">
                {missing.map((column) => (
                  <li key={column}>{t(receivedKey(column))}</li>
                ))}
              </ul>
            ) : null}
            <p className="mt-2">{t("roster.notImported")}</p>
          </ErrorSummary>
          <Form method="post" encType="multipart/form-data" className="space-y-5">
            <FileField name="roster" label={t("roster.file")} hint={t("roster.fileHint")} error={errors.roster} accept=".csv,text/csv" />
            <SubmitButton>{t("roster.check")}</SubmitButton>
          </Form>
        </section>
      )}

      {imports.length ? (
        <section aria-labelledby="history-heading" className="space-y-2">
          <h2 id="history-heading" className="text-2xl font-semibold">
            {t("roster.history")}
          </h2>
          <ul className="list-disc space-y-1 pl-6">
            {imports.map((item) => (
              <li key={item.id}>
                {item.uploadedText}: {t(`roster.status.${item.status}`)}
                {item.status === "imported"
                  ? ` — ${t("roster.imported", { created: item.rows_created ?? 0, updated: item.rows_updated ?? 0 })}`
                  : ` — ${t("roster.rowsChecked", { count: item.rows_total })}`}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function Outcome({ row }: { row: PreviewRow }) {
  const { t } = useTranslate();
  return (
    <>
      <span className="font-semibold">{t(`roster.action.${row.action}`)}</span>
      {row.problems.length ? (
        <ul className="list-disc pl-5 text-red-800">
          {row.problems.map((problem) => (
            <li key={problem}>{t(receivedKey(problem))}</li>
          ))}
        </ul>
      ) : null}
      {row.notes.length ? (
        <ul className="list-disc pl-5">
          {row.notes.map((note) => (
            <li key={note}>{t(receivedKey(note))}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function PreviewSection({ preview }: { preview: Preview }) {
  const { t } = useTranslate();
  const { counts } = preview;
  return (
    <section className="space-y-5" aria-labelledby="preview-heading">
      <h2 id="preview-heading" className="text-2xl font-semibold">
        {t("roster.previewTitle")}
      </h2>
      <p role="status" className="text-lg">
        {t("roster.previewSummary", { count: counts.total })} {t("roster.previewCreate", { count: counts.create })}{" "}
        {t("roster.previewUpdate", { count: counts.update })}
        {counts.invalid ? ` ${t("roster.previewInvalid", { count: counts.invalid })}` : ""}
        {counts.optedOut ? ` ${t("roster.previewOptedOut", { count: counts.optedOut })}` : ""}
      </p>
      <p className="text-sm">{t(`roster.encoding.${preview.encoding}`)}</p>
      {counts.invalid ? <ErrorSummary formError={{ key: "roster.problemRows", count: counts.invalid }} /> : null}

      <div className="overflow-x-auto" role="region" aria-labelledby="preview-heading" tabIndex={0}>
        <table className="min-w-full border-collapse text-left">
          <caption className="sr-only">{t("roster.previewTitle")}</caption>
          <thead>
            <tr className="border-b-2 border-slate-700">
              <th scope="col" className="py-2 pr-4">
                {t("roster.line")}
              </th>
              <th scope="col" className="py-2 pr-4">
                {t("roster.pupilRef")}
              </th>
              <th scope="col" className="py-2 pr-4">
                {t("homes.child")}
              </th>
              <th scope="col" className="py-2 pr-4">
                {t("roster.outcome")}
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.line} className={`border-b border-slate-300 align-top ${row.action === "invalid" ? "bg-red-50" : ""}`}>
                <td className="py-2 pr-4">{row.line}</td>
                <td className="py-2 pr-4 font-mono">{row.pupilRef}</td>
                <th scope="row" className="py-2 pr-4 font-normal">
                  {row.name}
                </th>
                <td className="py-2 pr-4">
                  <Outcome row={row} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {counts.valid > 0 ? (
        <Form method="post" className="max-w-2xl space-y-4 rounded border-2 border-slate-400 p-4">
          <input type="hidden" name="importId" value={preview.importId} />
          {/* Required in the browser too, so a missed tick never throws the preview away. */}
          <div className="space-y-1">
            <div className="flex items-start gap-3">
              <input
                id="familiesInformed"
                name="familiesInformed"
                type="checkbox"
                value="yes"
                required
                aria-describedby="familiesInformed-hint"
                className="mt-1 h-5 w-5 shrink-0"
              />
              <label htmlFor="familiesInformed">{t("roster.familiesInformed")}</label>
            </div>
            <p id="familiesInformed-hint" className="pl-8 text-sm text-slate-700">
              {t("roster.familiesInformedHint")}
            </p>
          </div>
          {preview.hasFsm ? <CheckboxField name="shareFsm" value="yes" label={t("roster.shareFsm")} hint={t("roster.shareFsmHint")} /> : null}
          <div className="flex flex-wrap gap-3">
            <SubmitButton>{counts.invalid ? t("roster.importValid", { count: counts.valid }) : t("roster.importAll", { count: counts.valid })}</SubmitButton>
            <button type="submit" name="intent" value="discard" formNoValidate className="rounded border-2 border-slate-700 px-5 py-2 font-semibold">
              {t("roster.importNothing")}
            </button>
          </div>
        </Form>
      ) : (
        <Form method="post">
          <input type="hidden" name="importId" value={preview.importId} />
          <button type="submit" name="intent" value="discard" className="rounded border-2 border-slate-700 px-5 py-2 font-semibold">
            {t("roster.startAgain")}
          </button>
        </Form>
      )}
    </section>
  );
}
