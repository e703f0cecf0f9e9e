import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireSignedIn } from "~/modules/accounts/access.server";
import { homePathFor, requireActor } from "~/modules/accounts/actor.server";
import { switchMembership } from "~/modules/accounts/memberships.server";
import { db } from "~/modules/db/db.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { anyText } from "~/modules/forms/fields.server";
import { readValues } from "~/modules/forms/read-form.server";
import { titled } from "~/modules/i18n/page-title";
import { pick } from "~/modules/i18n/bilingual";

export const meta = titled("account.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  // A person with no role yet may still see their account page.
  const actor = await requireSignedIn(db(), request, context);
  return {
    displayName: actor.displayName,
    email: actor.email,
    activeId: actor.membership?.id ?? null,
    memberships: actor.memberships.map((m) => ({
      id: m.id,
      role: m.role,
      areaNameEn: m.areaNameEn,
      areaNameCy: m.areaNameCy,
      place: m.schoolName ?? m.providerName,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { actor } = await requireActor(db(), request, context, "any");
  const { membershipId } = await readValues(request, { membershipId: anyText });
  const membership = await switchMembership(db(), actor, membershipId);
  throw redirect(homePathFor(membership));
}

export default function Account() {
  const { t, lang } = useTranslate();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">{t("account.title")}</h1>
      <dl className="grid max-w-md grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="font-semibold">{t("signIn.email")}</dt>
        <dd>{data.email}</dd>
      </dl>
      <section aria-labelledby="roles-heading" className="space-y-3">
        <h2 id="roles-heading" className="text-2xl font-semibold">
          {t("account.roles")}
        </h2>
        {data.memberships.length === 0 ? <p>{t("account.noRole")}</p> : null}
        <ul className="space-y-3">
          {data.memberships.map((m) => (
            <li key={m.id} className="flex flex-wrap items-center gap-3 rounded border border-slate-300 p-3">
              <span>
                <strong>{t(`roles.${m.role}`)}</strong> · {pick({ en: m.areaNameEn, cy: m.areaNameCy }, lang)}
                {m.place ? ` · ${m.place}` : ""}
              </span>
              {m.id === data.activeId ? (
                <span className="rounded bg-brand-100 px-2 py-0.5 text-sm">{t("account.current")}</span>
              ) : (
                <Form method="post">
                  <input type="hidden" name="membershipId" value={m.id} />
                  <button type="submit" className="rounded border-2 border-brand-700 px-3 py-1 font-semibold text-brand-800">
                    {t("account.switchTo")}
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
