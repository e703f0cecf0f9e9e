import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { InvitationForm, InvitationSent } from "~/components/invitation-form";
import { PendingInvitations } from "~/components/pending-invitations";
import { requireActor } from "~/modules/accounts/actor.server";
import { listPendingInvitations, listProviderStaff, sendInvitation, staffInvitationForm } from "~/modules/accounts/invitations.server";
import { STAFF_INVITABLE_ROLES } from "~/modules/accounts/invitable-roles";
import { publicOrigin } from "~/modules/accounts/links.server";
import { db } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { invalid, readForm } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner"]);
  const [staff, pending] = await Promise.all([listProviderStaff(db(), membership), listPendingInvitations(db(), membership)]);
  const lang = await resolveLanguage(request);
  return { title: translator(lang)("invite.staffTitle"), providerName: membership.providerName, staff, pending };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner"]);
  const parsed = await readForm(request, staffInvitationForm);
  if (!parsed.ok) return invalid(parsed);
  // Always the owner's own Learning Destination: the form has no say in it.
  const result = await sendInvitation(db(), membership, { ...parsed.data, providerId: membership.providerId }, publicOrigin());
  if (!result.ok) return invalid({ errors: result.errors, values: { ...parsed.data } });
  return { status: "sent" as const, sentTo: parsed.data.email };
}

export default function ProviderStaff() {
  const { t } = useTranslate();
  const { providerName, staff, pending } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-3xl font-bold">{t("invite.staffTitle")}</h1>
        {providerName ? <p className="text-lg">{providerName}</p> : null}
      </div>
      <InvitationSent answer={answer} />

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

      <InvitationForm
        answer={answer}
        title={t("invite.staffFormTitle")}
        roles={STAFF_INVITABLE_ROLES}
        roleHint={t("invite.staffRoleHint")}
        defaultRole="provider_member"
      />

      <PendingInvitations invitations={pending} showPlace={false} />
    </div>
  );
}
