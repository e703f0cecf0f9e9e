import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { LanguageField, RadioGroup, SelectField } from "~/components/choice-fields";
import { ConsentSummary } from "~/components/consent-summary";
import { CheckboxField, ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { areaSchools, childDetailsForm, registerChild } from "~/modules/children/registration.server";
import { db } from "~/modules/db/db.server";
import { failureOf, type FieldMessages, type FormValues } from "~/modules/forms/form-result";
import { parseForm, typedValues } from "~/modules/forms/parse-form.server";
import { locale } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { areaLsoa, hasPostcodeDirectory, lookupPostcode, resolveHome, searchAreaLsoas, type HomeArea } from "~/modules/reference/postcodes.server";
import { anyText, flag, intent, trimmedText } from "~/modules/forms/fields.server";
import { invalid, parseValues, queryValues, readFormData } from "~/modules/forms/read-form.server";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("children.new.title");

/**
 * Registering a child, in two steps that work without JavaScript: first where the child lives
 * (a postcode, looked up and forgotten, or a neighbourhood chosen from a list), then the
 * child's details and the consents.
 */

type Home = HomeArea | { code: "outside"; code21?: undefined };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const url = new URL(request.url);
  const { q, step } = queryValues({ q: trimmedText(60), step: flag("choose") }, url.searchParams);
  const [schools, directory, lang] = await Promise.all([areaSchools(db(), membership.areaId), hasPostcodeDirectory(db()), resolveLanguage(request)]);
  // A search sent (even an empty one) is the choosing step too.
  const choosing = step || url.searchParams.has("q") || !directory;
  return {
    schools,
    // Month names are made here: a browser without Welsh locale data would otherwise show English.
    months: monthNames(lang),
    choosing,
    q,
    results: q ? await searchAreaLsoas(db(), membership.areaId, q) : [],
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const form = await readFormData(request);
  const {
    intent: step,
    postcode,
    home: homeValue,
    home21,
  } = await parseValues(request, form, {
    intent: intent(["postcode", "chooseHome"]),
    postcode: anyText,
    home: anyText,
    home21: anyText,
  });

  if (step === "postcode") {
    const lookup = await lookupPostcode(db(), postcode);
    // The postcode goes no further than this lookup: only the neighbourhood is passed on.
    if (lookup.status === "found") return { step: "details" as const, home: lookup.lsoa };
    if (lookup.status === "outsideWales") return { step: "details" as const, home: { code: "outside" as const } };
    const error =
      postcode.trim() === ""
        ? "children.errors.postcodeRequired"
        : lookup.status === "invalid"
          ? "children.errors.postcodeInvalid"
          : "children.errors.postcodeUnknown";
    return invalid({ errors: { postcode: error }, values: { postcode } }, 400, { step: "home" as const, choose: lookup.status === "unknown" });
  }

  const home: Home | null =
    homeValue === "outside"
      ? { code: "outside" }
      : step === "chooseHome"
        ? await areaLsoa(db(), membership.areaId, homeValue)
        : await resolveHome(db(), homeValue || null, home21 || null);
  if (!home) return invalid({ errors: { home: "children.errors.homeRequired" } }, 400, { step: "choose" as const });
  if (step === "chooseHome") return { step: "details" as const, home };

  // The neighbourhood chosen comes back with every refusal of the details, to be sent again.
  const parsed = parseForm(childDetailsForm, form);
  if (!parsed.ok) return invalid(parsed, 400, { step: "details" as const, home });
  const result = await registerChild(db(), membership, parsed.data);
  if (!result.ok) return invalid({ errors: result.errors, values: typedValues(form) }, 400, { step: "details" as const, home });
  throw redirect(`/guardian/children/${result.childId}?welcome=1`);
}

export default function RegisterChild() {
  const { t } = useTranslate();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { errors, values } = failureOf(actionData);
  const step = actionData?.step ?? (loaderData.choosing ? "choose" : "home");
  return (
    <div className="max-w-2xl space-y-6">
      <p>
        <Link to="/guardian">{t("children.backToChildren")}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("children.new.title")}</h1>
      {actionData?.step === "details" ? (
        <DetailsStep home={actionData.home} errors={errors} values={values} schools={loaderData.schools} months={loaderData.months} />
      ) : step === "choose" ? (
        <ChooseStep q={loaderData.q} results={loaderData.results} errors={errors} />
      ) : (
        <HomeStep errors={errors} postcode={values.postcode ?? ""} offerList={actionData?.step === "home"} />
      )}
    </div>
  );
}

