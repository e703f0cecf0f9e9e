import { Form, Link } from "@remix-run/react";
import { ErrorSummary, TextareaField, type FormError } from "~/components/forms";
import type { FieldErrors } from "~/modules/forms/form-result";
import { formatDateTime } from "~/modules/i18n/format";
import type { CreditMethod } from "~/modules/db/schema";
import { useTranslate } from "~/modules/i18n/use-translate";

/** A session's credit as the page gets it from the loader (dates arrive as Date or string). */
export interface SessionCreditRow {
  id: string;
  child: { givenName: string; familyInitial: string } | null;
  quarterHours: number;
  method: CreditMethod;
  createdAt: Date | string;
  issuedBy: string | null;
  revokedAt: Date | string | null;
  revokeReason: string | null;
  canRevoke: boolean;
}

const BUTTON = "inline-flex min-h-12 items-center justify-center rounded px-5 py-2 text-lg font-semibold no-underline";

/** The two ways staff give credits at a session: big enough to hit with a cold thumb. */
export function SessionScanLinks({ sessionId }: { sessionId: string }) {
  const { t } = useTranslate();
  return (
    <nav aria-label={t("sessionCredits.links.label")}>
      <ul className="flex flex-col gap-3 sm:flex-row">
        <li>
          <Link
            to={`/provider/sessions/${sessionId}/scan`}
            className={`${BUTTON} w-full bg-brand-700 text-white hover:bg-brand-900 hover:text-white sm:w-auto`}
          >
            {t("sessionCredits.links.scan")}
          </Link>
        </li>
        <li>
          <Link
            to={`/provider/sessions/${sessionId}/roster`}
            className={`${BUTTON} w-full border-2 border-brand-700 text-brand-700 hover:bg-brand-50 sm:w-auto`}
          >
            {t("sessionCredits.links.roster")}
          </Link>
        </li>
      </ul>
    </nav>
  );
}

function childName(row: SessionCreditRow, withdrawn: string) {
  return row.child ? `${row.child.givenName} ${row.child.familyInitial}.` : withdrawn;
}

/**
 * The credits given for a session, newest first, each with a way to take it back (with a
 * reason) while this person still may: a confirmation step at `?revoke=<id>`, as the
 * session-cancelling form does, so it works without JavaScript.
 */
export function SessionCredits({
  sessionId,
  credits,
  revokeId,
  revoked,
  errors,
  formError,
}: {
  sessionId: string;
  credits: SessionCreditRow[];
  revokeId: string | null;
  revoked: boolean;
  errors?: FieldErrors;
  formError?: FormError;
}) {
  const { t, lang } = useTranslate();
  const active = credits.filter((credit) => !credit.revokedAt);
  const revoking = credits.find((credit) => credit.id === revokeId && credit.canRevoke);
  const withdrawn = t("sessionCredits.withdrawnChild");
  return (
    <section aria-labelledby="credits-heading" className="space-y-3">
      <h2 id="credits-heading" className="text-2xl font-semibold">
        {t("sessionCredits.heading")}
      </h2>
      {revoked ? (
        <p role="status" className="border-l-4 border-green-700 bg-green-50 p-4 font-semibold">
          {t("sessionCredits.revokedNotice")}
        </p>
      ) : null}
      <ErrorSummary errors={errors} formError={formError} />
      {revoking ? (
        <Form method="post" replace className="space-y-4 border-4 border-amber-700 p-4" noValidate>
          <h3 className="text-xl font-semibold">{t("sessionCredits.revokeTitle", { name: childName(revoking, withdrawn) })}</h3>
          <p className="max-w-prose">{t("sessionCredits.revokeHint")}</p>
          <input type="hidden" name="intent" value="revoke" />
          <input type="hidden" name="creditId" value={revoking.id} />
          <TextareaField
            name="reason"
            label={t("sessionCredits.reason")}
            hint={t("sessionCredits.reasonHint")}
            error={errors?.reason}
            rows={2}
            maxLength={500}
            required
          />
          <div className="flex flex-wrap items-center gap-6">
            <button type="submit" className="min-h-12 rounded bg-red-800 px-5 py-2 font-semibold text-white hover:bg-red-900">
              {t("sessionCredits.confirm")}
            </button>
            <Link to={`/provider/sessions/${sessionId}`}>{t("sessionCredits.keep")}</Link>
          </div>
        </Form>
      ) : null}
      {credits.length === 0 ? (
        <p>{t("sessionCredits.none")}</p>
      ) : (
        <p>
          {t("sessionCredits.summary", {
            count: active.length,
            hours: t("common.hours", { count: active.reduce((sum, credit) => sum + credit.quarterHours, 0) / 4 }),
          })}
        </p>
      )}
      <ul className="divide-y divide-slate-300">
        {credits.map((credit) => (
          <li key={credit.id} className="flex flex-wrap items-start justify-between gap-2 py-2">
            <span className="min-w-0">
              <span className="block font-semibold">
                {credit.revokedAt ? <s>{childName(credit, withdrawn)}</s> : childName(credit, withdrawn)} ·{" "}
                {t("common.hours", { count: credit.quarterHours / 4 })}
              </span>
              <span className="block text-sm text-slate-800">
                {t(`sessionCredits.methods.${credit.method}`)} · {formatDateTime(credit.createdAt, lang)}
                {credit.issuedBy ? ` · ${t("sessionCredits.by", { name: credit.issuedBy })}` : ""}
              </span>
              {credit.revokedAt ? (
                <span className="block text-sm font-semibold text-red-900">{t("sessionCredits.revoked", { reason: credit.revokeReason ?? "" })}</span>
              ) : null}
            </span>
            {credit.canRevoke ? (
              <Link to={`?revoke=${credit.id}`} className="inline-flex min-h-12 items-center">
                {t("sessionCredits.revoke")}
                <span className="sr-only"> {childName(credit, withdrawn)}</span>
              </Link>
            ) : !credit.revokedAt ? (
              <span className="text-sm text-slate-800">{t("sessionCredits.tooLate")}</span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
