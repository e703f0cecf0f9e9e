import { formatDate } from "../i18n/format";
import { translator } from "../i18n/i18n";
import { mm, newPdf, pdfToBuffer } from "../passports/pdf.server";
import type { EligibleChild } from "./eligibility.server";
import { pick } from "../i18n/bilingual";

/**
 * Invitation letters for families: one A4 page per child on the list, Welsh first then
 * English (as the Welsh Language Standards ask of bilingual documents), with the child's
 * name, the award, and the date, time and venue of the ceremony. DejaVu Sans prints every
 * Welsh letter (ŵ, ŷ, â).
 */
export async function invitationLettersPdf(
  children: EligibleChild[],
  context: { graduationName: string; heldOn: string; venue: string; time: string; areaNameEn: string; areaNameCy: string },
) {
  const doc = newPdf(`Pasbort – ${context.graduationName}`, "cy");
  const left = mm(20);
  const width = mm(210) - 2 * left;
  children.forEach((child, index) => {
    if (index > 0) doc.addPage({ size: "A4", margin: 0 });
    let y = mm(18);
    doc.font("bold").fontSize(14).fillColor("#1f5f8b").text(context.areaNameCy, left, y, { width });
    y += mm(6.5);
    doc.font("regular").fontSize(11).fillColor("#1f5f8b").text(context.areaNameEn, left, y, { width });
    y += mm(8);
    doc
      .fillColor("#000000")
      .font("regular")
      .fontSize(10)
      .text(child.schoolName ?? "", left, y, { width });
    y += mm(10);
    for (const lang of ["cy", "en"] as const) {
      const t = translator(lang);
      const values = {
        child: `${child.givenName} ${child.familyName}`,
        award: pick({ en: child.awardNameEn, cy: child.awardNameCy }, lang),
        graduation: context.graduationName,
        date: formatDate(context.heldOn, lang),
        time: context.time,
        venue: context.venue,
      };
      doc.font("bold").fontSize(13).text(t("graduations.letter.heading", values), left, y, { width });
      y = doc.y + mm(3);
      doc.font("regular").fontSize(11).text(t("graduations.letter.body", values), left, y, { width, lineGap: 2 });
      y = doc.y + mm(3);
      for (const [label, value] of [
        [t("graduations.letter.when"), `${values.date}, ${values.time}`],
        [t("graduations.letter.where"), values.venue],
        [t("graduations.letter.award"), values.award],
      ] as const) {
        doc.font("bold").fontSize(11).text(`${label}: `, left, y, { width, continued: true }).font("regular").text(value);
        y = doc.y + mm(1.5);
      }
      y += mm(2);
      doc.font("regular").fontSize(11).text(t("graduations.letter.closing"), left, y, { width, lineGap: 2 });
      y = doc.y + mm(10);
    }
  });
  if (children.length === 0) doc.font("regular").fontSize(12).text("Dim llythyrau i'w hargraffu. · No letters to print.", mm(20), mm(20));
  return pdfToBuffer(doc);
}
