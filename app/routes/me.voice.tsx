import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CategoryIcon } from "~/components/category-icon";
import { ChoiceFieldset, ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { requireChild } from "~/modules/accounts/access.server";
import { FACE_ICONS, WISH_WORDS_MAX, WISHES } from "~/modules/children/child-voice";
import { activitiesForWishes, ratableActivities, saveWishes, wishesForm, wishesOf } from "~/modules/children/child-voice.server";
import { db } from "~/modules/db/db.server";
import { parseForm } from "~/modules/forms/parse-form.server";
import { readFormData } from "~/modules/forms/read-form.server";
import { formatSessionDay } from "~/modules/i18n/format";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { pick, type Bilingual } from "~/modules/i18n/bilingual";
import { receivedKey } from "~/modules/i18n/i18n";

export const meta: MetaFunction = () => [{ title: "Pasbort" }];

/** "My say": the activities to rate, and what the child would like to try (with activities that match). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const child = requireChild(context);
  const [toRate, wishes, matches, lang] = await Promise.all([
    ratableActivities(db(), child),
    wishesOf(db(), child),
    activitiesForWishes(db(), child),
    resolveLanguage(request),
  ]);
  return {
    toRate: toRate.map((activity) => ({
      id: activity.id,
      title: { en: activity.title_en, cy: activity.title_cy },
      category: activity.category,
      face: activity.face,
    })),
    wishes,
    matches: matches.map((activity) => ({
      id: activity.id,
      title: { en: activity.title_en, cy: activity.title_cy },
      category: activity.category,
      town: activity.town,
      nextText: activity.next_starts_at ? formatSessionDay(activity.next_starts_at, lang) : "",
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const child = requireChild(context);
  const parsed = parseForm(wishesForm, await readFormData(request));
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const { wordsWithheld } = await saveWishes(db(), child, parsed.data);
  throw redirect(`/me/voice?saved=wishes${wordsWithheld ? "&withheld=1" : ""}`);
}

export default function MyVoice() {
  const { t, lang } = useTranslate();
  const { toRate, wishes, matches } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const name = (text: Bilingual) => pick(text, lang);
  const wished = new Set(wishes.map((wish) => wish.wish));
  const saved = params.get("saved");
  return (
    <div className="max-w-3xl space-y-10 text-lg">
      <p>
        <Link to="/me">{t("childVoice.backToPassport")}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("childVoice.title")}</h1>
      <p>{t("childVoice.intro")}</p>
      {saved ? (
        <div role="status" className="rounded border-4 border-brand-700 bg-brand-50 p-4">
          <p className="font-semibold">{t(saved === "wishes" ? "childVoice.wishesSaved" : "childVoice.ratingSaved")}</p>
          {params.get("withheld") ? <p>{t("childVoice.wordsWithheld")}</p> : null}
        </div>
      ) : null}

      <section aria-labelledby="rate-heading" className="space-y-3">
        <h2 id="rate-heading" className="text-2xl font-bold">
          {t("childVoice.rateHeading")}
        </h2>
        {toRate.length === 0 ? (
          <p>{t("childVoice.nothingToRate")}</p>
        ) : (
          <ul className="grid gap-3 sm:grid-cols-2">
            {toRate.map((activity) => (
              <li key={activity.id} className="rounded-xl border-2 border-slate-400 p-3">
                <p className="font-bold">
                  <CategoryIcon category={activity.category} className="mr-1 inline h-5 w-5 align-[-0.2em]" />
                  {name(activity.title)}
                </p>
                {activity.face ? (
                  <p>
                    <span aria-hidden="true">{FACE_ICONS[activity.face as 1]} </span>
                    {t("childVoice.youSaid", { face: t(receivedKey(`childVoice.faces.${activity.face}`)) })}
                  </p>
                ) : null}
                <Link to={`/me/rate/${activity.id}`} className="font-semibold">
                  {activity.face ? t("childVoice.change", { activity: name(activity.title) }) : t("childVoice.sayHow", { activity: name(activity.title) })}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="wishes-heading" className="space-y-4">
        <h2 id="wishes-heading" className="text-2xl font-bold">
          {t("childVoice.wishesHeading")}
        </h2>
        <ErrorSummary errors={actionData?.errors} />
        <Form method="post" className="space-y-6" noValidate>
          <ChoiceFieldset name="wishes" label={t("childVoice.wishesQuestion")} hint={t("childVoice.wishesHint")}>
            <div className="grid gap-2 sm:grid-cols-2">
              {WISHES.map((wish) => (
                <div key={wish} className="flex items-center gap-3">
                  <input id={`wish_${wish}`} type="checkbox" name={`wish_${wish}`} value="yes" defaultChecked={wished.has(wish)} className="h-6 w-6 shrink-0" />
                  <label htmlFor={`wish_${wish}`}>
                    {wish === "something_else" ? (
                      <span aria-hidden="true">✨ </span>
                    ) : (
                      <CategoryIcon category={wish} className="mr-1 inline h-5 w-5 align-[-0.2em]" />
                    )}
                    {wish === "something_else" ? t("childVoice.somethingElse") : t(`passport.categories.${wish}`)}
                  </label>
                </div>
              ))}
            </div>
          </ChoiceFieldset>
          <TextField
            name="somethingElseWords"
            label={t("childVoice.somethingElseWords")}
            hint={t("childVoice.somethingElseHint")}
            maxLength={WISH_WORDS_MAX}
            defaultValue={wishes.find((wish) => wish.wish === "something_else")?.words ?? ""}
            error={actionData?.errors.somethingElseWords}
          />
          <SubmitButton>{t("childVoice.saveWishes")}</SubmitButton>
        </Form>
        {matches.length > 0 ? (
          <div className="space-y-3">
            <h3 className="text-xl font-bold">{t("childVoice.matchesHeading")}</h3>
            <ul className="grid gap-3 sm:grid-cols-2">
              {matches.map((activity) => (
                <li key={activity.id} className="rounded-xl border-2 border-slate-400 p-3">
                  <p className="font-bold">
                    <CategoryIcon category={activity.category} className="mr-1 inline h-5 w-5 align-[-0.2em]" />
                    {name(activity.title)}
                  </p>
                  <p>
                    {t(`passport.categories.${activity.category}`)}
                    {activity.town ? ` · ${activity.town}` : ""}
                  </p>
                  {activity.nextText ? <p className="text-base">{t("passport.nextSession", { when: activity.nextText })}</p> : null}
                </li>
              ))}
            </ul>
            <p className="text-base">{t("childVoice.askGrownUp")}</p>
          </div>
        ) : null}
      </section>
    </div>
  );
}
