import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, TextareaField } from "~/components/forms";
import { badRequest, requireActor } from "~/modules/accounts/actor.server";
import { flaggedAwards, keepFlaggedAward, MAX_REASON_LENGTH, withdrawFlaggedAward } from "~/modules/awards/flagged.server";
import { db } from "~/modules/db/db.server";
import { formatDate, formatDateTime } from "~/modules/i18n/format";
import { locale, translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { anyText, intent } from "~/modules/forms/fields.server";
import { parseValues, readFormData } from "~/modules/forms/read-form.server";
import { columns, pick } from "~/modules/i18n/bilingual";

/**
 * Certified awards a revocation took the child back below, for the area coordinator to
 * decide one by one: keep the award, or withdraw it (with a reason, which revokes its
 * certificates).
 */

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const [awards, lang] = await Promise.all([flaggedAwards(db(), membership), resolveLanguage(request)]);
  return {
    title: translator(lang)("awards.flagged.title"),
    awards: awards.map((award) => ({
      ...award,
      flaggedText: award.flagged_at ? formatDateTime(award.flagged_at, lang) : "",
      reachedText: formatDate(award.reached_on, lang),
    })),
  };
}

const reasonField = (childId: string, levelId: string) => `reason-${childId}-${levelId}`;

export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const form = await readFormData(request);
  const { intent: pressed, childId, levelId } = await parseValues(request, form, { intent: intent(["keep", "withdraw"]), childId: anyText, levelId: anyText });
  if (pressed === "keep") {
    await keepFlaggedAward(db(), membership, childId, levelId);
    throw redirect("/coordinator/awards/flagged?done=kept");
  }
  if (pressed === "withdraw") {
    // Each award's reason box is named by the award.
    const field = reasonField(childId, levelId);
    const { [field]: reason = "" } = await parseValues(request, form, { [field]: anyText });
    const result = await withdrawFlaggedAward(db(), membership, childId, levelId, reason);
    if (!result.ok) return data({ errors: { [field]: result.error }, values: { [field]: reason } }, { status: 400 });
    throw redirect(`/coordinator/awards/flagged?done=withdrawn&certificates=${result.certificatesRevoked}`);
  }
  badRequest();
}

export default function FlaggedAwards() {
  const { t, lang } = useTranslate();
  const { awards } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const number = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 });
  const done = params.get("done");
  return (
    <div className="max-w-4xl space-y-6">
      <p>
        <Link to="/coordinator">{t("awards.backToHome")}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("awards.flagged.title")}</h1>
      {done === "kept" ? (
        <p role="status" className="border-l-4 border-green-700 bg-green-50 p-4 font-semibold">
          {t("awards.flagged.kept")}
        </p>
      ) : done === "withdrawn" ? (
        <p role="status" className="border-l-4 border-green-700 bg-green-50 p-4 font-semibold">
          {t("awards.flagged.withdrawn", { count: Number(params.get("certificates") ?? 0) })}
        </p>
      ) : null}
      <p className="max-w-prose">{t("awards.flagged.intro")}</p>
      <ErrorSummary errors={actionData?.errors} />
      {awards.length === 0 ? (
        <p className="text-lg">{t("awards.flagged.none")}</p>
      ) : (
        <ul className="space-y-6">
          {awards.map((award) => {
            const field = reasonField(award.child_id, award.award_level_id);
            const name = `${award.given_name} ${award.family_name}`;
            const awardName = pick(columns(award, "name"), lang);
            return (
              <li key={field} className="space-y-4 rounded border-2 border-slate-300 p-4">
                <h2 className="text-xl font-bold">
                  {name}: {awardName}
                </h2>
                <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[12rem_1fr]">
                  <dt className="font-semibold">{t("awards.flagged.school")}</dt>
                  <dd>{award.school_name ?? t("awards.flagged.noSchool")}</dd>
                  <dt className="font-semibold">{t("awards.flagged.award")}</dt>
                  <dd>
                    {awardName} ({t("awards.flagged.hours", { count: award.threshold_hours, hours: number.format(award.threshold_hours) })})
                  </dd>
                  <dt className="font-semibold">{t("awards.flagged.hoursNow")}</dt>
                  <dd>
                    {t("awards.flagged.hoursNowValue", {
                      now: number.format(award.quarter_hours / 4),
                      threshold: number.format(award.threshold_hours),
                      short: number.format(award.threshold_hours - award.quarter_hours / 4),
                    })}
                  </dd>
                  <dt className="font-semibold">{t("awards.flagged.reachedOn")}</dt>
                  <dd>{award.reachedText}</dd>
                  <dt className="font-semibold">{t("awards.flagged.flaggedOn")}</dt>
                  <dd>{award.flaggedText}</dd>
                </dl>
                <div className="flex flex-col gap-4 sm:flex-row sm:items-end">
                  <Form method="post">
                    <input type="hidden" name="childId" value={award.child_id} />
                    <input type="hidden" name="levelId" value={award.award_level_id} />
                    <input type="hidden" name="intent" value="keep" />
                    <button type="submit" className="rounded bg-brand-700 px-5 py-2 font-semibold text-white hover:bg-brand-900">
                      {t("awards.flagged.keep")}
                      <span className="sr-only">
                        : {name}, {awardName}
                      </span>
                    </button>
                  </Form>
                  <Form method="post" className="flex-1 space-y-2">
                    <input type="hidden" name="childId" value={award.child_id} />
                    <input type="hidden" name="levelId" value={award.award_level_id} />
                    <input type="hidden" name="intent" value="withdraw" />
                    <TextareaField
                      name={field}
                      label={t("awards.flagged.reason", { name, award: awardName })}
                      hint={t("awards.flagged.reasonHint")}
                      error={actionData?.errors?.[field]}
                      defaultValue={actionData?.values?.[field]}
                      rows={2}
                      maxLength={MAX_REASON_LENGTH}
                    />
                    <button type="submit" className="rounded border-2 border-red-800 bg-white px-5 py-2 font-semibold text-red-800 hover:bg-red-50">
                      {t("awards.flagged.withdraw")}
                      <span className="sr-only">
                        : {name}, {awardName}
                      </span>
                    </button>
                  </Form>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
