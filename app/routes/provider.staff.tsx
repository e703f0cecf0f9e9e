import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { LANGUAGE_OPTIONS, RadioGroup } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { PendingInvitations } from "~/components/pending-invitations";
import { requireActor } from "~/modules/accounts/actor.server";
import { listPendingInvitations, listProviderStaff, sendInvitation, staffInvitationForm } from "~/modules/accounts/invitations.server";
import { STAFF_INVITABLE_ROLES } from "~/modules/accounts/invitable-roles";
import { publicOrigin } from "~/modules/accounts/links.server";
import { db } from "~/modules/db/db.server";
import { parseForm, type FieldErrors } from "~/modules/forms/parse-form";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { readFormData } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner"]);
  const [staff, pending] = await Promise.all([listProviderStaff(db(), membership), listPendingInvitations(db(), membership)]);
  const lang = await resolveLanguage(request);
  return { title: translator(lang)("invite.staffTitle"), providerName: membership.providerName, staff, pending };
}

type ActionResult = { errors: FieldErrors; values: Record<string, string>; sentTo: string | null };

export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner"]);
  const parsed = parseForm(staffInvitationForm, await readFormData(request));
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, values: parsed.values, sentTo: null }, { status: 400 });
  // Always the owner's own Learning Destination: the form has no say in it.
  const result = await sendInvitation(db(), membership, { ...parsed.data, providerId: membership.providerId }, publicOrigin());
  if (!result.ok) return data<ActionResult>({ errors: result.errors, values: { ...parsed.data }, sentTo: null }, { status: 400 });
  return data<ActionResult>({ errors: {}, values: {}, sentTo: parsed.data.email });
}

export default function ProviderStaff() {
  const { t, lang } = useTranslate();
  const { providerName, staff, pending } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values: Record<string, string | undefined> = actionData?.values ?? {};
  const errors = actionData?.errors ?? {};
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-3xl font-bold">{t("invite.staffTitle")}</h1>
        {providerName ? <p className="text-lg">{providerName}</p> : null}
      </div>
      {actionData?.sentTo ? (
        <p role="status" className="border-l-4 border-green-700 bg-green-50 p-4 font-semibold break-words">
          {t("invite.sent", { email: actionData.sentTo })}
        </p>
      ) : null}

      <section aria-labelledby="staff-heading" className="space-y-3">
        <h2 id="staff-heading" className="text-2xl font-semibold">
          {t("invite.staffListTitle")}
        </h2>
        {/* At 320 px addresses wrap anywhere; anything still wider scrolls in its own region, not the page. */}
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-labelledby="staff-heading">
          <table className="w-full border-collapse text-left">
            <thead>
              <tr className="border-b-2 border-slate-700">
                <th scope="col" className="py-2 pr-4">
                  {t("invite.name")}
                </th>
                <th scope="col" className="py-2 pr-4">
                  {t("invite.email")}
                </th>
                <th scope="col" className="py-2">
                  {t("invite.role")}
                </th>
              </tr>
            </thead>
            <tbody>
              {staff.map((person) => (
                <tr key={person.id} className="border-b border-slate-300">
                  <td className="py-2 pr-4">{person.display_name}</td>
                  <td className="py-2 pr-4 [overflow-wrap:anywhere]">{person.email}</td>
                  <td className="py-2">{t(`roles.${person.role}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="invite-heading" className="max-w-xl space-y-4">
        <h2 id="invite-heading" className="text-2xl font-semibold">
          {t("invite.staffFormTitle")}
        </h2>
        <ErrorSummary errors={errors} />
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
            hint={t("invite.staffRoleHint")}
            options={STAFF_INVITABLE_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            defaultValue={values.role ?? "provider_member"}
            error={errors.role}
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

      <PendingInvitations invitations={pending} showPlace={false} />
    </div>
  );
}
