import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { PictureCodeFields } from "~/components/picture-code";
import { requireActor } from "~/modules/accounts/actor.server";
import { publicOrigin } from "~/modules/accounts/links.server";
import { childCardStatus, createChildCard, formatCode, pictureCodeForm, revokeChildCard } from "~/modules/children/child-sign-in.server";
import { qrDataUrl } from "~/modules/claims/qr.server";
import { db } from "~/modules/db/db.server";
import { intent } from "~/modules/forms/fields.server";
import { parseValues, readFormData } from "~/modules/forms/read-form.server";
import { parseForm } from "~/modules/forms/parse-form.server";
import { formatDateTime } from "~/modules/i18n/format";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled<typeof loader>((t, data) => t("childCard.title", { name: data.child.givenName }));

/**
 * A child's own sign-in card (issue 16), made, shown, replaced and revoked by a guardian or by
 * the school for its pupils; they also see when the child last signed in.
 */
const CARD_ROLES = ["guardian", "school"] as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, CARD_ROLES);
  const [status, lang] = await Promise.all([childCardStatus(db(), membership, params.childId ?? ""), resolveLanguage(request)]);
  const signInUrl = `${publicOrigin()}/child-sign-in`;
  const card = status.card && {
    code: formatCode(status.card.code),
    qr: await qrDataUrl(`${signInUrl}?code=${status.card.code}`),
    madeText: formatDateTime(status.card.createdAt, lang),
  };
  return {
    child: { id: status.child.id, givenName: status.child.given_name },
    back: membership.role === "guardian" ? `/guardian/children/${status.child.id}` : `/children/${status.child.id}`,
    card,
    signInUrl,
    lastSignedInText: status.lastSignedInAt ? formatDateTime(status.lastSignedInAt, lang) : null,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, CARD_ROLES);
  const formData = await readFormData(request);
  const childId = params.childId ?? "";
  const { intent: pressed } = await parseValues(request, formData, { intent: intent(["revoke"]) });
  if (pressed === "revoke") {
    await revokeChildCard(db(), membership, childId);
    throw redirect(`/children/${childId}/sign-in-card?revoked=1`);
  }
  const parsed = parseForm(pictureCodeForm, formData);
  if (!parsed.ok) {
    // Still a 404 for a child who is not theirs, before saying anything about the form.
    await childCardStatus(db(), membership, childId);
    return data({ errors: parsed.errors }, { status: 400 });
  }
  await createChildCard(db(), membership, childId, parsed.data.pictures);
  throw redirect(`/children/${childId}/sign-in-card?made=1`);
}

export default function ChildSignInCard() {
  const { t } = useTranslate();
  const { child, back, card, signInUrl, lastSignedInText } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="max-w-2xl space-y-8">
      <p className="print:hidden">
        <Link to={back}>{t("passport.backToPassport", { name: child.givenName })}</Link>
      </p>
      <div className="space-y-3 print:hidden">
        <h1 className="text-3xl font-bold">{t("childCard.title", { name: child.givenName })}</h1>
        <p>{t("childCard.intro", { name: child.givenName })}</p>
        <ul className="list-disc space-y-1 pl-6">
          <li>{t("childCard.onlyOwn")}</li>
          <li>{t("childCard.changesNothing")}</li>
          <li>{t("childCard.endsOnClose")}</li>
        </ul>
        <p className="font-semibold">{lastSignedInText ? t("childCard.lastSignedIn", { when: lastSignedInText }) : t("childCard.neverSignedIn")}</p>
      </div>

      {params.get("made") ? (
        <p role="status" className="rounded border-4 border-brand-700 bg-brand-50 p-4 font-semibold print:hidden">
          {t("childCard.made")}
        </p>
      ) : null}
      {params.get("revoked") ? (
        <p role="status" className="rounded border-4 border-brand-700 bg-brand-50 p-4 font-semibold print:hidden">
          {t("childCard.revoked")}
        </p>
      ) : null}

      {card ? (
        <section aria-labelledby="card-heading" className="space-y-4">
          <div className="max-w-sm space-y-3 rounded-2xl border-4 border-brand-800 p-5 text-center">
            <h2 id="card-heading" className="text-2xl font-bold">
              {t("childCard.cardHeading", { name: child.givenName })}
            </h2>
            <img src={card.qr} alt={t("childCard.qrAlt")} width={200} height={200} className="mx-auto" />
            <p>
              <span className="block">{t("childCard.yourCode")}</span>
              <span className="font-mono text-3xl font-bold tracking-widest">{card.code}</span>
            </p>
            <p className="text-sm break-all">{t("childCard.orGoTo", { url: signInUrl })}</p>
            <p className="text-sm">{t("childCard.keepPicturesSecret")}</p>
          </div>
          <p className="print:hidden">{t("childCard.printHint", { when: card.madeText })}</p>
          <Form method="post" className="print:hidden">
            <input type="hidden" name="intent" value="revoke" />
            <button type="submit" className="rounded border-2 border-red-800 px-5 py-2 font-semibold text-red-800 hover:bg-red-50">
              {t("childCard.revoke")}
            </button>
          </Form>
        </section>
      ) : (
        <p className="print:hidden">{t("childCard.noCard")}</p>
      )}

      <section aria-labelledby="make-heading" className="space-y-4 border-t-2 border-slate-300 pt-6 print:hidden">
        <h2 id="make-heading" className="text-2xl font-bold">
          {card ? t("childCard.replaceHeading") : t("childCard.makeHeading")}
        </h2>
        <ErrorSummary errors={actionData?.errors} />
        <Form method="post" className="space-y-6" noValidate>
          <input type="hidden" name="intent" value="make" />
          <PictureCodeFields errors={actionData?.errors} hint={t("childCard.choosePictures", { name: child.givenName })} />
          {card ? <p>{t("childCard.replaceWarning")}</p> : null}
          <SubmitButton>{card ? t("childCard.replace") : t("childCard.make")}</SubmitButton>
        </Form>
      </section>
    </div>
  );
}