function HomeStep({ errors, postcode, offerList }: { errors: FieldMessages; postcode: string; offerList: boolean }) {
  const { t } = useTranslate();
  return (
    <>
      <p className="text-lg">{t("children.new.intro")}</p>
      <ErrorSummary errors={errors} />
      <Form method="post" className="space-y-5" noValidate>
        <input type="hidden" name="intent" value="postcode" />
        <h2 className="text-2xl font-semibold">{t("children.home.title")}</h2>
        <TextField
          name="postcode"
          label={t("children.home.postcode")}
          hint={t("children.home.postcodeHint")}
          error={errors.postcode}
          defaultValue={postcode}
          autoComplete="postal-code"
          autoCapitalize="characters"
          spellCheck={false}
          className="max-w-[12rem] uppercase"
        />
        <SubmitButton>{t("children.continue")}</SubmitButton>
      </Form>
      <p className={offerList ? "text-lg font-semibold" : undefined}>
        <Link to="?step=choose">{offerList ? t("children.home.chooseInstead") : t("children.home.noPostcode")}</Link>
      </p>
    </>
  );
}

function ChooseStep({ q, results, errors }: { q: string; results: Array<HomeArea & { code: string }>; errors: FieldMessages }) {
  const { t } = useTranslate();
  return (
    <>
      <h2 className="text-2xl font-semibold">{t("children.home.chooseTitle")}</h2>
      <p>{t("children.home.chooseIntro")}</p>
      <ErrorSummary errors={errors} />
      <Form method="get" className="flex flex-wrap items-end gap-3" role="search">
        <input type="hidden" name="step" value="choose" />
        <TextField name="q" type="search" label={t("children.home.search")} hint={t("children.home.searchHint")} defaultValue={q} />
        <button type="submit" className="rounded border-2 border-brand-700 px-4 py-2 font-semibold text-brand-800">
          {t("children.home.searchButton")}
        </button>
      </Form>
      <Form method="post" className="space-y-5">
        <input type="hidden" name="intent" value="chooseHome" />
        {q && results.length === 0 ? <p role="status">{t("children.home.noResults", { q })}</p> : null}
        {q && results.length > 0 ? <p role="status">{t("children.home.results", { count: results.length })}</p> : null}
        <RadioGroup
          name="home"
          label={t("children.home.chooseLegend")}
          error={errors.home}
          options={[
            ...results.map((lsoa) => ({ value: lsoa.code, label: `${lsoa.name} (${lsoa.laName})` })),
            { value: "outside", label: t("children.home.outside") },
          ]}
        />
        <SubmitButton>{t("children.continue")}</SubmitButton>
      </Form>
      <p>
        <Link to="/guardian/children/new">{t("children.home.tryPostcode")}</Link>
      </p>
    </>
  );
}

function monthNames(lang: "cy" | "en") {
  const format = new Intl.DateTimeFormat(locale(lang), { month: "long", timeZone: "UTC" });
  return Array.from({ length: 12 }, (_, index) => ({ value: String(index + 1), label: format.format(Date.UTC(2020, index, 1)) }));
}

