import { translator, locale } from "../i18n/i18n";
import { drawQr, mm, newPdf, pdfToBuffer } from "../passports/pdf.server";
import type { Letter } from "./guardian-links.server";

/**
 * The letter a school sends home for each imported child: what Pasbort is, and a one-time
 * code (with a QR code of the same link) that connects a parent's account to the child's
 * passport. One A4 page per child, Welsh first then English, as the Welsh Language Standards
 * ask of bilingual documents.
 */

const A4_W = mm(210);

function formatDate(date: Date, lang: "cy" | "en") {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: "long", timeZone: "Europe/London" }).format(date);
}

export async function guardianLettersPdf(letters: Letter[], context: { origin: string; schoolName: string; areaNameEn: string; areaNameCy: string }) {
  const doc = newPdf(`Pasbort – ${context.schoolName}`, "cy");
  const left = mm(20);
  const width = A4_W - 2 * left;
  letters.forEach((letter, index) => {
    if (index > 0) doc.addPage({ size: "A4", margin: 0 });
    const link = `${context.origin}/link-child?code=${encodeURIComponent(letter.code)}`;
    let y = mm(18);
    doc.font("bold").fontSize(14).fillColor("#1f5f8b").text(context.areaNameCy, left, y, { width });
    y += mm(6.5);
    doc.font("regular").fontSize(11).fillColor("#1f5f8b").text(context.areaNameEn, left, y, { width });
    y += mm(8);
    doc.fillColor("#000000").font("regular").fontSize(10).text(context.schoolName, left, y, { width });
    y += mm(10);

    for (const lang of ["cy", "en"] as const) {
      const t = translator(lang);
      const name = `${letter.givenName} ${letter.familyName}`;
      doc.font("bold").fontSize(12).text(t("letters.heading", { name }), left, y, { width });
      y = doc.y + mm(2);
      doc
        .font("regular")
        .fontSize(10)
        .text(t("letters.body", { name: letter.givenName }), left, y, { width, lineGap: 2 });
      y = doc.y + mm(2);
      doc.text(t("letters.steps", { address: `${context.origin}/link-child` }), left, y, { width, lineGap: 2 });
      y = doc.y + mm(2);
      doc.text(t("letters.expires", { date: formatDate(letter.expiresAt, lang) }), left, y, { width });
      y = doc.y + mm(7);
    }

    // The code itself, large and unambiguous, beside its QR code.
    const boxY = Math.max(y, mm(200));
    doc.save().lineWidth(1.5).strokeColor("#1f5f8b").roundedRect(left, boxY, width, mm(48), mm(3)).stroke().restore();
    doc
      .font("regular")
      .fontSize(10)
      .text("Cod cysylltu · Link code", left + mm(6), boxY + mm(8), { width: width - mm(60) });
    doc
      .font("mono")
      .fontSize(24)
      .text(letter.code, left + mm(6), boxY + mm(16), { width: width - mm(60), lineBreak: false });
    doc
      .font("regular")
      .fontSize(9)
      .text(`${context.origin}/link-child`, left + mm(6), boxY + mm(32), { width: width - mm(60) });
    drawQr(doc, link, left + width - mm(46), boxY + mm(4), mm(40));
  });
  if (letters.length === 0) doc.font("regular").fontSize(12).text("Dim llythyrau i'w hargraffu. · No letters to print.", mm(20), mm(20));
  return pdfToBuffer(doc);
}
