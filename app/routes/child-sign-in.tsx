import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { PictureCodeFields } from "~/components/picture-code";
import { signedInChild } from "~/modules/accounts/actor.server";
import { childSignInForm, normaliseCode, signInChild } from "~/modules/children/child-sign-in.server";
import { db } from "~/modules/db/db.server";
import { queryValues, readFormData } from "~/modules/forms/read-form.server";
import { anyText } from "~/modules/forms/fields.server";
import { parseForm, type FieldErrors } from "~/modules/forms/parse-form.server";
import { useTranslate } from "~/modules/i18n/use-translate";

export const meta: MetaFunction = () => [{ title: "Pasbort" }];

/** A child's own sign-in (issue 16): the code from their card (or its QR code), then their pictures. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (signedInChild(context.signedIn)) throw redirect("/me");
  // The card's QR code opens this page with its code filled in.
  const { code } = queryValues({ code: anyText }, new URL(request.url).searchParams);
  return { code: normaliseCode(code).slice(0, 16) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(childSignInForm, await readFormData(request));
  if (!parsed.ok) return data({ errors: parsed.errors, code: parsed.values.code ?? "", formError: null }, { status: 400 });
  const result = await signInChild(db(), parsed.data, context.clientAddress);
  if (!result.ok) {
    const formError = result.reason === "rateLimited" ? { key: "childSignIn.errors.rest", count: result.retryAfterMinutes } : "childSignIn.errors.notRight";
    return data({ errors: {} as FieldErrors, code: parsed.data.code, formError }, { status: result.reason === "rateLimited" ? 429 : 400 });
  }
  throw redirect("/me", { headers: { "Set-Cookie": result.setCookie } });
}

export default function ChildSignIn() {
  const { t } = useTranslate();
  const { code } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-lg space-y-6 text-lg">
      <h1 className="text-3xl font-bold">{t("childSignIn.title")}</h1>
      <p>{t("childSignIn.intro")}</p>
      <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
      <Form method="post" className="space-y-6" noValidate>
        <TextField
          name="code"
          label={t("childSignIn.code")}
          hint={t("childSignIn.codeHint")}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          defaultValue={actionData?.code ?? code}
          error={actionData?.errors.code}
          className="font-mono text-2xl tracking-widest uppercase"
          required
        />
        <PictureCodeFields errors={actionData?.errors} hint={t("childSignIn.picturesHint")} />
        <SubmitButton>{t("childSignIn.submit")}</SubmitButton>
      </Form>
      <p className="text-base">{t("childSignIn.grownUps")}</p>
    </div>
  );
}
