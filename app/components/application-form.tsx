import { Form } from "@remix-run/react";
import { SelectField } from "~/components/choice-fields";
import { CheckboxField, EmailField, SubmitButton, TextareaField, TextField } from "~/components/forms";
import { PROVIDER_KINDS } from "~/modules/activities/options";
import type { FieldErrors } from "~/modules/forms/form-result";
import { useTranslate } from "~/modules/i18n/use-translate";
import { columns, pick } from "~/modules/i18n/bilingual";

export interface LocalAuthorityOption {
  la_code: string;
  name_en: string;
  name_cy: string;
}

/** The Learning Destination application, used for a first application and to send it again after changes. */
export function ApplicationForm({
  localAuthorities,
  values,
  errors,
  submitLabel,
  showAreas,
}: {
  localAuthorities: LocalAuthorityOption[];
  values: Record<string, string | undefined>;
  errors: FieldErrors;
  submitLabel: string;
  showAreas: boolean;
}) {
  const { t, lang } = useTranslate();
  return (
    <Form method="post" className="space-y-8" noValidate>
      <fieldset className="space-y-5">
        <legend className="text-2xl font-semibold">{t("apply.organisationTitle")}</legend>
        <TextField
          name="name"
          label={t("apply.name")}
          hint={t("apply.nameHint")}
          defaultValue={values.name}
          error={errors.name}
          autoComplete="organization"
          required
        />
        <TextField name="nameCy" label={t("apply.nameCy")} hint={t("apply.nameCyHint")} defaultValue={values.nameCy} error={errors.nameCy} lang="cy" />
        <SelectField
          name="kind"
          label={t("apply.kind")}
          emptyLabel={t("apply.choose")}
          options={PROVIDER_KINDS.map((kind) => ({ value: kind, label: t(`providerKinds.${kind}`) }))}
          defaultValue={values.kind}
          error={errors.kind}
        />
        <SelectField
          name="laCode"
          label={t("apply.la")}
          hint={t("apply.laHint")}
          emptyLabel={t("apply.choose")}
          options={localAuthorities.map((la) => ({
            value: la.la_code,
            label: `${t(`localAuthorities.${la.la_code}`, { defaultValue: la.la_code })}${showAreas ? ` (${pick(columns(la, "name"), lang)})` : ""}`,
          }))}
          defaultValue={values.laCode}
          error={errors.laCode}
        />
        <TextField
          name="town"
          label={t("apply.town")}
          hint={t("apply.townHint")}
          defaultValue={values.town}
          error={errors.town}
          autoComplete="address-level2"
          required
        />
      </fieldset>

      <fieldset className="space-y-5">
        <legend className="text-2xl font-semibold">{t("apply.contactTitle")}</legend>
        <p className="max-w-prose">{t("apply.contactHint")}</p>
        <TextField
          name="contactName"
          label={t("apply.contactName")}
          defaultValue={values.contactName}
          error={errors.contactName}
          autoComplete="name"
          required
        />
        <EmailField
          name="contactEmail"
          label={t("apply.contactEmail")}
          hint={t("apply.contactEmailHint")}
          defaultValue={values.contactEmail}
          error={errors.contactEmail}
          autoComplete="email"
          required
        />
        <TextField
          name="contactPhone"
          type="tel"
          label={t("apply.contactPhone")}
          hint={t("apply.contactPhoneHint")}
          defaultValue={values.contactPhone}
          error={errors.contactPhone}
          autoComplete="tel"
          required
        />
      </fieldset>

      <fieldset className="space-y-5">
        <legend className="text-2xl font-semibold">{t("apply.offerTitle")}</legend>
        <TextareaField
          name="activitiesSummary"
          label={t("apply.summary")}
          hint={t("apply.summaryHint")}
          defaultValue={values.activitiesSummary}
          error={errors.activitiesSummary}
          rows={6}
          maxLength={2000}
          required
        />
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="text-2xl font-semibold">{t("apply.safeguardingTitle")}</legend>
        <p className="max-w-prose">{t("apply.safeguardingHint")}</p>
        <CheckboxField name="dbs" label={t("apply.dbs")} error={errors.dbs} defaultChecked={values.dbs === "on"} />
        <CheckboxField name="policy" label={t("apply.policy")} error={errors.policy} defaultChecked={values.policy === "on"} />
        <CheckboxField name="insurance" label={t("apply.insurance")} error={errors.insurance} defaultChecked={values.insurance === "on"} />
      </fieldset>

      <p className="max-w-prose text-sm">{t("apply.privacy")}</p>
      <SubmitButton>{submitLabel}</SubmitButton>
    </Form>
  );
}
