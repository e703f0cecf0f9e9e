import { Form } from "@remix-run/react";
import { RadioGroup, SelectField } from "~/components/choice-fields";
import { CheckboxField, CheckboxGroup, PriceField, SubmitButton, TextareaField, TextField } from "~/components/forms";
import { CATEGORIES, COST_BANDS, SKILLS } from "~/modules/activities/options";
import type { FieldErrors } from "~/modules/forms/form-result";
import { useTranslate } from "~/modules/i18n/use-translate";

/** The owner's activity form, for a new activity and for changes. */
export function ActivityForm({
  values,
  errors,
  localAuthorities,
  submitLabel,
  hoursHint,
}: {
  values: Record<string, string | undefined>;
  errors: FieldErrors;
  localAuthorities: string[];
  submitLabel: string;
  hoursHint?: string;
}) {
  const { t } = useTranslate();
  return (
    <Form method="post" className="space-y-8" noValidate>
      <fieldset className="space-y-5">
        <legend className="text-2xl font-semibold">{t("activities.form.describeTitle")}</legend>
        <p className="max-w-prose">{t("activities.form.languagesHint")}</p>
        <TextField name="titleCy" lang="cy" label={t("activities.fields.titleCy")} defaultValue={values.titleCy} error={errors.titleCy} maxLength={120} />
        <TextareaField
          name="descriptionCy"
          lang="cy"
          label={t("activities.fields.descriptionCy")}
          defaultValue={values.descriptionCy}
          error={errors.descriptionCy}
          maxLength={2000}
        />
        <TextField name="titleEn" lang="en" label={t("activities.fields.titleEn")} defaultValue={values.titleEn} error={errors.titleEn} maxLength={120} />
        <TextareaField
          name="descriptionEn"
          lang="en"
          label={t("activities.fields.descriptionEn")}
          defaultValue={values.descriptionEn}
          error={errors.descriptionEn}
          maxLength={2000}
        />
        <SelectField
          name="category"
          label={t("activities.fields.category")}
          emptyLabel={t("apply.choose")}
          options={CATEGORIES.map((category) => ({ value: category, label: t(`categories.${category}`) }))}
          defaultValue={values.category}
          error={errors.category}
        />
        <CheckboxGroup
          name="skills"
          label={t("activities.fields.skills")}
          hint={t("activities.form.skillsHint")}
          options={SKILLS.map((skill) => ({ value: skill, label: t(`skills.${skill}`) }))}
          defaultValues={values.skills?.split(" ") ?? []}
          error={errors.skills}
        />
        <TextField
          name="creditHours"
          inputMode="decimal"
          label={t("activities.fields.creditHours")}
          hint={hoursHint ?? t("activities.form.creditHoursHint")}
          defaultValue={values.creditHours}
          error={errors.creditHours}
          className="max-w-[8rem]"
          autoComplete="off"
        />
      </fieldset>

      <fieldset className="space-y-5">
        <legend className="text-2xl font-semibold">{t("activities.form.whoTitle")}</legend>
        <RadioGroup
          name="costBand"
          label={t("activities.fields.costBand")}
          options={COST_BANDS.map((band) => ({ value: band, label: t(`costBands.${band}`) }))}
          defaultValue={values.costBand}
          error={errors.costBand}
        />
        <PriceField name="price" label={t("activities.fields.price")} hint={t("activities.form.priceHint")} defaultValue={values.price} error={errors.price} />
        <div className="flex flex-wrap gap-6">
          <TextField
            name="minAge"
            inputMode="numeric"
            label={t("activities.fields.minAge")}
            defaultValue={values.minAge}
            error={errors.minAge}
            className="max-w-[6rem]"
            autoComplete="off"
          />
          <TextField
            name="maxAge"
            inputMode="numeric"
            label={t("activities.fields.maxAge")}
            defaultValue={values.maxAge}
            error={errors.maxAge}
            className="max-w-[6rem]"
            autoComplete="off"
          />
        </div>
        <CheckboxField
          name="welshLanguage"
          label={t("activities.fields.welshLanguage")}
          hint={t("activities.form.welshHint")}
          defaultChecked={values.welshLanguage === "on"}
        />
      </fieldset>

      <fieldset className="space-y-5">
        <legend className="text-2xl font-semibold">{t("activities.form.whereTitle")}</legend>
        <TextField
          name="venue"
          label={t("activities.fields.venue")}
          hint={t("activities.form.venueHint")}
          defaultValue={values.venue}
          error={errors.venue}
          maxLength={200}
        />
        <TextField
          name="town"
          label={t("activities.fields.town")}
          defaultValue={values.town}
          error={errors.town}
          maxLength={80}
          autoComplete="address-level2"
        />
        <SelectField
          name="laCode"
          label={t("activities.fields.la")}
          emptyLabel={t("apply.choose")}
          options={localAuthorities.map((code) => ({ value: code, label: t(`localAuthorities.${code}`, { defaultValue: code }) }))}
          defaultValue={values.laCode}
          error={errors.laCode}
        />
        <TextareaField
          name="accessibilityNotes"
          label={t("activities.fields.accessibilityNotes")}
          hint={t("activities.form.accessibilityHint")}
          defaultValue={values.accessibilityNotes}
          error={errors.accessibilityNotes}
          maxLength={1000}
        />
      </fieldset>

      <SubmitButton>{submitLabel}</SubmitButton>
    </Form>
  );
}
