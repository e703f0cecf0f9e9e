import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { useTranslate } from "~/modules/i18n/use-translate";

export const meta: MetaFunction = ({ matches }) => [...(matches.find((match) => match.id === "root")?.meta ?? []), { name: "robots", content: "noindex" }];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * Check a certificate by typing its code (or pasting its whole address). A GET form, so it
 * works without JavaScript and the answer page is the certificate's own /verify/<id>.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const typed = new URL(request.url).searchParams.get("id");
  if (typed === null) return { typed: "", error: null };
  const found = typed.match(UUID)?.[0];
  if (found) throw redirect(`/verify/${found.toLowerCase()}`);
  return { typed: typed.slice(0, 200), error: "certificates.verify.idInvalid" };
}

export default function VerifyForm() {
  const { t } = useTranslate();
  const { typed, error } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-2xl space-y-6">
      <h1 className="text-3xl font-bold">{t("certificates.verify.pageTitle")}</h1>
      <ErrorSummary errors={error ? { id: error } : undefined} />
      <p>{t("certificates.verify.intro")}</p>
      <Form method="get" className="space-y-4">
        <TextField
          name="id"
          label={t("certificates.verify.idLabel")}
          hint={t("certificates.verify.idHint")}
          error={error ?? undefined}
          defaultValue={typed}
          autoComplete="off"
          spellCheck={false}
          required
        />
        <SubmitButton>{t("certificates.verify.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
