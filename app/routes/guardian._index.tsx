import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { anyText } from "~/modules/forms/fields.server";
import { parseValues, readFormData } from "~/modules/forms/read-form.server";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ChildTable } from "~/components/child-table";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { GuardianClaims } from "~/components/guardian-claims";
import { requireActor } from "~/modules/accounts/actor.server";
import { childList } from "~/modules/accounts/homes.server";
import { guardiansChildrenWaiting, placeWaitingChild } from "~/modules/children/lsoa21-waiting.server";
import { claimsForGuardian } from "~/modules/claims/claims.server";
import { db } from "~/modules/db/db.server";
import { hasPostcodeDirectory } from "~/modules/reference/postcodes.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("homes.guardian");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  return {
    children: await childList(db(), membership),
    claims: await claimsForGuardian(db(), membership),
    // Asked again here, the guardian's first page after signing in (see lsoa21-waiting.server.ts);
    // only with a postcode directory to look the answer up in.
    waiting: (await hasPostcodeDirectory(db())) ? await guardiansChildrenWaiting(db(), membership) : [],
  };
}

/** The postcode of a child waiting for a 2021 neighbourhood: looked up, then forgotten. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const form = await readFormData(request);
  // Each waiting child has its own postcode box, named by the child.
  const { childId } = await parseValues(request, form, { childId: anyText });
  const field = `postcode-${childId}`;
  const { [field]: postcode = "" } = await parseValues(request, form, { [field]: anyText });
  const result = await placeWaitingChild(db(), membership, childId, postcode);
  // What was typed goes back into the field to be corrected (this answer only; never stored).
  if (!result.ok) return data({ childId, error: result.error, postcode: postcode.slice(0, 20) }, { status: 400 });
  throw redirect("/guardian?placed=1");
}

export default function GuardianHome() {
  const { t } = useTranslate();
  const { children, claims, waiting } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const [search] = useSearchParams();
  const withdrawn = search.has("withdrawn");
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">{t("homes.guardian")}</h1>
      {withdrawn ? (
        <p role="status" className="rounded border-4 border-brand-700 bg-brand-50 p-4 font-semibold">
          {t("dataRights.withdraw.done")}
        </p>
      ) : null}
      {search.has("placed") ? (
        <p role="status" className="rounded border-4 border-brand-700 bg-brand-50 p-4 font-semibold">
          {t("children.reask.done")}
        </p>
      ) : null}
      {waiting.map((child) => {
        const field = `postcode-${child.id}`;
        const error = failed?.childId === child.id ? failed.error : undefined;
        return (
          <section key={child.id} aria-labelledby={`reask-${child.id}`} className="space-y-3 rounded border-2 border-slate-700 p-4">
            <h2 id={`reask-${child.id}`} className="text-xl font-semibold">
              {t("children.reask.title", { name: child.given_name })}
            </h2>
            <p>{t("children.reask.intro", { name: child.given_name })}</p>
            <Form method="post" noValidate className="space-y-3">
              <ErrorSummary errors={error ? { [field]: error } : {}} />
              <input type="hidden" name="childId" value={child.id} />
              <TextField
                name={field}
                label={t("children.reask.postcode", { name: child.given_name })}
                hint={t("children.home.postcodeHint")}
                error={error}
                defaultValue={error ? failed?.postcode : undefined}
                autoComplete="postal-code"
                className="max-w-48"
              />
              <SubmitButton>{t("children.reask.submit")}</SubmitButton>
            </Form>
          </section>
        );
      })}
      {children.length ? (
        <ChildTable caption={t("homes.guardian")} rows={children} linkPrefix="/guardian/children" showHours />
      ) : (
        <p>{t("homes.noChildren")}</p>
      )}
      <ul className="space-y-2 text-lg">
        <li>
          <Link to="/guardian/children/new" className="font-semibold">
            {t("children.new.link")}
          </Link>
        </li>
        <li>
          <Link to="/link-child">{t("linkChild.homeLink")}</Link>
        </li>
      </ul>
      <GuardianClaims claims={claims} />
    </div>
  );
}
