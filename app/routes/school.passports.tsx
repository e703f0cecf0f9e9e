import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CheckboxField, SubmitButton } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { LETTER_LIFETIME_DAYS } from "~/modules/children/guardian-links.server";
import { schoolGroups } from "~/modules/children/roster.server";
import { db } from "~/modules/db/db.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("print.title");

/** Printing for a school: sheets of passport cards, and letters that let families link up. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["school"]);
  // From the loader: a .server module's value is not in the browser's bundle (it hydrated as blank).
  return { schoolName: membership.schoolName, letterLifetimeDays: LETTER_LIFETIME_DAYS, ...(await schoolGroups(db(), membership)) };
}

export default function SchoolPassports() {
  const { t } = useTranslate();
  const { schoolName, letterLifetimeDays, yearGroups, classes } = useLoaderData<typeof loader>();
  const yearOptions = yearGroups.map((year) => ({ value: String(year), label: year === 0 ? t("dataRights.data.reception") : t("print.year", { year }) }));
  const classOptions = classes.map((name) => ({ value: name, label: name }));
  return (
    <div className="max-w-2xl space-y-8">
      <p>
        <Link to="/school">{t("roster.backToSchool")}</Link>
      </p>
      <h1 className="text-3xl font-bold">
        {t("print.title")}
        <span className="block text-lg font-normal">{schoolName}</span>
      </h1>
      <section aria-labelledby="cards-heading" className="space-y-4">
        <h2 id="cards-heading" className="text-2xl font-semibold">
          {t("print.cardsTitle")}
        </h2>
        <p>{t("print.cardsIntro")}</p>
        <form method="get" action="/school/cards.pdf" className="space-y-4">
          <fieldset className="space-y-3">
            <legend className="sr-only">{t("print.cardsTitle")}</legend>
            <div className="flex flex-wrap gap-4">
              <GroupSelect id="cards-year" name="yearGroup" label={t("print.yearGroup")} all={t("print.all")} options={yearOptions} />
              <GroupSelect id="cards-class" name="className" label={t("print.className")} all={t("print.all")} options={classOptions} />
            </div>
          </fieldset>
          <SubmitButton>{t("print.cardsSubmit")}</SubmitButton>
        </form>
      </section>
      <section aria-labelledby="letters-heading" className="space-y-4">
        <h2 id="letters-heading" className="text-2xl font-semibold">
          {t("print.lettersTitle")}
        </h2>
        <p>{t("print.lettersIntro", { days: letterLifetimeDays })}</p>
        <form method="post" action="/school/letters.pdf" className="space-y-4">
          <fieldset className="space-y-3">
            <legend className="sr-only">{t("print.lettersTitle")}</legend>
            <div className="flex flex-wrap gap-4">
              <GroupSelect id="letters-year" name="yearGroup" label={t("print.yearGroup")} all={t("print.all")} options={yearOptions} />
              <GroupSelect id="letters-class" name="className" label={t("print.className")} all={t("print.all")} options={classOptions} />
            </div>
          </fieldset>
          <CheckboxField name="onlyWithoutGuardian" value="yes" label={t("print.onlyWithoutGuardian")} defaultChecked />
          <SubmitButton>{t("print.lettersSubmit")}</SubmitButton>
        </form>
      </section>
    </div>
  );
}

/** A year-group or class choice; ids differ per form, as both forms on the page have one. */
function GroupSelect({
  id,
  name,
  label,
  all,
  options,
}: {
  id: string;
  name: string;
  label: string;
  all: string;
  options: Array<{ value: string; label: string }>;
}) {
  if (options.length === 0) return null;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block font-semibold">
        {label}
      </label>
      <select id={id} name={name} defaultValue="" className="block rounded border-2 border-slate-700 bg-white px-3 py-2">
        <option value="">{all}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
