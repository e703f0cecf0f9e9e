import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { LinkProblem } from "~/components/link-problem";
import { checkResetLink, resetPassword, resetPasswordForm } from "~/modules/accounts/password-reset.server";
import { db } from "~/modules/db/db.server";
import { parseForm, type FieldErrors } from "~/modules/forms/parse-form";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { readFormData } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const state = await checkResetLink(db(), params.token);
  const t = translator(await resolveLanguage(request));
  if (state !== "valid") return data({ state, title: t(`linkProblem.${state}Title`) }, { status: state === "invalid" ? 404 : 410 });
  return { state, title: t("reset.newPasswordTitle") };
}

type ActionResult = { errors: FieldErrors; state: "used" | "expired" | "invalid" | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = parseForm(resetPasswordForm, await readFormData(request));
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, state: null }, { status: 400 });
  const result = await resetPassword(db(), params.token ?? "", parsed.data);
  if (result.ok) throw redirect(result.home, { headers: { "Set-Cookie": result.setCookie } });
  if ("errors" in result) return data<ActionResult>({ errors: result.errors, state: null }, { status: 400 });
  return data<ActionResult>({ errors: {}, state: result.state }, { status: 410 });
}

export default function ResetPassword() {
  const { t } = useTranslate();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const state = actionData?.state ?? loaderData.state;
  if (state !== "valid") return <LinkProblem state={state} kind="reset" />;
  return (
    <div className="max-w-lg space-y-6">
      <h1 className="text-3xl font-bold">{t("reset.newPasswordTitle")}</h1>
      <p>{t("reset.newPasswordIntro")}</p>
      <ErrorSummary errors={actionData?.errors} />
      <Form method="post" className="space-y-5" noValidate>
        <TextField
          name="password"
          type="password"
          label={t("accountFields.newPassword")}
          hint={t("passwordRules.hint")}
          autoComplete="new-password"
          error={actionData?.errors.password}
          required
        />
        <SubmitButton>{t("reset.newPasswordSubmit")}</SubmitButton>
      </Form>
    </div>
  );
}
