import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DateField, ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { db } from "~/modules/db/db.server";
import { failureOf } from "~/modules/forms/form-result";
import { createGraduation, graduationForm, latestCutoff, listGraduations } from "~/modules/graduation/graduations.server";
import { formatDate } from "~/modules/i18n/format";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { invalid, readForm } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const [graduations, previousCutoff] = await Promise.all([listGraduations(db(), membership.areaId), latestCutoff(db(), membership.areaId)]);
  const lang = await resolveLanguage(request);
  return { title: translator(lang)("graduations.title"), graduations, previousCutoff };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { actor, membership } = await requireActor(db(), request, context, ["coordinator"]);
  const parsed = await readForm(request, graduationForm);
  if (!parsed.ok) return invalid(parsed);
  const result = await createGraduation(db(), { areaId: membership.areaId, userId: actor.userId }, parsed.data);
  if (!result.ok) return invalid({ errors: result.errors, values: parsed.data });
  return redirect(`/coordinator/graduations/${result.id}`);
}

export default function Graduations() {
  const { t, lang } = useTranslate();
  const { graduations, previousCutoff } = useLoaderData<typeof loader>();
  const { errors, values } = failureOf(useActionData<typeof action>());
  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-bold">{t("graduations.title")}</h1>
      <p className="max-w-prose">{t("graduations.intro")}</p>

      <section aria-labelledby="graduations-heading" className="space-y-3">
        <h2 id="graduations-heading" className="text-2xl font-semibold">
          {t("graduations.listHeading")}
        </h2>
        {graduations.length === 0 ? (
          <p>{t("graduations.none")}</p>
        ) : (
          <ul className="space-y-3">
            {graduations.map((graduation) => (
              <li key={graduation.id} className="border-l-4 border-slate-400 pl-3">
                <Link to={`/coordinator/graduations/${graduation.id}`} className="font-semibold break-words">
                  {graduation.name}
                </Link>
                <p className="break-words">
                  {t("graduations.details", {
                    date: formatDate(graduation.heldOn, lang),
                    venue: graduation.venue,
                    cutoff: formatDate(graduation.cutoffOn, lang),
                  })}{" "}
                  {graduation.startsAt ? t("graduations.startsAt", { time: graduation.startsAt }) : t("graduations.startsAtMissing")}
                </p>
                <p>
                  {t("graduations.columns.status")}: {graduation.graduatedAt ? t("graduations.statusGraduated") : t("graduations.statusOpen")}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="create-heading" className="max-w-xl space-y-4">
        <h2 id="create-heading" className="text-2xl font-semibold">
          {t("graduations.createHeading")}
        </h2>
        <ErrorSummary errors={errors} />
        <Form method="post" className="space-y-5" noValidate>
          <TextField
            name="name"
            label={t("graduations.fields.name")}
            hint={t("graduations.fields.nameHint")}
            defaultValue={values.name ?? ""}
            error={errors.name}
            maxLength={200}
            required
          />
          <DateField name="heldOn" label={t("graduations.fields.heldOn")} defaultValue={values.heldOn ?? ""} error={errors.heldOn} required />
          <TextField
            name="startsAt"
            label={t("graduations.time")}
            hint={t("graduations.timeHint")}
            autoComplete="off"
            className="max-w-32"
            defaultValue={values.startsAt ?? ""}
            error={errors.startsAt}
            required
          />
          <TextField
            name="venue"
            label={t("graduations.fields.venue")}
            hint={t("graduations.fields.venueHint")}
            defaultValue={values.venue ?? ""}
            error={errors.venue}
            maxLength={300}
            required
          />
          <DateField
            name="cutoffOn"
            label={t("graduations.fields.cutoffOn")}
            hint={previousCutoff ? t("graduations.fields.cutoffPrevious", { date: formatDate(previousCutoff, lang) }) : t("graduations.fields.cutoffHint")}
            defaultValue={values.cutoffOn ?? ""}
            error={errors.cutoffOn}
            required
          />
          <SubmitButton>{t("graduations.create")}</SubmitButton>
        </Form>
      </section>
    </div>
  );
}
