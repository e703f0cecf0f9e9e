import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, FileField, SubmitButton, TextareaField, TextField } from "~/components/forms";
import { checkPastedBadge, MAX_CREDENTIAL_BYTES, type PastedBadgeCheck } from "~/modules/certificates/verify-badge.server";
import { db } from "~/modules/db/db.server";
import { anyText, fileField } from "~/modules/forms/fields.server";
import { parseValues, readFormData } from "~/modules/forms/read-form.server";
import { formatDate } from "~/modules/i18n/format";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("certificates.verify.pageTitle", [{ name: "robots", content: "noindex" }]);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * Check a certificate by typing its code (or pasting its whole address). A GET form, so it
 * works without JavaScript and the answer page is the certificate's own /verify/<id>.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const typed = new URL(request.url).searchParams.get("id");
  if (typed === null) return { typed: "", error: null };
  const found = typed.match(UUID)?.[0];
  if (found) throw redirect(`/verify/${found.toLowerCase()}`);
  return { typed: typed.slice(0, 200), error: "certificates.verify.idInvalid" };
}

/** Check a digital badge (Open Badge) pasted or uploaded: nothing is kept. */
export async function action({ request }: ActionFunctionArgs) {
  let form: FormData;
  try {
    form = await readFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_CREDENTIAL_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError)
      return data({ kind: "error", error: "badges.verify.errors.too_large", pasted: "" } satisfies PastedBadgeCheck, { status: 413 });
    throw error;
  }
  const { credential, file } = await parseValues(request, form, { credential: anyText, file: fileField });
  const text = credential.trim() ? credential : file ? await file.text() : "";
  const [result, lang] = await Promise.all([checkPastedBadge(db(), text), resolveLanguage(request)]);
  if (result.kind === "error") return data(result, { status: result.error === "badges.verify.errors.too_large" ? 413 : 400 });
  return {
    ...result,
    validFromText:
      result.summary.validFrom && !Number.isNaN(Date.parse(result.summary.validFrom)) ? formatDate(new Date(result.summary.validFrom), lang) : null,
  };
}

export default function VerifyForm() {
  const { t } = useTranslate();
  const { typed, error } = useLoaderData<typeof loader>();
  const badge = useActionData<typeof action>();
  return (
    <div className="max-w-2xl space-y-6">
      <h1 className="text-3xl font-bold">{t("certificates.verify.pageTitle")}</h1>
      <ErrorSummary errors={error ? { id: error } : badge?.kind === "error" ? { credential: badge.error } : undefined} />
      <p>{t("certificates.verify.intro")}</p>
      <Form method="get" className="space-y-4">
        <TextField
          name="id"
          label={t("certificates.verify.idLabel")}
          hint={t("certificates.verify.idHint")}
          error={error ?? undefined}
          defaultValue={typed}
          autoComplete="off"
          spellCheck={false}
          required
        />
        <SubmitButton>{t("certificates.verify.submit")}</SubmitButton>
      </Form>

      <section aria-labelledby="badge-heading" className="space-y-4 border-t-2 border-slate-300 pt-6">
        <h2 id="badge-heading" className="text-2xl font-bold">
          {t("badges.verify.title")}
        </h2>
        <p>{t("badges.verify.intro")}</p>
        {badge?.kind === "checked" ? <BadgeResult result={badge} /> : null}
        <Form method="post" encType="multipart/form-data" className="space-y-4">
          <TextareaField
            name="credential"
            label={t("badges.verify.pasteLabel")}
            hint={t("badges.verify.pasteHint")}
            error={badge?.kind === "error" ? badge.error : undefined}
            defaultValue={badge?.kind === "error" ? badge.pasted : undefined}
            rows={6}
          />
          <FileField name="file" label={t("badges.verify.fileLabel")} hint={t("badges.verify.fileHint")} accept=".json,application/json,application/ld+json" />
          <SubmitButton>{t("badges.verify.submit")}</SubmitButton>
        </Form>
      </section>
    </div>
  );
}

function BadgeResult({ result }: { result: Extract<PastedBadgeCheck, { kind: "checked" }> & { validFromText: string | null } }) {
  const { t } = useTranslate();
  const { summary } = result;
  return (
    <div role="status" className={`space-y-4 rounded-xl border-4 p-5 ${result.valid ? "border-green-800" : "border-red-700"}`}>
      <h3 className="flex items-center gap-3 text-2xl font-bold">
        <span aria-hidden="true">{result.valid ? "✓" : "✗"}</span>
        {t(result.valid ? "badges.verify.validTitle" : "badges.verify.invalidTitle")}
      </h3>
      <h4 className="text-lg font-semibold">{t("badges.verify.checksTitle")}</h4>
      <dl className="space-y-2">
        {(["signature", "issuer", "status", "dates"] as const).map((name) => (
          <div key={name}>
            <dt className="font-semibold">
              <span aria-hidden="true">{result.checks[name].outcome === "pass" ? "✓ " : "✗ "}</span>
              {t(`badges.verify.checks.${name}`)}
            </dt>
            <dd>{t(`badges.verify.reasons.${result.checks[name].reason}`)}</dd>
          </div>
        ))}
      </dl>
      <h4 className="text-lg font-semibold">{t("badges.verify.summaryTitle")}</h4>
      <dl className="space-y-2">
        {summary.name ? (
          <div>
            <dt className="font-semibold">{t("badges.verify.name")}</dt>
            <dd>{summary.name}</dd>
          </div>
        ) : null}
        {summary.issuerName ? (
          <div>
            <dt className="font-semibold">{t("badges.verify.issuer")}</dt>
            <dd>{summary.issuerName}</dd>
          </div>
        ) : null}
        {result.validFromText ? (
          <div>
            <dt className="font-semibold">{t("badges.verify.validFrom")}</dt>
            <dd>{result.validFromText}</dd>
          </div>
        ) : null}
        <div>
          <dt className="font-semibold">{t("badges.verify.childName")}</dt>
          <dd>{summary.childName ?? t("badges.verify.noName")}</dd>
        </div>
      </dl>
    </div>
  );
}
