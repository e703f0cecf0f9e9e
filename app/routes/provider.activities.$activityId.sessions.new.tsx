import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActivityTitle } from "~/components/activity-bits";
import { RadioGroup } from "~/components/choice-fields";
import { DateField, ErrorSummary, SubmitButton, TextField, TimeField } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { activityForStaff } from "~/modules/activities/activities.server";
import { MAX_SERIES_MONTHS } from "~/modules/activities/options";
import { createSessions, parseSessionForm, sessionFormToday } from "~/modules/activities/sessions.server";
import { db } from "~/modules/db/db.server";
import type { FieldErrors } from "~/modules/forms/parse-form.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { readFormData } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner", "provider_member"]);
  const activity = await activityForStaff(db(), membership, params.activityId ?? "");
  const lang = await resolveLanguage(request);
  return {
    title: translator(lang)("sessions.newTitle"),
    activity: { id: activity.id, title_en: activity.title_en, title_cy: activity.title_cy, credit_quarter_hours: activity.credit_quarter_hours },
    today: sessionFormToday(),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner", "provider_member"]);
  const activity = await activityForStaff(db(), membership, params.activityId ?? "");
  const parsed = parseSessionForm(await readFormData(request), sessionFormToday());
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, formError: null as string | null }, { status: 400 });
  const result = await createSessions(db(), membership, activity.id, parsed.data);
  if (!result.ok) {
    const { quarterHours, capacity, until, ...rest } = parsed.data;
    const values = {
      ...rest,
      until: until ?? "",
      hours: quarterHours === null ? "" : String(quarterHours / 4),
      capacity: capacity === null ? "" : String(capacity),
    };
    return data({ errors: result.errors as FieldErrors, values: values as Record<string, string>, formError: result.formError ?? null }, { status: 400 });
  }
  // The person lands on what they made: the new session (of a series, its first).
  throw redirect(`/provider/sessions/${result.firstSessionId}?saved=${result.count > 1 ? "sessionsAdded" : "sessionAdded"}`);
}

export default function NewSessions() {
  const { t } = useTranslate();
  const { activity, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values: Record<string, string | undefined> = actionData?.values ?? { repeat: "once" };
  const errors = actionData?.errors ?? {};
  return (
    <div className="max-w-3xl space-y-6">
      <p>
        <Link to={`/provider/activities/${activity.id}`}>{t("activities.backToActivity")}</Link>
      </p>
      <h1 className="text-3xl font-bold">
        {t("sessions.newTitle")}
        <span className="block text-lg font-normal">
          <ActivityTitle activity={activity} />
        </span>
      </h1>
      <p className="max-w-prose">{t("sessions.timesHint")}</p>
      <ErrorSummary errors={errors} formError={actionData?.formError} />
      <Form method="post" className="space-y-6" noValidate>
        <RadioGroup
          name="repeat"
          label={t("sessions.repeat")}
          options={[
            { value: "once", label: t("sessions.once") },
            { value: "weekly", label: t("sessions.weekly") },
          ]}
          defaultValue={values.repeat}
          error={errors.repeat}
        />
        <DateField name="date" min={today} label={t("sessions.date")} hint={t("sessions.dateHint")} defaultValue={values.date} error={errors.date} />
        <DateField
          name="until"
          min={today}
          label={t("sessions.until")}
          hint={t("sessions.untilHint", { months: MAX_SERIES_MONTHS })}
          defaultValue={values.until}
          error={errors.until}
        />
        <div className="flex flex-wrap gap-6">
          <TimeField name="startTime" label={t("sessions.startTime")} hint={t("sessions.timeHint")} defaultValue={values.startTime} error={errors.startTime} />
          <TimeField name="endTime" label={t("sessions.endTime")} hint={t("sessions.timeHint")} defaultValue={values.endTime} error={errors.endTime} />
        </div>
        <TextField
          name="hours"
          inputMode="decimal"
          label={t("sessions.hours")}
          hint={t("sessions.hoursHint", { hours: activity.credit_quarter_hours / 4 })}
          defaultValue={values.hours}
          error={errors.hours}
          className="max-w-[8rem]"
          autoComplete="off"
        />
        <TextField
          name="capacity"
          inputMode="numeric"
          label={t("sessions.capacity")}
          hint={t("sessions.capacityHint")}
          defaultValue={values.capacity}
          error={errors.capacity}
          className="max-w-[8rem]"
          autoComplete="off"
        />
        <SubmitButton>{t("sessions.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
