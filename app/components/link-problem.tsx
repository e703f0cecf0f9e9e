import { Link } from "@remix-run/react";
import { useTranslate } from "~/modules/i18n/use-translate";

/**
 * The page for a one-time link that cannot be used: what happened, and what to do next.
 * `kind` picks the advice (invitations come from a person; reset and confirmation links can
 * be asked for again).
 */
export function LinkProblem({ state, kind }: { state: "used" | "expired" | "invalid"; kind: "invite" | "reset" | "confirm" }) {
  const { t } = useTranslate();
  return (
    <div className="max-w-prose space-y-4">
      <h1 className="text-3xl font-bold">{t(`linkProblem.${state}Title`)}</h1>
      <p>{t(`linkProblem.${kind}.${state}`)}</p>
      <p>
        {kind === "reset" ? (
          <Link to="/forgot-password">{t("linkProblem.askAgain")}</Link>
        ) : kind === "confirm" ? (
          <Link to="/register">{t("linkProblem.registerAgain")}</Link>
        ) : (
          <Link to="/login">{t("linkProblem.signIn")}</Link>
        )}
      </p>
    </div>
  );
}
