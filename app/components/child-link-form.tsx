import { Form, Link, useLocation } from "@remix-run/react";
import { ConsentSummary } from "~/components/consent-summary";
import { CheckboxField, ErrorSummary, SubmitButton } from "~/components/forms";
import type { FieldErrors } from "~/modules/forms/form-result";
import { useTranslate } from "~/modules/i18n/use-translate";

/** Signed out: what the link is for, and the way to sign in or create an account and come back. */
export function ChildLinkSignIn() {
  const { t } = useTranslate();
  const location = useLocation();
  const back = encodeURIComponent(location.pathname + location.search);
  return (
    <div className="space-y-4">
      <p>{t("linkChild.signedOut")}</p>
      <ul className="space-y-2 text-lg">
        <li>
          <Link to={`/login?redirectTo=${back}`}>{t("linkChild.signIn")}</Link>
        </li>
        <li>
          <Link to="/register">{t("linkChild.register")}</Link>
        </li>
      </ul>
    </div>
  );
}

/** A valid code or link: whose passport it is for, the consent, and the button. */
export function ChildLinkConfirm({ givenName, code, errors }: { givenName: string; code?: string; errors?: FieldErrors }) {
  const { t } = useTranslate();
  return (
    <div className="space-y-5">
      <p className="text-lg">{t("linkChild.forChild", { name: givenName })}</p>
      <ErrorSummary errors={errors} />
      <section className="rounded border-2 border-slate-400 p-4" aria-labelledby="consent-heading">
        <h2 id="consent-heading" className="mb-3 text-2xl font-semibold">
          {t("consent.title")}
        </h2>
        <ConsentSummary />
      </section>
      <Form method="post" className="space-y-5" noValidate>
        <input type="hidden" name="intent" value="link" />
        {code ? <input type="hidden" name="code" value={code} /> : null}
        <CheckboxField name="consent" value="yes" label={t("consent.agree")} error={errors?.consent} />
        <SubmitButton>{t("linkChild.submit", { name: givenName })}</SubmitButton>
      </Form>
    </div>
  );
}
