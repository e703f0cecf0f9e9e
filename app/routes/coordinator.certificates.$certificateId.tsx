import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, TextareaField } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { areaCertificate, MAX_REVOKE_REASON_LENGTH, revokeCertificate } from "~/modules/certificates/revocation.server";
import { db } from "~/modules/db/db.server";
import { anyText } from "~/modules/forms/fields.server";
import { readValues } from "~/modules/forms/read-form.server";
import { formatDate, formatDateTime } from "~/modules/i18n/format";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";
import { pick } from "~/modules/i18n/bilingual";

export const meta = titled<typeof loader>((t, data) => t("certificates.revoke.title", { serial: data.certificate.serialText }));

/** One of the area's certificates: what it is, and revoking it with a reason (certificates/revocation.server.ts). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const [certificate, lang] = await Promise.all([areaCertificate(db(), membership, params.certificateId ?? ""), resolveLanguage(request)]);
  return {
    certificate: {
      ...certificate,
      serialText: String(certificate.serial).padStart(6, "0"),
      issuedText: formatDate(certificate.issuedAt, lang),
      reachedText: formatDate(certificate.reachedOn, lang),
      revokedText: certificate.revokedAt ? formatDateTime(certificate.revokedAt, lang) : null,
    },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const { reason } = await readValues(request, { reason: anyText });
  const result = await revokeCertificate(db(), membership, params.certificateId ?? "", reason);
  if (!result.ok) return data({ errors: { reason: result.error }, reason }, { status: result.error.endsWith("alreadyRevoked") ? 409 : 400 });
  throw redirect(`/coordinator/certificates/${params.certificateId}?done=revoked`);
}

export default function RevokeCertificate() {
  const { t, lang } = useTranslate();
  const { certificate } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const awardName = pick({ en: certificate.awardNameEn, cy: certificate.awardNameCy }, lang);
  return (
    <div className="max-w-2xl space-y-6">
      <p>
        <Link to="/coordinator/certificates">{t("certificates.revoke.findAnother")}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("certificates.revoke.title", { serial: certificate.serialText })}</h1>
      {params.get("done") === "revoked" && certificate.revokedAt ? (
        <p role="status" className="border-l-4 border-green-700 bg-green-50 p-4 font-semibold">
          {t("certificates.revoke.done")}
        </p>
      ) : null}
      <ErrorSummary errors={actionData?.errors} />
      <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[12rem_1fr]">
        <dt className="font-semibold">{t("certificates.verify.awardedTo")}</dt>
        <dd>{certificate.childName ?? t("certificates.revoke.childWithdrawn")}</dd>
        <dt className="font-semibold">{t("certificates.verify.award")}</dt>
        <dd>
          {awardName} ({t("certificates.verify.hours", { count: certificate.thresholdHours })})
        </dd>
        <dt className="font-semibold">{t("certificates.verify.reachedOn")}</dt>
        <dd>{certificate.reachedText}</dd>
        <dt className="font-semibold">{t("certificates.revoke.issuedOn")}</dt>
        <dd>{certificate.issuedText}</dd>
        <dt className="font-semibold">{t("certificates.revoke.status")}</dt>
        <dd>
          {certificate.revokedText
            ? t("certificates.revoke.revokedOn", { when: certificate.revokedText, reason: certificate.revokeReason })
            : t("certificates.revoke.valid")}
        </dd>
      </dl>
      {certificate.revokedAt ? (
        <p className="max-w-prose">{t("certificates.revoke.revokedMeans")}</p>
      ) : (
        <Form method="post" className="space-y-4" noValidate>
          <p className="max-w-prose">{t("certificates.revoke.intro")}</p>
          <TextareaField
            name="reason"
            label={t("certificates.revoke.reason")}
            hint={t("certificates.revoke.reasonHint")}
            error={actionData?.errors.reason}
            defaultValue={actionData?.reason}
            rows={3}
            maxLength={MAX_REVOKE_REASON_LENGTH}
            required
          />
          <button type="submit" className="rounded bg-red-800 px-5 py-2 font-semibold text-white hover:bg-red-900">
            {t("certificates.revoke.submit", { serial: certificate.serialText })}
          </button>
        </Form>
      )}
    </div>
  );
}
