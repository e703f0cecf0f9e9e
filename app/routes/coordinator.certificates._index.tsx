import type { LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { findAreaCertificate } from "~/modules/certificates/revocation.server";
import { db } from "~/modules/db/db.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("certificates.revoke.findTitle");

/** Find one of the area's certificates by its number or verification code, to revoke it (a GET form). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const typed = new URL(request.url).searchParams.get("certificate");
  if (typed === null) return { typed: "", error: null };
  const found = await findAreaCertificate(db(), membership, typed);
  if (found.ok) throw redirect(`/coordinator/certificates/${found.certificateId}`);
  return data({ typed: typed.slice(0, 200), error: found.error }, { status: found.error.endsWith("notFound") ? 404 : 400 });
}

export default function FindCertificate() {
  const { t } = useTranslate();
  const { typed, error } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-2xl space-y-6">
      <p>
        <Link to="/coordinator">{t("awards.backToHome")}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("certificates.revoke.findTitle")}</h1>
      <ErrorSummary errors={error ? { certificate: error } : undefined} />
      <p className="max-w-prose">{t("certificates.revoke.findIntro")}</p>
      <Form method="get" className="space-y-4" noValidate>
        <TextField
          name="certificate"
          label={t("certificates.revoke.searchLabel")}
          hint={t("certificates.revoke.searchHint")}
          error={error ?? undefined}
          defaultValue={typed}
          autoComplete="off"
          spellCheck={false}
          required
        />
        <SubmitButton>{t("certificates.revoke.searchSubmit")}</SubmitButton>
      </Form>
    </div>
  );
}
