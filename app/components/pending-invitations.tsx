import type { Role } from "~/modules/db/schema";
import { formatDate } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";

export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  created_at: Date | string;
  expires_at: Date | string;
  school_name: string | null;
  provider_name: string | null;
}

/**
 * Invitations waiting to be accepted, for the coordinator's and a Learning Destination
 * owner's invitation pages. `showPlace` adds the school or Learning Destination (the
 * coordinator invites to many; an owner only to their own).
 */
export function PendingInvitations({ invitations, showPlace }: { invitations: PendingInvitation[]; showPlace: boolean }) {
  const { t, lang } = useTranslate();
  return (
    <section aria-labelledby="pending-heading" className="space-y-3">
      <h2 id="pending-heading" className="text-2xl font-semibold">
        {t("invite.pendingTitle")}
      </h2>
      {invitations.length === 0 ? (
        <p>{t("invite.noPending")}</p>
      ) : (
        // Scrolls sideways on a narrow phone rather than pushing the page wider.
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-labelledby="pending-heading">
          <table className="w-full border-collapse text-left">
            <thead>
              <tr className="border-b-2 border-slate-700">
                <th scope="col" className="py-2 pr-4">
                  {t("invite.email")}
                </th>
                <th scope="col" className="py-2 pr-4">
                  {t("invite.role")}
                </th>
                <th scope="col" className="py-2 pr-4">
                  {t("invite.sentOn")}
                </th>
                <th scope="col" className="py-2">
                  {t("invite.expiresOn")}
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => {
                const place = showPlace ? (invitation.school_name ?? invitation.provider_name) : null;
                return (
                  <tr key={invitation.id} className="border-b border-slate-300">
                    <td className="py-2 pr-4 break-all">{invitation.email}</td>
                    <td className="py-2 pr-4">
                      {t(`roles.${invitation.role}`)}
                      {place ? ` (${place})` : ""}
                    </td>
                    <td className="py-2 pr-4">{formatDate(invitation.created_at, lang)}</td>
                    <td className="py-2">{formatDate(invitation.expires_at, lang)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
