import { Link } from "@remix-run/react";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("meta.tagline");

const STEPS = ["one", "two", "three", "four"] as const;

export default function Home() {
  const { t } = useTranslate();
  return (
    <div className="space-y-8">
      <section className="space-y-3">
        <h1 className="text-3xl font-bold text-brand-900">{t("home.title")}</h1>
        <p className="max-w-prose text-lg">{t("home.intro")}</p>
      </section>
      <section aria-labelledby="passport-heading" className="space-y-3">
        <h2 id="passport-heading" className="text-2xl font-semibold">
          {t("home.passportTitle")}
        </h2>
        <ol className="max-w-prose list-decimal space-y-2 pl-6">
          {STEPS.map((step) => (
            <li key={step}>{t(`home.passportSteps.${step}`)}</li>
          ))}
        </ol>
      </section>
      <div className="grid gap-4 sm:grid-cols-3">
        <section className="rounded-lg border border-slate-300 p-4" aria-labelledby="find-heading">
          <h2 id="find-heading" className="text-lg font-semibold">
            <Link to="/activities">{t("home.findActivities")}</Link>
          </h2>
          <p>{t("home.findActivitiesHint")}</p>
        </section>
        <section className="rounded-lg border border-slate-300 p-4" aria-labelledby="sign-in-heading">
          <h2 id="sign-in-heading" className="text-lg font-semibold">
            {t("home.signInTitle")}
          </h2>
          <p>{t("home.signInHint")}</p>
          <p className="mt-2">
            <Link to="/login">{t("home.signIn")}</Link>
          </p>
        </section>
        <section className="rounded-lg border border-slate-300 p-4" aria-labelledby="providers-heading">
          <h2 id="providers-heading" className="text-lg font-semibold">
            {t("home.providersTitle")}
          </h2>
          <p>{t("home.providersHint")}</p>
          <p className="mt-2">
            <Link to="/apply">{t("home.providersApply")}</Link>
          </p>
        </section>
      </div>
    </div>
  );
}
