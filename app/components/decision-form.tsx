import { Form } from "@remix-run/react";
import { RadioGroup } from "~/components/choice-fields";
import { CheckboxGroup, SubmitButton, TextareaField } from "~/components/forms";
import type { FieldErrors } from "~/modules/forms/form-result";
import { useTranslate } from "~/modules/i18n/use-translate";

const CRITERIA = ["voluntary", "outsideSchoolHours", "learningAim", "furtherStudy"] as const;

/** The coordinator's decision: the Children's University checklist, then approve, ask for changes or refuse, with a reason. */
export function DecisionForm({ errors, values, renewal }: { errors: FieldErrors; values: Record<string, string | undefined>; renewal: boolean }) {
  const { t } = useTranslate();
  return (
    <Form method="post" className="space-y-6" noValidate>
      <CheckboxGroup
        name="criteria"
        label={t("validation.criteriaTitle")}
        hint={t("validation.criteriaHint")}
        options={CRITERIA.map((criterion) => ({ value: criterion, label: t(`validation.criteria.${criterion}`) }))}
        error={errors.criteria}
      />
      <RadioGroup
        name="decision"
        label={t("validation.decisionTitle")}
        options={[
          { value: "validated", label: renewal ? t("validation.decisions.renew") : t("validation.decisions.validated") },
          { value: "changes_requested", label: t("validation.decisions.changes_requested") },
          { value: "refused", label: t("validation.decisions.refused") },
        ]}
        defaultValue={values.decision}
        error={errors.decision}
      />
      <TextareaField
        name="reason"
        label={t("validation.reason")}
        hint={t("validation.reasonHint")}
        defaultValue={values.reason}
        error={errors.reason}
        maxLength={2000}
      />
      <SubmitButton>{t("validation.submit")}</SubmitButton>
    </Form>
  );
}
