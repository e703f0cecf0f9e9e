import { drawQr, mm, newPdf, pdfToBuffer } from "./pdf.server";

/**
 * Passport cards, bank-card size (85.6 × 54 mm), as PDF: one on a page for a family to print
 * and cut out, or ten to an A4 sheet for a school class. A card holds the child's name, the
 * passport number, the QR code of the passport address and the area's name in both
 * languages — nothing else (no school, no birthday), so a lost card gives little away.
 */

export interface CardChild {
  givenName: string;
  familyName: string;
  passportNumber: string;
  /** The full address the QR code holds, `https://…/p/<token>`. */
  passportUrl: string;
}

export interface CardArea {
  nameEn: string;
  nameCy: string;
}

const CARD_W = mm(85.6);
const CARD_H = mm(54);
const A4_W = mm(210);
const A4_H = mm(297);
const BRAND = "#1f5f8b";

function fitFontSize(doc: PDFKit.PDFDocument, text: string, font: string, maxSize: number, minSize: number, width: number) {
  doc.font(font);
  for (let size = maxSize; size > minSize; size -= 0.5) {
    if (doc.fontSize(size).widthOfString(text) <= width) return size;
  }
  return minSize;
}

function drawCard(doc: PDFKit.PDFDocument, child: CardChild, area: CardArea, x: number, y: number) {
  // Cut line.
  doc.save().lineWidth(0.5).dash(3, { space: 2 }).strokeColor("#777777").roundedRect(x, y, CARD_W, CARD_H, mm(3)).stroke().undash().restore();

  // Header band: the programme in Welsh first, then English.
  const band = mm(13);
  doc
    .save()
    .roundedRect(x, y, CARD_W, band, mm(3))
    .fill(BRAND)
    .rect(x, y + band - mm(3), CARD_W, mm(3))
    .fill(BRAND)
    .restore();
  const pad = mm(4);
  const inner = CARD_W - 2 * pad;
  doc.fillColor("#ffffff");
  doc
    .font("bold")
    .fontSize(fitFontSize(doc, area.nameCy, "bold", 8, 5.5, inner))
    .text(area.nameCy, x + pad, y + mm(2.2), { width: inner, lineBreak: false });
  doc
    .font("regular")
    .fontSize(fitFontSize(doc, area.nameEn, "regular", 7, 5, inner))
    .text(area.nameEn, x + pad, y + mm(6.8), { width: inner, lineBreak: false });

  // QR code on the right.
  const qrSize = mm(32);
  const qrX = x + CARD_W - pad - qrSize + mm(1);
  const qrY = y + band + mm(2.5);
  drawQr(doc, child.passportUrl, qrX, qrY, qrSize);

  // Name and number on the left.
  const textW = qrX - x - pad - mm(2);
  doc.fillColor("#000000");
  doc
    .font("bold")
    .fontSize(7)
    .text("Pasbort · Passport", x + pad, y + band + mm(3), { width: textW, lineBreak: false });
  const name = `${child.givenName} ${child.familyName}`;
  // A long name wraps onto a second line rather than shrinking below what a child can read.
  const nameSize = fitFontSize(doc, name, "bold", 12, 9, textW);
  doc
    .font("bold")
    .fontSize(nameSize)
    .text(name, x + pad, y + band + mm(8), { width: textW, height: mm(12), ellipsis: true });
  doc
    .font("regular")
    .fontSize(6)
    .fillColor("#333333")
    .text("Rhif · Number", x + pad, y + band + mm(22), { width: textW, lineBreak: false });
  doc
    .font("mono")
    .fontSize(fitFontSize(doc, child.passportNumber, "mono", 10, 7, textW))
    .fillColor("#000000")
    .text(child.passportNumber, x + pad, y + band + mm(25), {
      width: textW,
      lineBreak: false,
    });
  doc
    .font("regular")
    .fontSize(5.5)
    .fillColor("#333333")
    .text("Dangos i gael credydau · Show it to earn credits", x + pad, y + CARD_H - mm(5), {
      width: CARD_W - 2 * pad,
      lineBreak: false,
    });
  doc.fillColor("#000000");
}

/** One card on an A4 page, with how to cut it out, for a family's printer. */
export async function singleCardPdf(child: CardChild, area: CardArea, language: "cy" | "en") {
  const doc = newPdf(`Pasbort – ${child.givenName} ${child.familyName}`, language);
  const x = (A4_W - CARD_W) / 2;
  const y = mm(30);
  drawCard(doc, child, area, x, y);
  doc.font("regular").fontSize(10).fillColor("#000000");
  const lines =
    language === "cy"
      ? [
          "Torrwch ar hyd y llinell doredig. Gallwch ei lamineiddio neu ei gludo ar gerdyn.",
          "Cut along the dashed line. You can laminate it or stick it on card.",
        ]
      : [
          "Cut along the dashed line. You can laminate it or stick it on card.",
          "Torrwch ar hyd y llinell doredig. Gallwch ei lamineiddio neu ei gludo ar gerdyn.",
        ];
  doc.text(lines.join("\n"), mm(25), y + CARD_H + mm(10), { width: A4_W - mm(50), align: "center" });
  return pdfToBuffer(doc);
}

/** Ten cards to an A4 sheet (two across, five down), as many sheets as needed, in the order given. */
export async function cardSheetPdf(children: CardChild[], area: CardArea, language: "cy" | "en", title: string) {
  const doc = newPdf(title, language);
  const columns = 2;
  const rows = 5;
  const gapX = mm(6);
  const gapY = mm(2);
  const left = (A4_W - columns * CARD_W - (columns - 1) * gapX) / 2;
  const top = (A4_H - rows * CARD_H - (rows - 1) * gapY) / 2;
  children.forEach((child, index) => {
    const onPage = index % (columns * rows);
    if (index > 0 && onPage === 0) doc.addPage({ size: "A4", margin: 0 });
    const column = onPage % columns;
    const row = Math.floor(onPage / columns);
    drawCard(doc, child, area, left + column * (CARD_W + gapX), top + row * (CARD_H + gapY));
  });
  if (children.length === 0) {
    doc
      .font("regular")
      .fontSize(12)
      .text(language === "cy" ? "Dim plant i'w hargraffu." : "No children to print.", mm(20), mm(20));
  }
  return pdfToBuffer(doc);
}
