import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LinkProblem } from "~/components/link-problem";
import { confirmEmail } from "~/modules/accounts/registration.server";
import { db } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

/**
 * Confirms on opening the link (no extra click): confirming is harmless to repeat, and a
 * link opened twice, or first by a mail scanner, still says the address is confirmed.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { state } = await confirmEmail(db(), params.token);
  const t = translator(await resolveLanguage(request));
  const signedIn = Boolean(context.signedIn);
  if (state !== "confirmed") return data({ state, signedIn, title: t(`linkProblem.${state}Title`) }, { status: state === "invalid" ? 404 : 410 });
  return { state, signedIn, title: t("register.confirmedTitle") };
}

export default function ConfirmEmail() {
  const { t } = useTranslate();
  const { state, signedIn } = useLoaderData<typeof loader>();
  if (state !== "confirmed") return <LinkProblem state={state} kind="confirm" />;
  return (
    <div className="max-w-prose space-y-4">
      <h1 className="text-3xl font-bold">{t("register.confirmedTitle")}</h1>
      <p>{t("register.confirmed")}</p>
      <p>{signedIn ? <Link to="/login">{t("register.continue")}</Link> : <Link to="/login">{t("register.signInNow")}</Link>}</p>
    </div>
  );
}
