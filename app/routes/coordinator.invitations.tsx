import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { LANGUAGE_OPTIONS, RadioGroup, SelectField } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { PendingInvitations } from "~/components/pending-invitations";
import { requireActor } from "~/modules/accounts/actor.server";
import { invitationForm, invitationPlaces, listPendingInvitations, sendInvitation } from "~/modules/accounts/invitations.server";
import { INVITABLE_ROLES } from "~/modules/accounts/invitable-roles";
import { publicOrigin } from "~/modules/accounts/links.server";
import { db } from "~/modules/db/db.server";
import { parseForm, type FieldErrors } from "~/modules/forms/parse-form";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { readFormData } from "~/modules/forms/read-form.server";
import { columns, pick } from "~/modules/i18n/bilingual";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const [pending, places] = await Promise.all([listPendingInvitations(db(), membership), invitationPlaces(db(), membership)]);
  const lang = await resolveLanguage(request);
  return { title: translator(lang)("invite.coordinatorTitle"), pending, ...places };
}

type ActionResult = { errors: FieldErrors; values: Record<string, string>; sentTo: string | null };

export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const parsed = parseForm(invitationForm, await readFormData(request));
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, values: parsed.values, sentTo: null }, { status: 400 });
  const result = await sendInvitation(db(), membership, parsed.data, publicOrigin());
  if (!result.ok) {
    const { email, role, schoolId, providerId, language } = parsed.data;
    return data<ActionResult>(
      { errors: result.errors, values: { email, role, schoolId: schoolId ?? "", providerId: providerId ?? "", language }, sentTo: null },
      { status: 400 },
    );
  }
  return data<ActionResult>({ errors: {}, values: {}, sentTo: parsed.data.email });
}

export default function CoordinatorInvitations() {
  const { t, lang } = useTranslate();
  const { pending, schools, providers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values: Record<string, string | undefined> = actionData?.values ?? {};
  const errors = actionData?.errors ?? {};
  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-bold">{t("invite.coordinatorTitle")}</h1>
      {actionData?.sentTo ? (
        <p role="status" className="border-l-4 border-green-700 bg-green-50 p-4 font-semibold break-words">
          {t("invite.sent", { email: actionData.sentTo })}
        </p>
      ) : null}

      <section aria-labelledby="invite-heading" className="max-w-xl space-y-4">
        <h2 id="invite-heading" className="text-2xl font-semibold">
          {t("invite.formTitle")}
        </h2>
        <ErrorSummary errors={errors} />
        {/* A key per success, so the form empties after each invitation sent. */}
        <Form method="post" className="space-y-5" noValidate key={actionData?.sentTo ?? "form"}>
          <TextField
            name="email"
            type="email"
            label={t("invite.email")}
            autoComplete="off"
            spellCheck={false}
            defaultValue={values.email ?? ""}
            error={errors.email}
            required
          />
          <RadioGroup
            name="role"
            label={t("invite.role")}
            options={INVITABLE_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            defaultValue={values.role}
            error={errors.role}
          />
          <SelectField
            name="schoolId"
            label={t("invite.school")}
            hint={t("invite.schoolHint")}
            emptyLabel={t("invite.choose")}
            options={schools.map((school) => ({ value: school.id, label: school.name }))}
            defaultValue={values.schoolId}
            error={errors.schoolId}
          />
          <SelectField
            name="providerId"
            label={t("invite.provider")}
            hint={t("invite.providerHint")}
            emptyLabel={t("invite.choose")}
            options={providers.map((provider) => ({
              value: provider.id,
              label: pick(columns(provider, "name"), lang),
            }))}
            defaultValue={values.providerId}
            error={errors.providerId}
          />
          <RadioGroup
            name="language"
            label={t("invite.language")}
            hint={t("invite.languageHint")}
            options={LANGUAGE_OPTIONS}
            defaultValue={values.language ?? lang}
            error={errors.language}
          />
          <SubmitButton>{t("invite.submit")}</SubmitButton>
        </Form>
      </section>

      <PendingInvitations invitations={pending} showPlace={true} />
    </div>
  );
}
