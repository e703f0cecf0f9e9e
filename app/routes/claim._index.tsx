import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { claimByTypedCode } from "~/modules/claims/session-codes.server";
import { db } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { anyText } from "~/modules/forms/fields.server";
import { readValues } from "~/modules/forms/read-form.server";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("claims.typeTitle");

/** For a phone that will not scan: the guardian types the 8-digit number shown under the screen's QR code. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireActor(db(), request, context, ["guardian"]);
  return { title: translator(await resolveLanguage(request))("claims.typeTitle") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const code = (await readValues(request, { code: anyText })).code.trim();
  if (!/^\d{4}[\s-]?\d{4}$/.test(code)) {
    return data({ errors: { code: "claims.errors.codeFormat" }, formError: null, value: code }, { status: 400 });
  }
  const result = await claimByTypedCode(db(), membership, code);
  if (result.ok) throw redirect(`/claim/${result.ticket}`);
  if (result.reason === "RATE_LIMITED") {
    return data({ errors: {}, formError: { key: "claims.errors.tooManyTries", count: result.retryAfterMinutes ?? 15 }, value: code }, { status: 429 });
  }
  return data({ errors: { code: "claims.errors.codeNotFound" }, formError: null, value: code }, { status: 400 });
}

export default function TypeClaimCode() {
  const { t } = useTranslate();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-xl space-y-6">
      <h1 className="text-3xl font-bold">{t("claims.typeTitle")}</h1>
      <p>{t("claims.typeIntro")}</p>
      <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
      <Form method="post" className="space-y-5" noValidate>
        <TextField
          name="code"
          label={t("claims.typeLabel")}
          hint={t("claims.typeHint")}
          inputMode="numeric"
          autoComplete="off"
          maxLength={9}
          defaultValue={actionData?.value}
          error={actionData?.errors && "code" in actionData.errors ? actionData.errors.code : undefined}
          className="max-w-[12rem] font-mono text-2xl tracking-widest"
        />
        <SubmitButton>{t("claims.typeSubmit")}</SubmitButton>
      </Form>
    </div>
  );
}