function DetailsStep({
  home,
  errors,
  values,
  schools,
  months,
}: {
  home: Home;
  errors: FieldMessages;
  values: Partial<FormValues>;
  schools: Array<{ id: string; name: string }>;
  months: Array<{ value: string; label: string }>;
}) {
  const { t } = useTranslate();
  // Welsh answers yes and no with the question's own verb: "Ydy" to "Ydy'r…?", "Oes" to "Oes gan…?".
  const answers = (verb: "is" | "has") => [
    { value: "yes", label: t(`children.equity.yes_${verb}`) },
    { value: "no", label: t(`children.equity.no_${verb}`) },
    { value: "", label: t("children.equity.preferNot") },
  ];
  return (
    <>
      <div className="rounded border-2 border-brand-700 bg-brand-50 p-4">
        <p className="font-semibold">{t("children.home.chosen")}</p>
        <p className="text-lg">{home.code === "outside" ? t("children.home.outside") : `${(home as HomeArea).name}, ${(home as HomeArea).laName}`}</p>
        <p className="text-sm">{t("children.home.postcodeForgotten")}</p>
        <p>
          <Link to="/guardian/children/new">{t("children.home.change")}</Link>
        </p>
      </div>
      <ErrorSummary errors={errors} />
      <Form method="post" className="space-y-8" noValidate>
        <input type="hidden" name="intent" value="register" />
        <input type="hidden" name="home" value={home.code ?? ""} />
        {home.code21 ? <input type="hidden" name="home21" value={home.code21} /> : null}
        <section className="space-y-5" aria-labelledby="child-heading">
          <h2 id="child-heading" className="text-2xl font-semibold">
            {t("children.details.title")}
          </h2>
          <TextField
            name="givenName"
            label={t("children.details.givenName")}
            error={errors.givenName}
            defaultValue={values.givenName}
            autoComplete="off"
            spellCheck={false}
            maxLength={60}
          />
          <TextField
            name="familyName"
            label={t("children.details.familyName")}
            error={errors.familyName}
            defaultValue={values.familyName}
            autoComplete="off"
            spellCheck={false}
            maxLength={60}
          />
          <fieldset className="space-y-3" aria-describedby="birth-hint">
            <legend className="font-semibold">{t("children.details.birth")}</legend>
            <p id="birth-hint" className="text-sm text-slate-700">
              {t("children.details.birthHint")}
            </p>
            <div className="flex flex-wrap gap-4">
              <SelectField
                name="birthMonth"
                label={t("children.details.birthMonth")}
                emptyLabel={t("children.details.chooseMonth")}
                options={months}
                error={errors.birthMonth}
                defaultValue={values.birthMonth}
              />
              <TextField
                name="birthYear"
                label={t("children.details.birthYear")}
                inputMode="numeric"
                maxLength={4}
                className="max-w-[8rem]"
                error={errors.birthYear}
                defaultValue={values.birthYear}
              />
            </div>
          </fieldset>
          <SelectField
            name="school"
            label={t("children.details.school")}
            emptyLabel={t("children.details.chooseSchool")}
            options={[...schools.map((school) => ({ value: school.id, label: school.name })), { value: "none", label: t("children.details.schoolNotListed") }]}
            error={errors.school}
            defaultValue={values.school}
          />
          <LanguageField
            label={t("children.details.language")}
            hint={t("children.details.languageHint")}
            error={errors.language}
            defaultValue={values.language}
          />
        </section>

        <section className="space-y-4 rounded border-2 border-slate-400 p-4" aria-labelledby="consent-heading">
          <h2 id="consent-heading" className="text-2xl font-semibold">
            {t("consent.title")}
          </h2>
          <ConsentSummary />
          <CheckboxField name="consent" value="yes" label={t("consent.agree")} error={errors.consent} defaultChecked={values.consent === "yes"} />
        </section>

        <section className="space-y-4 rounded border-2 border-slate-400 p-4" aria-labelledby="equity-heading">
          <h2 id="equity-heading" className="text-2xl font-semibold">
            {t("children.equity.title")}
          </h2>
          <p>{t("children.equity.intro")}</p>
          <p>{t("children.equity.who")}</p>
          <CheckboxField
            name="equityConsent"
            value="yes"
            label={t("children.equity.agree")}
            hint={t("children.equity.agreeHint")}
            defaultChecked={values.equityConsent === "yes"}
          />
          <RadioGroup name="efsm" label={t("children.equity.efsm")} options={answers("is")} defaultValue={values.efsm ?? ""} />
          <RadioGroup name="aln" label={t("children.equity.aln")} options={answers("has")} defaultValue={values.aln ?? ""} />
          <RadioGroup
            name="careExperienced"
            label={t("children.equity.careExperienced")}
            options={answers("has")}
            defaultValue={values.careExperienced ?? ""}
          />
          <RadioGroup name="youngCarer" label={t("children.equity.youngCarer")} options={answers("is")} defaultValue={values.youngCarer ?? ""} />
        </section>

        <SubmitButton>{t("children.details.submit")}</SubmitButton>
      </Form>
    </>
  );
}
