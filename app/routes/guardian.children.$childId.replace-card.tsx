import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { SubmitButton } from "~/components/forms";
import { openChildRecord } from "~/modules/accounts/access.server";
import { requireActor } from "~/modules/accounts/actor.server";
import { db } from "~/modules/db/db.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { replacePassportCard } from "~/modules/passports/passport.server";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("replaceCard.title");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const child = await openChildRecord(db(), membership, params.childId ?? "");
  return { child: { id: child.id, givenName: child.given_name } };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  await replacePassportCard(db(), membership, params.childId ?? "");
  throw redirect(`/guardian/children/${params.childId}?replaced=1`);
}

export default function ReplaceCard() {
  const { t } = useTranslate();
  const { child } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-2xl space-y-6">
      <p>
        <Link to={`/guardian/children/${child.id}`}>{t("passport.backToPassport", { name: child.givenName })}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("replaceCard.title")}</h1>
      <p>{t("replaceCard.intro")}</p>
      <ul className="list-disc space-y-1 pl-6">
        <li>{t("replaceCard.oldStops")}</li>
        <li>{t("replaceCard.hoursKept")}</li>
        <li>{t("replaceCard.print")}</li>
      </ul>
      <Form method="post">
        <SubmitButton>{t("replaceCard.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
