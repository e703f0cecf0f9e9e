import { formatDate } from "../i18n/format";
import { translator, type Language } from "../i18n/i18n";
import { drawQr, mm, newPdf, pdfToBuffer } from "../passports/pdf.server";
import type { CertificateRow } from "./certificates.server";

/** The certificates' PDF (issue 7): drawing only; certificates.server.ts issues and finds them. */
const PAGE_W = mm(297);
const PAGE_H = mm(210);
const BRAND = "#1f5f8b";
const GOLD = "#b8860b";
const INK = "#1a1a1a";
const SOFT = "#444444";

function fitSize(doc: PDFKit.PDFDocument, text: string, font: string, maxSize: number, minSize: number, width: number) {
  doc.font(font);
  for (let size = maxSize; size > minSize; size -= 1) {
    if (doc.fontSize(size).widthOfString(text) <= width) return size;
  }
  return minSize;
}

/** Centred text at `y`, shrunk to fit one line if it can (a very long name wraps); returns the y below it. */
function centred(doc: PDFKit.PDFDocument, text: string, y: number, options: { font: string; size: number; minSize?: number; color?: string; width?: number }) {
  const width = options.width ?? PAGE_W - mm(60);
  const size = fitSize(doc, text, options.font, options.size, options.minSize ?? options.size, width);
  doc
    .font(options.font)
    .fontSize(size)
    .fillColor(options.color ?? INK);
  const height = doc.heightOfString(text, { width, align: "center" });
  doc.text(text, (PAGE_W - width) / 2, y, { width, align: "center" });
  return y + height;
}

/** "30 hours of learning" · "30 awr o ddysgu" (Welsh keeps the noun singular after a numeral). */
function hoursText(hours: number, lang: Language) {
  return translator(lang)("certificates.verify.hours", { count: hours });
}

function drawCertificate(doc: PDFKit.PDFDocument, certificate: CertificateRow, origin: string) {
  // Frame: a broad brand border, a thin gold rule inside it.
  doc.save();
  doc
    .rect(mm(8), mm(8), PAGE_W - mm(16), PAGE_H - mm(16))
    .lineWidth(mm(2.5))
    .strokeColor(BRAND)
    .stroke();
  doc
    .rect(mm(13), mm(13), PAGE_W - mm(26), PAGE_H - mm(26))
    .lineWidth(1)
    .strokeColor(GOLD)
    .stroke();
  doc.restore();

  let y = mm(24);
  y = centred(doc, certificate.areaNameCy, y, { font: "bold", size: 16, minSize: 10, color: BRAND });
  y = centred(doc, certificate.areaNameEn, y + mm(1), { font: "regular", size: 13, minSize: 9, color: BRAND });

  y += mm(8);
  y = centred(doc, "Tystysgrif", y, { font: "bold", size: 38, color: INK });
  y = centred(doc, "Certificate", y, { font: "regular", size: 22, color: SOFT });
  // A short gold rule under the title.
  doc
    .save()
    .moveTo(PAGE_W / 2 - mm(35), y + mm(3))
    .lineTo(PAGE_W / 2 + mm(35), y + mm(3))
    .lineWidth(1.5)
    .strokeColor(GOLD)
    .stroke()
    .restore();

  y += mm(9);
  y = centred(doc, "Cyflwynir i · Presented to", y, { font: "regular", size: 13, color: SOFT });
  y += mm(2);
  const name = `${certificate.childGivenName} ${certificate.childFamilyName}`;
  y = centred(doc, name, y, { font: "bold", size: 34, minSize: 20, color: INK, width: PAGE_W - mm(50) });

  y += mm(6);
  y = centred(doc, "am gyrraedd · for reaching", y, { font: "regular", size: 13, color: SOFT });
  y += mm(2);
  y = centred(doc, certificate.awardNameCy, y, { font: "bold", size: 24, minSize: 12, color: BRAND });
  y = centred(doc, certificate.awardNameEn, y + mm(1), { font: "regular", size: 18, minSize: 10, color: BRAND });

  y += mm(6);
  y = centred(doc, `${hoursText(certificate.thresholdHours, "cy")} · ${hoursText(certificate.thresholdHours, "en")}`, y, {
    font: "regular",
    size: 14,
    minSize: 9,
  });
  centred(doc, `Cyrhaeddwyd ${formatDate(certificate.reachedOn, "cy")} · Reached ${formatDate(certificate.reachedOn, "en")}`, y + mm(1), {
    font: "regular",
    size: 14,
    minSize: 9,
  });

  // Foot: the serial on the left, the QR code to the verification page on the right.
  const url = `${origin}/verify/${certificate.id}`;
  const qrSize = mm(26);
  const qrX = PAGE_W - mm(20) - qrSize;
  const qrY = PAGE_H - mm(20) - qrSize - mm(4);
  drawQr(doc, url, qrX, qrY, qrSize);
  const footWidth = mm(120);
  doc.font("regular").fontSize(6.5).fillColor(SOFT);
  doc.text(url, PAGE_W - mm(20) - footWidth, qrY + qrSize + mm(1), { width: footWidth, align: "right", lineBreak: false });
  doc.font("regular").fontSize(9).fillColor(SOFT);
  doc.text("Gwirio · Verify", PAGE_W - mm(20) - footWidth, qrY - mm(5), { width: footWidth - qrSize - mm(3), align: "right", lineBreak: false });

  const left = mm(22);
  const footY = PAGE_H - mm(34);
  doc.font("regular").fontSize(9).fillColor(SOFT).text("Rhif y dystysgrif · Certificate number", left, footY, { lineBreak: false });
  doc
    .font("mono")
    .fontSize(14)
    .fillColor(INK)
    .text(String(certificate.serial).padStart(6, "0"), left, footY + mm(4.5), { lineBreak: false });
  doc
    .font("regular")
    .fontSize(7)
    .fillColor(SOFT)
    .text("Sganiwch y cod i wirio'r dystysgrif hon · Scan the code to check this certificate", left, footY + mm(11), {
      width: mm(150),
      lineBreak: false,
    });
  doc.fillColor("#000000");
}

/** One A4 landscape page per certificate, Welsh and English, with a QR code to `${origin}/verify/<id>`. */
export async function certificatesPdf(certificates: CertificateRow[], options: { origin: string }): Promise<Buffer> {
  const title =
    certificates.length === 1
      ? `Tystysgrif · Certificate – ${certificates[0]!.childGivenName} ${certificates[0]!.childFamilyName}`
      : "Tystysgrifau · Certificates";
  const doc = newPdf(title, "cy", "landscape");
  const origin = options.origin.replace(/\/+$/, "");
  certificates.forEach((certificate, index) => {
    if (index > 0) doc.addPage({ size: "A4", layout: "landscape", margin: 0 });
    drawCertificate(doc, certificate, origin);
  });
  if (certificates.length === 0) {
    doc.font("regular").fontSize(12).text("Dim tystysgrifau · No certificates", mm(20), mm(20));
  }
  return pdfToBuffer(doc);
}
