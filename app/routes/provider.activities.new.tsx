import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActivityForm } from "~/components/activity-form";
import { ErrorSummary } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { createActivity, newActivityDefaults, parseActivityForm } from "~/modules/activities/activities.server";
import { localAuthoritiesOf } from "~/modules/activities/places.server";
import { db } from "~/modules/db/db.server";
import type { FieldErrors } from "~/modules/forms/parse-form.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { readFormData } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Only the owner describes activities (what the coordinator validates); members run them.
  const { membership } = await requireActor(db(), request, context, ["provider_owner"]);
  const lang = await resolveLanguage(request);
  return {
    title: translator(lang)("activities.newTitle"),
    defaults: await newActivityDefaults(db(), membership),
    localAuthorities: await localAuthoritiesOf(db(), membership.areaId),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner"]);
  const parsed = parseActivityForm(await readFormData(request));
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await createActivity(db(), membership, parsed.data);
  if (!result.ok) return data({ errors: result.errors as FieldErrors, values: {} as Record<string, string> }, { status: 400 });
  throw redirect(`/provider/activities/${result.activityId}?saved=created`);
}

export default function NewActivity() {
  const { t } = useTranslate();
  const { defaults, localAuthorities } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values && Object.keys(actionData.values).length ? actionData.values : defaults;
  return (
    <div className="max-w-3xl space-y-6">
      <p>
        <Link to="/provider/activities">{t("activities.backToList")}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("activities.newTitle")}</h1>
      <p className="max-w-prose">{t("activities.newIntro")}</p>
      <ErrorSummary errors={actionData?.errors} />
      <ActivityForm values={values} errors={actionData?.errors ?? {}} localAuthorities={localAuthorities} submitLabel={t("activities.submitNew")} />
    </div>
  );
}
