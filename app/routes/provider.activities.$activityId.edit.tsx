import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActivityTitle, StatusTag } from "~/components/activity-bits";
import { ActivityForm } from "~/components/activity-form";
import { ErrorSummary } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { activityForStaff, activityFormValues, parseActivityForm, updateActivity } from "~/modules/activities/activities.server";
import { bilingualText } from "~/modules/activities/options";
import { localAuthoritiesOf } from "~/modules/activities/places.server";
import { db } from "~/modules/db/db.server";
import type { FieldErrors } from "~/modules/forms/parse-form.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { readFormData } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner"]);
  // Another provider's activity is a 404 here, before anything else is read.
  const activity = await activityForStaff(db(), membership, params.activityId ?? "");
  const lang = await resolveLanguage(request);
  return {
    title: translator(lang)("activities.editTitle", { title: bilingualText(activity, lang).title }),
    activity: { id: activity.id, title_en: activity.title_en, title_cy: activity.title_cy, status: activity.status, status_reason: activity.status_reason },
    values: activityFormValues(activity),
    localAuthorities: await localAuthoritiesOf(db(), membership.areaId),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner"]);
  const parsed = parseActivityForm(await readFormData(request));
  if (!parsed.ok) {
    await activityForStaff(db(), membership, params.activityId ?? "");
    return data({ errors: parsed.errors, values: parsed.values, formError: null as string | null }, { status: 400 });
  }
  const result = await updateActivity(db(), membership, params.activityId ?? "", parsed.data);
  if (!result.ok)
    return data({ errors: result.errors as FieldErrors, values: {} as Record<string, string>, formError: result.formError ?? null }, { status: 400 });
  throw redirect(`/provider/activities/${result.activityId}?saved=${result.sentForValidation ? "resubmitted" : "updated"}`);
}

export default function EditActivity() {
  const { t } = useTranslate();
  const { activity, values, localAuthorities } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const editable = activity.status !== "refused" && activity.status !== "withdrawn";
  const hint =
    activity.status === "validated"
      ? t("activities.form.creditHoursHintValidated")
      : activity.status === "changes_requested"
        ? t("activities.form.creditHoursHint")
        : undefined;
  return (
    <div className="max-w-3xl space-y-6">
      <p>
        <Link to={`/provider/activities/${activity.id}`}>{t("activities.backToActivity")}</Link>
      </p>
      <h1 className="text-3xl font-bold">
        {t("activities.editHeading")}
        <span className="block text-lg font-normal">
          <ActivityTitle activity={activity} />
        </span>
      </h1>
      <p>
        <StatusTag status={activity.status} />
      </p>
      {activity.status === "changes_requested" ? (
        <div className="border-l-4 border-amber-700 bg-amber-50 p-4">
          <p className="font-semibold">{t("activities.coordinatorSaid")}</p>
          <p className="whitespace-pre-line">{activity.status_reason}</p>
          <p className="mt-2">{t("activities.resubmitHint")}</p>
        </div>
      ) : null}
      <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
      {editable ? (
        <ActivityForm
          values={actionData?.values && Object.keys(actionData.values).length ? actionData.values : values}
          errors={actionData?.errors ?? {}}
          localAuthorities={localAuthorities}
          hoursHint={hint}
          submitLabel={activity.status === "changes_requested" ? t("activities.submitResubmit") : t("activities.submitSave")}
        />
      ) : (
        <p>{t("activities.errors.notEditable")}</p>
      )}
    </div>
  );
}
