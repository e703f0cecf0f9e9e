import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, FieldError, SubmitButton } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { addedField, rowField } from "~/modules/awards/ladder";
import { ladderFields, ladderFormOf } from "~/modules/awards/ladder-form.server";
import { ladderForEditing, saveLadder } from "~/modules/awards/ladder.server";
import { db } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { failureOf, type FieldMessage, type FieldMessages } from "~/modules/forms/form-result";
import { invalid, parseValues, readFormData } from "~/modules/forms/read-form.server";

/**
 * The area's award ladder, for its coordinator: thresholds and names in both languages, a
 * level to add, levels to remove. One form, one save; every problem shown against its row.
 */

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const [ladder, lang] = await Promise.all([ladderForEditing(db(), membership), resolveLanguage(request)]);
  return { title: translator(lang)("awards.ladder.title"), ...ladder };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const formData = await readFormData(request);
  // Its fields are named by row number, so their shape comes from the form itself.
  const form = ladderFormOf(await parseValues(request, formData, ladderFields(formData)));
  const result = await saveLadder(db(), membership, form);
  // What was typed comes back as the ladder's rows (with their ids and ticks), for the page to draw again.
  if (!result.ok) return invalid({ errors: result.errors, formError: result.formError }, 400, { form });
  const query = new URLSearchParams({ saved: result.changed ? "1" : "0" });
  if (result.resync) for (const [name, count] of Object.entries(result.resync)) query.set(name, String(count));
  throw redirect(`/coordinator/awards?${query}`);
}

interface Row {
  id: string | null;
  threshold: string;
  nameEn: string;
  nameCy: string;
  remove: boolean;
  awards: number;
  certified: number;
}

export default function AwardLadder() {
  const { t } = useTranslate();
  const { levels, isDefault } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { errors, formError } = failureOf(actionData);
  const [params] = useSearchParams();
  const counts = new Map(levels.map((level) => [level.id, level]));
  const rows: Row[] = actionData
    ? actionData.form.rows.map((row) => ({ ...row, awards: counts.get(row.id)?.awards ?? 0, certified: counts.get(row.id)?.certified ?? 0 }))
    : levels.map((level) => ({ ...level, threshold: String(level.thresholdHours), remove: false }));
  const added = actionData?.form.added ?? { threshold: "", nameEn: "", nameCy: "" };
  const saved = params.get("saved");

  return (
    <div className="max-w-4xl space-y-6">
      <p>
        <Link to="/coordinator">{t("awards.backToHome")}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("awards.ladder.title")}</h1>
      {saved === "1" ? (
        <p role="status" className="border-l-4 border-green-700 bg-green-50 p-4 font-semibold">
          {t("awards.ladder.saved")}{" "}
          {t("awards.ladder.resynced", {
            reached: Number(params.get("reached") ?? 0),
            removed: Number(params.get("removed") ?? 0),
            flagged: Number(params.get("flagged") ?? 0),
          })}
        </p>
      ) : saved === "0" ? (
        <p role="status" className="border-l-4 border-green-700 bg-green-50 p-4 font-semibold">
          {t("awards.ladder.unchanged")}
        </p>
      ) : null}
      <p className="max-w-prose">{t("awards.ladder.intro")}</p>
      {isDefault ? <p className="max-w-prose font-semibold">{t("awards.ladder.defaultNote")}</p> : null}
      <p>
        <Link to="/coordinator/awards/flagged">{t("awards.flagged.title")}</Link>
      </p>

      <ErrorSummary errors={errors} formError={formError}>
        <p className="mt-2">{t("awards.ladder.nothingSaved")}</p>
      </ErrorSummary>

      <Form method="post" noValidate className="space-y-6">
        <ol className="space-y-4">
          {rows.map((row, index) => {
            const field = (name: "threshold" | "nameEn" | "nameCy" | "remove") => rowField(index, name);
            return (
              <li key={row.id ?? `new-${index}`}>
                <fieldset className={`rounded border-2 p-4 ${rowHasError(errors, index) ? "border-red-700" : "border-slate-300"}`}>
                  <legend className="px-1 font-bold">{t("awards.ladder.level", { row: index + 1 })}</legend>
                  {row.id ? <input type="hidden" name={rowField(index, "id")} value={row.id} /> : null}
                  <div className="grid gap-3 sm:grid-cols-[8rem_1fr_1fr]">
                    <Input
                      name={field("threshold")}
                      label={t("awards.ladder.threshold")}
                      defaultValue={row.threshold}
                      error={errors[field("threshold")]}
                      inputMode="numeric"
                    />
                    <Input name={field("nameEn")} label={t("awards.ladder.nameEn")} defaultValue={row.nameEn} error={errors[field("nameEn")]} lang="en" />
                    <Input name={field("nameCy")} label={t("awards.ladder.nameCy")} defaultValue={row.nameCy} error={errors[field("nameCy")]} lang="cy" />
                  </div>
                  {row.awards > 0 ? (
                    <p className="mt-2 text-sm text-slate-700">{t("awards.ladder.held", { count: row.awards, certified: row.certified })}</p>
                  ) : null}
                  <FieldError name={field("remove")} error={errors[field("remove")]} className="mt-2" />
                  <div className="mt-3 flex items-start gap-3">
                    <input
                      id={field("remove")}
                      name={field("remove")}
                      type="checkbox"
                      defaultChecked={row.remove}
                      aria-describedby={errors[field("remove")] ? `${field("remove")}-error` : undefined}
                      className="mt-1 h-5 w-5 shrink-0"
                    />
                    <label htmlFor={field("remove")}>{t("awards.ladder.remove", { row: index + 1 })}</label>
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>

        <fieldset className="rounded border-2 border-dashed border-slate-500 p-4">
          <legend className="px-1 font-bold">{t("awards.ladder.addLevel")}</legend>
          <p id="new-hint" className="mb-3 text-sm text-slate-700">
            {t("awards.ladder.addHint")}
          </p>
          <div className="grid gap-3 sm:grid-cols-[8rem_1fr_1fr]">
            <Input
              name={addedField("threshold")}
              label={t("awards.ladder.threshold")}
              defaultValue={added.threshold}
              error={errors[addedField("threshold")]}
              inputMode="numeric"
            />
            <Input name={addedField("nameEn")} label={t("awards.ladder.nameEn")} defaultValue={added.nameEn} error={errors[addedField("nameEn")]} lang="en" />
            <Input name={addedField("nameCy")} label={t("awards.ladder.nameCy")} defaultValue={added.nameCy} error={errors[addedField("nameCy")]} lang="cy" />
          </div>
        </fieldset>

        <SubmitButton>{t("awards.ladder.save")}</SubmitButton>
      </Form>
    </div>
  );
}

function rowHasError(errors: FieldMessages, index: number) {
  return Object.keys(errors).some((name) => name.startsWith(`level-${index}-`));
}

function Input({
  name,
  label,
  defaultValue,
  error,
  inputMode,
  lang,
}: {
  name: string;
  label: string;
  defaultValue: string;
  error?: FieldMessage;
  inputMode?: "numeric";
  lang?: string;
}) {
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={name} className="block font-semibold">
        {label}
      </label>
      <FieldError name={name} error={error} />
      <input
        id={name}
        name={name}
        type="text"
        inputMode={inputMode}
        lang={lang}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${name}-error` : undefined}
        className={`block w-full rounded border-2 px-3 py-2 ${error ? "border-red-700" : "border-slate-700"}`}
      />
    </div>
  );
}
