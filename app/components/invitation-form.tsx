import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Role } from "~/modules/db/schema";
import { failureOf } from "~/modules/forms/form-result";
import { useTranslate } from "~/modules/i18n/use-translate";
import { LanguageField, RadioGroup } from "./choice-fields";
import { EmailField, ErrorSummary, SubmitButton } from "./forms";

/** What an invitation page's action answers: the form's failure, or the address it sent to. */
export type InvitationAnswer = { status: "error" } | { status: "sent"; sentTo: string };

/**
 * The invitation form of the coordinator's and a Learning Destination owner's pages: email,
 * role, language, with `places` (the coordinator's school and Learning Destination choices)
 * between role and language. Empties after each invitation sent (InvitationSent says so).
 */
export function InvitationForm({
  answer,
  title,
  roles,
  roleHint,
  defaultRole,
  places,
}: {
  answer: InvitationAnswer | undefined;
  title: string;
  roles: readonly Role[];
  roleHint?: string;
  defaultRole?: Role;
  places?: (failure: ReturnType<typeof failureOf>) => ReactNode;
}) {
  const { t } = useTranslate();
  const failure = failureOf(answer);
  const { errors, values } = failure;
  const sentTo = answer?.status === "sent" ? answer.sentTo : null;
  return (
    <section aria-labelledby="invite-heading" className="max-w-xl space-y-4">
      <h2 id="invite-heading" className="text-2xl font-semibold">
        {title}
      </h2>
      <ErrorSummary errors={errors} />
      {/* A key per success, so the form empties after each invitation sent. */}
      <Form method="post" className="space-y-5" noValidate key={sentTo ?? "form"}>
        <EmailField name="email" label={t("invite.email")} autoComplete="off" defaultValue={values.email ?? ""} error={errors.email} required />
        <RadioGroup
          name="role"
          label={t("invite.role")}
          hint={roleHint}
          options={roles.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          defaultValue={values.role ?? defaultRole}
          error={errors.role}
        />
        {places?.(failure)}
        <LanguageField label={t("invite.language")} hint={t("invite.languageHint")} defaultValue={values.language} error={errors.language} />
        <SubmitButton>{t("invite.submit")}</SubmitButton>
      </Form>
    </section>
  );
}

/** "Invitation sent to …", at the top of the page after each invitation sent. */
export function InvitationSent({ answer }: { answer: InvitationAnswer | undefined }) {
  const { t } = useTranslate();
  if (answer?.status !== "sent") return null;
  return (
    <p role="status" className="border-l-4 border-green-700 bg-green-50 p-4 font-semibold break-words">
      {t("invite.sent", { email: answer.sentTo })}
    </p>
  );
}
