import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { notFound, requireActor } from "~/modules/accounts/actor.server";
import { db } from "~/modules/db/db.server";
import { listOutbox, outboxViewerEnabled } from "~/modules/email/outbox.server";
import { locale, translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Checked first, so a real deployment does not even reveal that the page exists.
  if (!outboxViewerEnabled()) notFound();
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const emails = await listOutbox(db(), membership.areaId);
  return { title: translator(await resolveLanguage(request))("outbox.title"), emails };
}

/** Email bodies are plain text; their links are made clickable so the demo can be followed. */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s]+)/g);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part} className="break-all">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

export default function Outbox() {
  const { t, lang } = useTranslate();
  const { emails } = useLoaderData<typeof loader>();
  const times = new Intl.DateTimeFormat(locale(lang), { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London" });
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">{t("outbox.title")}</h1>
      <p className="max-w-prose">{t("outbox.intro")}</p>
      {emails.length === 0 ? (
        <p>{t("outbox.empty")}</p>
      ) : (
        <ol className="space-y-6">
          {emails.map((email) => (
            <li key={email.id}>
              <article className="space-y-2 rounded border border-slate-300 p-4" aria-labelledby={`email-${email.id}`}>
                <h2 id={`email-${email.id}`} className="text-lg font-semibold" lang={email.language}>
                  {email.subject}
                </h2>
                <p className="text-sm text-slate-700">
                  {t("outbox.meta", { to: email.to_email, time: times.format(new Date(email.created_at)) })}{" "}
                  {t(email.transport === "smtp" ? "outbox.sentBySmtp" : "outbox.keptInOutbox")}
                </p>
                <pre className="whitespace-pre-wrap font-sans" lang={email.language}>
                  <Linkified text={email.body_text} />
                </pre>
              </article>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
