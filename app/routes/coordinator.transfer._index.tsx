import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CheckboxField, ErrorSummary, FileField, SubmitButton } from "~/components/forms";
import { publicOrigin } from "~/modules/accounts/links.server";
import { requireActor } from "~/modules/accounts/actor.server";
import {
  importTransfer,
  MAX_TRANSFER_BYTES,
  ownIssuerFingerprint,
  previewTransfer,
  transferredRecordCount,
  transferredRecords,
} from "~/modules/certificates/transfer.server";
import { db } from "~/modules/db/db.server";
import { anyText, fileField, intent } from "~/modules/forms/fields.server";
import { parseValues, readFormData } from "~/modules/forms/read-form.server";
import { formatDate } from "~/modules/i18n/format";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";
import { pick } from "~/modules/i18n/bilingual";

export const meta = titled("transfer.title");

/**
 * Records moved between Children's Universities (certificates/transfer.server.ts): this area's
 * export with its key fingerprint, and an import in two steps — check the file (its badges
 * against its own keys), then import it after confirming the other side's fingerprint.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const [own, records, total, lang] = await Promise.all([
    ownIssuerFingerprint(db(), membership, publicOrigin()),
    transferredRecords(db(), membership),
    transferredRecordCount(db(), membership),
    resolveLanguage(request),
  ]);
  return { own, total, records: records.map((record) => ({ ...record, importedText: formatDate(record.importedAt, lang) })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  let form: FormData;
  try {
    form = await readFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_TRANSFER_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return data({ error: "transfer.errors.too_large", preview: null, text: "" }, { status: 413 });
    throw error;
  }
  // The file on the first step; on the second, the checked file's text kept in the page.
  const fields = await parseValues(request, form, { file: fileField, transfer: anyText, intent: intent(["import"]), trust: anyText });
  const text = fields.file ? await fields.file.text() : fields.transfer;
  if (!text.trim()) return data({ error: "transfer.errors.missing", preview: null, text: "" }, { status: 400 });
  if (fields.intent === "import") {
    const result = await importTransfer(db(), membership, text, fields.trust);
    if (result.ok) throw redirect(`/coordinator/transfer?imported=${result.imported}&updated=${result.updated}&withdrawn=${result.withdrawn}`);
    const preview = result.error === "trust_not_confirmed" ? await previewTransfer(db(), membership, text) : null;
    return data(
      { error: `transfer.errors.${result.error}`, preview: preview?.ok ? preview.preview : null, text: preview?.ok ? text : "" },
      { status: result.error === "too_large" ? 413 : 400 },
    );
  }
  const result = await previewTransfer(db(), membership, text);
  if (!result.ok) return data({ error: `transfer.errors.${result.error}`, preview: null, text: "" }, { status: result.error === "too_large" ? 413 : 400 });
  return { error: null, preview: result.preview, text: result.preview.problems.length === 0 ? text : "" };
}

export default function Transfer() {
  const { t, lang } = useTranslate();
  const { own, records, total } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const imported = params.get("imported");
  const preview = result?.preview ?? null;
  const fromName = preview ? pick({ en: preview.issuer.nameEn, cy: preview.issuer.nameCy }, lang) : "";
  return (
    <div className="max-w-3xl space-y-8">
      <p>
        <Link to="/coordinator">{t("awards.backToHome")}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("transfer.title")}</h1>
      {imported ? (
        <p role="status" className="border-l-4 border-green-700 bg-green-50 p-4 font-semibold">
          {t("transfer.imported", { count: Number(imported) })}
          {Number(params.get("updated") ?? 0) > 0 ? ` ${t("transfer.updated", { count: Number(params.get("updated")) })}` : null}
          {Number(params.get("withdrawn") ?? 0) > 0 ? ` ${t("transfer.withdrawn", { count: Number(params.get("withdrawn")) })}` : null}
        </p>
      ) : null}
      <ErrorSummary errors={result?.error ? { [preview ? "trust" : "file"]: result.error } : undefined} />

      <section aria-labelledby="export-heading" className="space-y-3">
        <h2 id="export-heading" className="text-2xl font-semibold">
          {t("transfer.exportTitle")}
        </h2>
        <p className="max-w-prose">{t("transfer.exportIntro")}</p>
        <p>
          <span className="font-semibold">{t("transfer.fingerprintLabel")}: </span>
          <code className="text-lg break-all">{own.fingerprint}</code>
        </p>
        <p>
          <a href="/coordinator/transfer/export.json" download>
            {t("transfer.exportLink")}
          </a>
        </p>
      </section>

      <section aria-labelledby="import-heading" className="space-y-4">
        <h2 id="import-heading" className="text-2xl font-semibold">
          {t("transfer.importTitle")}
        </h2>
        <p className="max-w-prose">{t("transfer.importIntro")}</p>
        {preview ? (
          <div role="status" className="space-y-3 rounded-xl border-2 border-slate-300 p-4">
            <h3 className="text-xl font-bold">{t("transfer.previewTitle")}</h3>
            <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[12rem_1fr]">
              <dt className="font-semibold">{t("transfer.from")}</dt>
              <dd>{fromName}</dd>
              <dt className="font-semibold">{t("transfer.issuer")}</dt>
              <dd className="break-all">{preview.issuer.did}</dd>
              <dt className="font-semibold">{t("transfer.fingerprint")}</dt>
              <dd>
                <code className="text-lg break-all">{preview.issuer.fingerprint}</code>
              </dd>
              <dt className="font-semibold">{t("transfer.exportedAt")}</dt>
              <dd>{formatDate(new Date(preview.exportedAt), lang)}</dd>
            </dl>
            <p>
              {t("transfer.childrenCount", { count: preview.children })} · {t("transfer.badgesCount", { count: preview.badges })}
            </p>
            {preview.problems.length === 0 ? (
              <>
                <p>{t("transfer.allVerified")}</p>
                {preview.issuer.trustedBefore ? <p>{t("transfer.trustedBefore")}</p> : null}
                <Form method="post" encType="multipart/form-data" className="space-y-4">
                  <input type="hidden" name="intent" value="import" />
                  <input type="hidden" name="transfer" value={result?.text ?? ""} />
                  <CheckboxField
                    name="trust"
                    value={preview.issuer.fingerprint}
                    label={t("transfer.trustLabel", { name: fromName, fingerprint: preview.issuer.fingerprint })}
                    hint={t("transfer.trustHint")}
                    error={result?.error === "transfer.errors.trust_not_confirmed" ? result.error : undefined}
                  />
                  <SubmitButton>{t("transfer.import")}</SubmitButton>
                </Form>
              </>
            ) : (
              <>
                <h4 className="text-lg font-semibold">{t("transfer.problemsTitle")}</h4>
                <ul className="list-disc space-y-1 pl-6">
                  {preview.problems.map((problem, index) => (
                    <li key={index}>
                      {problem.child}
                      {problem.badge ? ` (${problem.badge})` : ""}: {t(problem.reason)}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        ) : null}
        <Form method="post" encType="multipart/form-data" className="space-y-4">
          <input type="hidden" name="intent" value="check" />
          <FileField
            name="file"
            label={t("transfer.fileLabel")}
            hint={t("transfer.fileHint")}
            accept=".json,application/json"
            error={result?.error && !preview ? result.error : undefined}
          />
          <SubmitButton>{t("transfer.check")}</SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="records-heading" className="space-y-3">
        <h2 id="records-heading" className="text-2xl font-semibold">
          {t("transfer.recordsTitle")}
        </h2>
        {records.length === 0 ? (
          <p>{t("transfer.noRecords")}</p>
        ) : (
          <>
            <p className="max-w-prose">{t("transfer.recordsIntro")}</p>
            {total > records.length ? <p className="font-semibold">{t("transfer.recordsShown", { shown: records.length, count: total })}</p> : null}
            <Form method="post" action="/coordinator/transfer/letters.pdf" reloadDocument>
              <SubmitButton>{t("transfer.letters")}</SubmitButton>
            </Form>
          </>
        )}
        {records.length === 0 ? null : (
          <ul className="space-y-2">
            {records.map((record) => {
              const name = `${record.givenName} ${record.familyName}`;
              const line =
                record.birthYear === null
                  ? t("transfer.recordLineNoYear", { name, hours: record.hours, from: record.fromName })
                  : t("transfer.recordLine", { name, year: record.birthYear, hours: record.hours, from: record.fromName });
              return (
                <li key={record.id} className="rounded border-2 border-slate-300 p-3">
                  <p className="font-semibold">{record.childId ? <Link to={`/children/${record.childId}`}>{line}</Link> : line}</p>
                  {record.awards.length ? <p>{t("transfer.awards", { awards: record.awards.map((award) => pick(award, lang)).join(", ") })}</p> : null}
                  <p className="text-sm text-slate-700">
                    {t("transfer.badgesCount", { count: record.badges })} · {record.importedText}
                  </p>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
