import type { ChildDataExport } from "./data-rights.server";
import type { Language } from "../db/schema";
import { pick } from "../i18n/bilingual";
import { formatDate } from "../i18n/format";
import { receivedKey, translator } from "../i18n/i18n";
import { mm, newPdf, pdfToBuffer } from "../passports/pdf.server";

/**
 * The readable summary of a child's whole record (issue 17), beside the JSON download: their
 * hours by kind of activity, their awards, and each certificate with its digital badge, plus
 * any history from another Children's University. In the guardian's language first, then the
 * other, as one PDF or as plain text inside the JSON. Built from exportChildData's answer, so
 * it says nothing the download does not hold.
 */

export interface SummarySection {
  heading: string;
  lines: string[];
}

/** The summary in one language: a title, and sections of short lines. */
export function recordSummary(data: ChildDataExport, lang: Language, origin: string): { title: string; intro: string; sections: SummarySection[] } {
  const t = translator(lang);
  const hours = (count: number) => t("passport.hoursShort", { count: Math.round(count * 100) / 100 });
  const name = `${data.child.givenName} ${data.child.familyName}`;

  // Hours by kind of activity, each with its activities; revoked credits are not hours.
  const byCategory = new Map<string, { total: number; activities: Map<string, number> }>();
  for (const credit of data.credits) {
    if (credit.revoked) continue;
    const entry = byCategory.get(credit.activity.category) ?? { total: 0, activities: new Map() };
    entry.total += credit.hours;
    const title = pick(credit.activity, lang);
    entry.activities.set(title, (entry.activities.get(title) ?? 0) + credit.hours);
    byCategory.set(credit.activity.category, entry);
  }
  const total = [...byCategory.values()].reduce((sum, entry) => sum + entry.total, 0);
  const hourLines = [...byCategory.entries()]
    .sort((a, b) => b[1].total - a[1].total)
    .map(([category, entry]) => {
      const activities = [...entry.activities.entries()].map(([title, count]) => `${title} ${hours(count)}`).join("; ");
      return t("dataRights.summary.hoursLine", { type: t(receivedKey(`passport.categories.${category}`)), hours: hours(entry.total), activities });
    });

  const sections: SummarySection[] = [
    {
      heading: t("dataRights.summary.hoursTitle", { hours: hours(total) }),
      lines: hourLines.length ? hourLines : [t("dataRights.summary.noHours")],
    },
    {
      heading: t("dataRights.summary.awardsTitle"),
      lines: data.awards.length
        ? data.awards.map((award) =>
            t("dataRights.summary.awardLine", { award: pick(award.award, lang), hours: hours(award.hours), date: formatDate(award.reachedOn, lang) }),
          )
        : [t("dataRights.summary.noAwards")],
    },
    {
      heading: t("dataRights.summary.credentialsTitle"),
      lines: data.certificates.length
        ? data.certificates.flatMap((certificate) => [
            t("dataRights.summary.credentialLine", {
              award: pick(certificate.award, lang),
              serial: String(certificate.serial).padStart(6, "0"),
              date: formatDate(certificate.issuedAt, lang),
            }),
            certificate.revoked
              ? t("dataRights.summary.credentialRevoked", { date: formatDate(certificate.revoked.at, lang) })
              : certificate.openBadge
                ? t("dataRights.summary.credentialBadge", { address: `${origin}/verify/${certificate.verificationId}` })
                : t("dataRights.summary.credentialNoBadge", { address: `${origin}/verify/${certificate.verificationId}` }),
          ])
        : [t("dataRights.summary.noCredentials")],
    },
  ];
  for (const history of data.importedHistory) {
    const from = pick(history.from, lang);
    sections.push({
      heading: t("dataRights.summary.importedTitle", { from }),
      lines: [
        t("dataRights.summary.importedHours", { hours: hours(history.hours), number: history.passportNumber, date: formatDate(history.importedAt, lang) }),
        ...history.awards.map((award) =>
          t("dataRights.summary.awardLine", { award: pick(award, lang), hours: hours(award.hours), date: formatDate(award.reachedOn, lang) }),
        ),
        t("dataRights.summary.importedBadges", { count: history.badges.length, from }),
      ],
    });
  }
  return {
    title: t("dataRights.summary.title", { name }),
    intro: t("dataRights.summary.intro", {
      area: pick(data.heldBy, lang),
      date: formatDate(data.exportedAt, lang),
    }),
    sections,
  };
}

const both = (first: Language): Language[] => (first === "cy" ? ["cy", "en"] : ["en", "cy"]);

/** Both languages as plain text, the guardian's first: the summary inside the JSON download. */
export function recordSummaryText(data: ChildDataExport, first: Language, origin: string) {
  return both(first)
    .map((lang) => {
      const summary = recordSummary(data, lang, origin);
      return [summary.title, summary.intro, ...summary.sections.flatMap((section) => ["", section.heading, ...section.lines.map((line) => `- ${line}`)])].join(
        "\n",
      );
    })
    .join("\n\n");
}

/** Both languages as an A4 PDF, the guardian's first, each starting on its own page. */
export async function recordSummaryPdf(data: ChildDataExport, first: Language, origin: string) {
  const doc = newPdf(recordSummary(data, first, origin).title, first);
  const left = mm(20);
  const width = mm(170);
  both(first).forEach((lang, index) => {
    if (index > 0) doc.addPage({ size: "A4", margin: 0 });
    const summary = recordSummary(data, lang, origin);
    doc.fillColor("#1f5f8b").font("bold").fontSize(16).text(summary.title, left, mm(20), { width });
    doc.fillColor("#000000").font("regular").fontSize(10).moveDown(0.5).text(summary.intro, left, doc.y, { width, lineGap: 2 });
    for (const section of summary.sections) {
      // Sections start on a new page rather than leave their heading at the foot of one.
      if (doc.y > mm(250)) doc.addPage({ size: "A4", margin: 0 }).y = mm(20);
      doc
        .font("bold")
        .fontSize(12)
        .text(section.heading, left, doc.y + mm(6), { width });
      doc.font("regular").fontSize(10);
      for (const line of section.lines) {
        if (doc.y > mm(275)) doc.addPage({ size: "A4", margin: 0 }).y = mm(20);
        doc.text(`• ${line}`, left + mm(3), doc.y + mm(1.5), { width: width - mm(3), lineGap: 1.5 });
      }
    }
  });
  return pdfToBuffer(doc);
}
