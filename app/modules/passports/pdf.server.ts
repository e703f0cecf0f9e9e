import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { locale } from "../i18n/i18n";

/**
 * PDF building blocks: a font with every Welsh letter (the standard PDF fonts have no ŵ or ŷ),
 * QR codes drawn as vector squares (sharp on any printer), and a helper that turns a finished
 * document into one Buffer.
 */

const require = createRequire(import.meta.url);
export const FONT_REGULAR = require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");
export const FONT_BOLD = require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf");
export const FONT_MONO = require.resolve("dejavu-fonts-ttf/ttf/DejaVuSansMono-Bold.ttf");

/** Millimetres to PDF points. */
export const mm = (value: number) => (value * 72) / 25.4;

/** A new A4 document in the house fonts; `bufferPages` keeps every page open for page numbers written at the end. */
export function newPdf(title: string, language: "cy" | "en", layout: "portrait" | "landscape" = "portrait", options: { bufferPages?: boolean } = {}) {
  // font: null stops pdfkit loading Helvetica, which could not print Welsh anyway.
  const doc = new PDFDocument({
    size: "A4",
    layout,
    margin: 0,
    font: null as unknown as string,
    info: { Title: title, Creator: "Pasbort" },
    lang: locale(language),
    autoFirstPage: true,
    bufferPages: options.bufferPages ?? false,
  });
  doc.registerFont("regular", FONT_REGULAR);
  doc.registerFont("bold", FONT_BOLD);
  doc.registerFont("mono", FONT_MONO);
  doc.font("regular");
  return doc;
}

export function pdfToBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}

/** Draws `text` as a QR code, `size` points square, with its top-left corner at (x, y). */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const count = qr.modules.size;
  const cell = size / count;
  doc.save();
  for (let row = 0; row < count; row++) {
    for (let column = 0; column < count; column++) {
      if (qr.modules.get(row, column)) doc.rect(x + column * cell, y + row * cell, cell + 0.05, cell + 0.05);
    }
  }
  doc.fill("#000000");
  doc.restore();
}

/** A QR code as an SVG element for a web page (no inline styles, so the CSP allows it). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
}
