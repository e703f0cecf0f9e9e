import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { LinkProblem } from "~/components/link-problem";
import { requireSignedIn } from "~/modules/accounts/access.server";
import { acceptInvitationAsSignedIn, acceptInvitationWithNewAccount, newAccountForm, viewInvitation } from "~/modules/accounts/invitations.server";
import { db } from "~/modules/db/db.server";
import { failureOf } from "~/modules/forms/form-result";
import { parseForm, type FieldErrors } from "~/modules/forms/parse-form.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { intent } from "~/modules/forms/fields.server";
import { invalid, parseValues, readFormData } from "~/modules/forms/read-form.server";
import { pick } from "~/modules/i18n/bilingual";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const view = await viewInvitation(db(), params.token, context.signedIn?.user.email ?? null);
  const t = translator(await resolveLanguage(request));
  if (view.state !== "valid") {
    return data({ view, title: t(`linkProblem.${view.state}Title`), signedInEmail: null }, { status: view.state === "invalid" ? 404 : 410 });
  }
  return { view, title: t("invite.acceptTitle"), signedInEmail: context.signedIn?.user.email ?? null };
}

type LinkState = "used" | "expired" | "invalid" | "signIn" | "wrongAccount";

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const formData = await readFormData(request);
  // The invitation can no longer be taken up (or not by this account): the page says why.
  const linkProblem = (state: LinkState | null, errors: FieldErrors = {}) => data({ errors, values: {}, state }, { status: 409 });

  const { intent: pressed } = await parseValues(request, formData, { intent: intent(["accept"]) });
  if (pressed === "accept") {
    const { userId, email, sessionId } = await requireSignedIn(db(), request, context);
    const result = await acceptInvitationAsSignedIn(db(), token, { userId, email, sessionId });
    if (result.ok) throw redirect(result.home);
    return linkProblem("state" in result ? result.state : null, "errors" in result ? result.errors : {});
  }

  const parsed = parseForm(newAccountForm, formData);
  if (!parsed.ok) return invalid(parsed, 400, { state: null });
  const result = await acceptInvitationWithNewAccount(db(), token, parsed.data);
  if (result.ok) throw redirect(result.home, { headers: result.setCookie ? { "Set-Cookie": result.setCookie } : {} });
  if ("errors" in result) return invalid({ errors: result.errors, values: { displayName: parsed.data.displayName } }, 400, { state: null });
  return linkProblem(result.state);
}

export default function Invitation() {
  const { t, lang } = useTranslate();
  const { view, signedInEmail } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { errors, values } = failureOf(actionData);
  const params = useParams();
  const state = actionData?.state ?? (view.state === "valid" ? view.next : view.state);

  if (state === "used" || state === "expired" || state === "invalid") return <LinkProblem state={state} kind="invite" />;
  if (view.state !== "valid") return null;
  const { invitation } = view;
  const area = pick({ en: invitation.areaNameEn, cy: invitation.areaNameCy }, lang);
  const place = pick({ en: invitation.placeNameEn, cy: invitation.placeNameCy }, lang);
  const role = place ? `${t(`roles.${invitation.role}`)} (${place})` : t(`roles.${invitation.role}`);
  const signInHref = `/login?redirectTo=${encodeURIComponent(`/invite/${params.token ?? ""}`)}`;

  return (
    <div className="max-w-lg space-y-6">
      <h1 className="text-3xl font-bold">{t("invite.acceptTitle")}</h1>
      <dl className="space-y-1">
        <div>
          <dt className="inline font-semibold">{t("invite.area")}: </dt>
          <dd className="inline">{area}</dd>
        </div>
        <div>
          <dt className="inline font-semibold">{t("invite.role")}: </dt>
          <dd className="inline">{role}</dd>
        </div>
        <div>
          <dt className="inline font-semibold">{t("invite.email")}: </dt>
          <dd className="inline">{invitation.email}</dd>
        </div>
      </dl>

      {state === "createAccount" ? (
        <>
          <p>{t("invite.createAccountIntro")}</p>
          <ErrorSummary errors={errors} />
          <Form method="post" className="space-y-5" noValidate>
            <TextField
              name="displayName"
              label={t("accountFields.name")}
              hint={t("accountFields.nameHint")}
              autoComplete="name"
              defaultValue={values.displayName}
              error={errors.displayName}
              required
            />
            <TextField
              name="password"
              type="password"
              label={t("accountFields.newPassword")}
              hint={t("passwordRules.hint")}
              autoComplete="new-password"
              error={errors.password}
              required
            />
            <SubmitButton>{t("invite.createAccountSubmit")}</SubmitButton>
          </Form>
        </>
      ) : state === "accept" ? (
        <Form method="post" className="space-y-4">
          <p>{t("invite.acceptIntro")}</p>
          <input type="hidden" name="intent" value="accept" />
          <SubmitButton>{t("invite.acceptSubmit")}</SubmitButton>
        </Form>
      ) : state === "wrongAccount" ? (
        <div className="space-y-4">
          <p>{t("invite.wrongAccount", { email: invitation.email, current: signedInEmail ?? "" })}</p>
          <Form method="post" action="/logout">
            <SubmitButton>{t("account.signOut")}</SubmitButton>
          </Form>
        </div>
      ) : (
        <div className="space-y-4">
          <p>{t("invite.signInFirst", { email: invitation.email })}</p>
          <p>
            <Link to={signInHref} className="font-semibold">
              {t("invite.signInToAccept")}
            </Link>
          </p>
        </div>
      )}
    </div>
  );
}
