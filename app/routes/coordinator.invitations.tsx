import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { SelectField } from "~/components/choice-fields";
import { InvitationForm, InvitationSent } from "~/components/invitation-form";
import { PendingInvitations } from "~/components/pending-invitations";
import { requireActor } from "~/modules/accounts/actor.server";
import { invitationForm, invitationPlaces, listPendingInvitations, sendInvitation } from "~/modules/accounts/invitations.server";
import { INVITABLE_ROLES } from "~/modules/accounts/invitable-roles";
import { publicOrigin } from "~/modules/accounts/links.server";
import { db } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { invalid, readForm } from "~/modules/forms/read-form.server";
import { columns, pick } from "~/modules/i18n/bilingual";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const [pending, places] = await Promise.all([listPendingInvitations(db(), membership), invitationPlaces(db(), membership)]);
  const lang = await resolveLanguage(request);
  return { title: translator(lang)("invite.coordinatorTitle"), pending, ...places };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const parsed = await readForm(request, invitationForm);
  if (!parsed.ok) return invalid(parsed);
  const result = await sendInvitation(db(), membership, parsed.data, publicOrigin());
  if (!result.ok) {
    const { email, role, schoolId, providerId, language } = parsed.data;
    return invalid({ errors: result.errors, values: { email, role, schoolId: schoolId ?? "", providerId: providerId ?? "", language } });
  }
  return { status: "sent" as const, sentTo: parsed.data.email };
}

export default function CoordinatorInvitations() {
  const { t, lang } = useTranslate();
  const { pending, schools, providers } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-bold">{t("invite.coordinatorTitle")}</h1>
      <InvitationSent answer={answer} />
      <InvitationForm
        answer={answer}
        title={t("invite.formTitle")}
        roles={INVITABLE_ROLES}
        places={({ errors, values }) => (
          <>
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
          </>
        )}
      />
      <PendingInvitations invitations={pending} showPlace={true} />
    </div>
  );
}
