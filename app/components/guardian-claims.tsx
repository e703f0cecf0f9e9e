import { Link } from "@remix-run/react";
import { ActivityTitle, SessionTime } from "~/components/activity-bits";
import { refusalKey } from "~/modules/claims/refusals";
import { useTranslate } from "~/modules/i18n/use-translate";

export interface GuardianClaim {
  id: string;
  status: "pending" | "approved" | "rejected";
  reason: string | null;
  refusalCode: string | null;
  givenName: string;
  startsAt: string | Date;
  endsAt: string | Date;
  title_en: string | null;
  title_cy: string | null;
}

/** A guardian's claims by session code: those waiting for the organiser, and recent outcomes. */
export function GuardianClaims({ claims }: { claims: GuardianClaim[] }) {
  const { t } = useTranslate();
  const waiting = claims.filter((claim) => claim.status === "pending");
  const decided = claims.filter((claim) => claim.status !== "pending");
  return (
    <section aria-labelledby="claims-heading" className="space-y-3">
      <h2 id="claims-heading" className="text-2xl font-semibold">
        {t("claims.home.title")}
      </h2>
      <p>
        <Link to="/claim">{t("claims.home.typeCode")}</Link>
      </p>
      {waiting.length ? (
        <>
          <h3 className="text-lg font-semibold">{t("claims.home.waiting", { count: waiting.length })}</h3>
          <ul className="space-y-1">
            {waiting.map((claim) => (
              <li key={claim.id}>
                <strong>{claim.givenName}</strong> · <ActivityTitle activity={claim} /> · <SessionTime startsAt={claim.startsAt} endsAt={claim.endsAt} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {decided.length ? (
        <>
          <h3 className="text-lg font-semibold">{t("claims.home.decided")}</h3>
          <ul className="space-y-2">
            {decided.map((claim) => (
              <li key={claim.id}>
                <strong>{claim.givenName}</strong> · <ActivityTitle activity={claim} /> · <SessionTime startsAt={claim.startsAt} endsAt={claim.endsAt} />
                <span className="block">
                  {claim.status === "approved" ? (
                    t("claims.home.approved")
                  ) : (
                    <>
                      {t("claims.results.notAdded")} {t(refusalKey(claim.refusalCode ?? "CLAIM_REJECTED"))}
                      {claim.reason ? ` ${t("claims.reasonGiven", { reason: claim.reason })}` : null}
                    </>
                  )}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {claims.length === 0 ? <p>{t("claims.home.howTo")}</p> : null}
    </section>
  );
}
