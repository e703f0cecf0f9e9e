import { useTranslate } from "~/modules/i18n/use-translate";

/** The plain-language consent text: what is kept, why, who sees it, for how long, and your rights. */
export function ConsentSummary({ headingLevel = 3 }: { headingLevel?: 2 | 3 }) {
  const { t } = useTranslate();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <div className="space-y-3">
      {(["what", "why", "who", "howLong", "rights"] as const).map((part) => (
        <div key={part}>
          <Heading className="text-lg font-semibold">{t(`consent.${part}Title`)}</Heading>
          <p>{t(`consent.${part}`)}</p>
        </div>
      ))}
    </div>
  );
}
