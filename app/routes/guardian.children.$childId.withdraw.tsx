import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CheckboxField, ErrorSummary } from "~/components/forms";
import { openChildRecord } from "~/modules/accounts/access.server";
import { requireActor } from "~/modules/accounts/actor.server";
import { withdrawChild } from "~/modules/children/data-rights.server";
import { db } from "~/modules/db/db.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { yes } from "~/modules/forms/fields.server";
import { readValues } from "~/modules/forms/read-form.server";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled<typeof loader>((t, data) => t("dataRights.withdraw.title", { name: `${data.child.givenName} ${data.child.familyName}` }));

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const child = await openChildRecord(db(), membership, params.childId ?? "");
  return { child: { id: child.id, givenName: child.given_name, familyName: child.family_name } };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const { confirm } = await readValues(request, { confirm: yes });
  const result = await withdrawChild(db(), membership, params.childId ?? "", confirm);
  if (!result.ok) return data({ errors: { confirm: result.error } }, { status: 400 });
  throw redirect("/guardian?withdrawn=1");
}

export default function Withdraw() {
  const { t } = useTranslate();
  const { child } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const name = `${child.givenName} ${child.familyName}`;
  return (
    <div className="max-w-2xl space-y-6">
      <p>
        <Link to={`/guardian/children/${child.id}`}>{t("passport.backToPassport", { name: child.givenName })}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("dataRights.withdraw.title", { name })}</h1>
      <ErrorSummary errors={actionData?.errors} />
      <p>{t("dataRights.withdraw.intro")}</p>
      <h2 className="text-xl font-semibold">{t("dataRights.withdraw.erasedTitle")}</h2>
      <p>{t("dataRights.withdraw.erased")}</p>
      <h2 className="text-xl font-semibold">{t("dataRights.withdraw.keptTitle")}</h2>
      <p>{t("dataRights.withdraw.kept")}</p>
      <h2 className="text-xl font-semibold">{t("dataRights.withdraw.badgesTitle")}</h2>
      <p>{t("dataRights.withdraw.badges", { name: child.givenName })}</p>
      <p>
        <Link to={`/guardian/children/${child.id}/data`}>{t("dataRights.withdraw.downloadFirst")}</Link>
      </p>
      <Form method="post" className="space-y-5" noValidate>
        <CheckboxField name="confirm" value="yes" label={t("dataRights.withdraw.confirm", { name: child.givenName })} error={actionData?.errors.confirm} />
        <button type="submit" className="rounded bg-red-800 px-5 py-2 font-semibold text-white hover:bg-red-900">
          {t("dataRights.withdraw.submit", { name: child.givenName })}
        </button>
      </Form>
    </div>
  );
}
