import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CategoryIcon } from "~/components/category-icon";
import { ChoiceFieldset, ErrorSummary, SubmitButton, TextareaField } from "~/components/forms";
import { requireChild } from "~/modules/accounts/access.server";
import { FACE_ICONS, FACES, LIKES, RATING_WORDS_MAX } from "~/modules/children/child-voice";
import { ratingFor, ratingForm, saveRating } from "~/modules/children/child-voice.server";
import { db } from "~/modules/db/db.server";
import { parseForm } from "~/modules/forms/parse-form.server";
import { readFormData } from "~/modules/forms/read-form.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { pick } from "~/modules/i18n/bilingual";

export const meta: MetaFunction = () => [{ title: "Pasbort" }];

/** "How was it?": the child rates an activity they have a stamp for, once a term, changeable. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const { activity, rating } = await ratingFor(db(), requireChild(context), params.activityId ?? "");
  return { activity: { id: activity.id, title: { en: activity.title_en, cy: activity.title_cy }, category: activity.category }, rating };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const child = requireChild(context);
  const parsed = parseForm(ratingForm, await readFormData(request));
  if (!parsed.ok) {
    await ratingFor(db(), child, params.activityId ?? "");
    return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  }
  const { wordsWithheld } = await saveRating(db(), child, params.activityId ?? "", parsed.data);
  throw redirect(`/me/voice?saved=rating${wordsWithheld ? "&withheld=1" : ""}`);
}

export default function RateActivity() {
  const { t, lang } = useTranslate();
  const { activity, rating } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values;
  const face = values?.face ?? (rating ? String(rating.face) : undefined);
  const liked = (like: string) => (values ? values[`like_${like}`] === "yes" : (rating?.likes.includes(like as never) ?? false));
  const title = pick(activity.title, lang);
  return (
    <div className="max-w-2xl space-y-6 text-lg">
      <p>
        <Link to="/me/voice">{t("childVoice.back")}</Link>
      </p>
      <h1 className="text-3xl font-bold">
        <CategoryIcon category={activity.category} className="mr-1 inline h-5 w-5 align-[-0.2em]" />
        {t("childVoice.rateTitle", { activity: title })}
      </h1>
      <p>{t("childVoice.rateIntro")}</p>
      <ErrorSummary errors={actionData?.errors} />
      <Form method="post" className="space-y-8" noValidate>
        <ChoiceFieldset name="face" label={t("childVoice.faceQuestion")} error={actionData?.errors.face}>
          <div className="flex flex-wrap gap-2">
            {FACES.map((value, index) => {
              const id = index === 0 ? "face" : `face-${value}`;
              return (
                <div key={value}>
                  <input type="radio" id={id} name="face" value={value} defaultChecked={face === String(value)} className="peer sr-only" />
                  <label
                    htmlFor={id}
                    className="flex w-20 cursor-pointer flex-col items-center rounded-xl border-4 border-slate-300 bg-white p-1 text-center peer-checked:border-brand-800 peer-checked:bg-brand-100 peer-focus-visible:outline-4 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-800"
                  >
                    <span aria-hidden="true" className="text-4xl leading-none">
                      {FACE_ICONS[value]}
                    </span>
                    <span className="text-sm font-semibold">{t(`childVoice.faces.${value}`)}</span>
                  </label>
                </div>
              );
            })}
          </div>
        </ChoiceFieldset>
        <ChoiceFieldset name="likes" label={t("childVoice.likesQuestion")} hint={t("childVoice.likesHint")}>
          <div className="grid gap-2 sm:grid-cols-2">
            {LIKES.map((like) => (
              <div key={like} className="flex items-center gap-3">
                <input id={`like_${like}`} type="checkbox" name={`like_${like}`} value="yes" defaultChecked={liked(like)} className="h-6 w-6 shrink-0" />
                <label htmlFor={`like_${like}`}>{t(`childVoice.likes.${like}`)}</label>
              </div>
            ))}
          </div>
        </ChoiceFieldset>
        <TextareaField
          name="words"
          label={t("childVoice.wordsLabel")}
          hint={t("childVoice.wordsHint")}
          error={actionData?.errors.words}
          defaultValue={values?.words ?? rating?.words ?? ""}
          maxLength={RATING_WORDS_MAX}
          rows={3}
        />
        <SubmitButton>{t("childVoice.saveRating")}</SubmitButton>
      </Form>
    </div>
  );
}
