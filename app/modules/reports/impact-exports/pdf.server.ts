import type { Language } from "../../db/schema";
import { pick } from "../../i18n/bilingual";
import { formatDate } from "../../i18n/format";
import { receivedKey, translator } from "../../i18n/i18n";
import { mm, newPdf, pdfToBuffer } from "../../passports/pdf.server";
import { percent } from "../labels";
import type { ImpactReport } from "../impact/types";
import { cellText, gapWords, impactTables, reportFacts, summaryLines, type ExportChart, type ExportTable } from "./tables.server";

/**
 * The impact report as a bilingual PDF to hand to the Public Services Board (issue 21, ADR
 * 0040): a bilingual cover, then the whole report in Welsh, then the whole report in English,
 * each from a new page. Each version has the summary, the gap in words with its interval,
 * each section's tables (with their charts: bars with the fair-share marker, the gap's trend)
 * and notes, and what the figures are (disclosure control, WIMD edition, licence). The house
 * style of the certificates: DejaVu (it has ŵ and ŷ), the brand blue, vector drawing only.
 */

const PAGE_W = mm(210);
const LEFT = mm(18);
const TOP = mm(18);
/** Tables with more columns than this go on landscape pages: on a portrait page their headings break into slivers. */
const PORTRAIT_MAX_COLUMNS = 8;
type Layout = "portrait" | "landscape";
const BRAND = "#1f5f8b";
const INK = "#1a1a1a";
const SOFT = "#444444";
const RULE = "#c8d3dc";
const SHADE = "#eef3f7";

/** Which section each table belongs to, for the section headings (the page's order). */
const SECTION_OF: Record<string, string> = {
  "reach-quintile": "reach",
  "reach-la": "reach",
  "reach-school": "reach",
  "growth-terms": "growth",
  "growth-years": "growth",
  "gap-trend": "gapTrend",
  persistence: "persistence",
  "depth-quintile": "depth",
  "depth-levels": "depth",
  graduations: "depth",
  "offer-la": "offer",
  "offer-reach": "offer",
  "voice-ratings": "voice",
  "voice-wishes": "voice",
};

class Writer {
  y = TOP;
  layout: Layout = "portrait";
  constructor(readonly doc: PDFKit.PDFDocument) {}

  /** The writing width and the last line's depth on the current page (portrait or landscape A4). */
  get width() {
    return this.doc.page.width - 2 * LEFT;
  }
  get bottom() {
    return this.doc.page.height - mm(20);
  }

  page(layout: Layout = this.layout) {
    this.layout = layout;
    this.doc.addPage({ size: "A4", layout, margin: 0 });
    this.y = TOP;
  }

  /** Goes on to a page of this layout, unless this page is already one. */
  use(layout: Layout) {
    if (layout !== this.layout) this.page(layout);
  }

  /** Starts a new page unless `height` more fits on this one. */
  ensure(height: number) {
    if (this.y + height > this.bottom) this.page();
  }

  text(text: string, options: { font?: string; size?: number; color?: string; gap?: number; indent?: number } = {}) {
    const { doc } = this;
    const indent = options.indent ?? 0;
    doc
      .font(options.font ?? "regular")
      .fontSize(options.size ?? 9.5)
      .fillColor(options.color ?? INK);
    const height = doc.heightOfString(text, { width: this.width - indent });
    this.ensure(height);
    doc.text(text, LEFT + indent, this.y, { width: this.width - indent });
    this.y += height + (options.gap ?? 3);
  }

  heading(text: string, size: number) {
    // Keep a heading with at least a few lines of what follows it.
    this.ensure(size * 1.4 + 40);
    this.y += size * 0.4;
    this.text(text, { font: "bold", size, color: BRAND, gap: size * 0.35 });
  }

  chart(chart: ExportChart, lang: Language) {
    const { doc } = this;
    const t = translator(lang);
    const labelWidth = mm(54);
    const barX = LEFT + labelWidth;
    const barWidth = Math.min(this.width, PAGE_W - 2 * LEFT) - labelWidth - mm(16);
    const barHeight = 9;
    const step = 15;
    const largest = Math.max(0, ...chart.bars.flatMap((bar) => [bar.value ?? 0, bar.marker ?? 0]));
    const scale = largest > 0 ? Math.min(1, Math.ceil((largest * 1.1) / 0.1) * 0.1) : 1;
    const x = (value: number) => barX + (Math.min(value, scale) / scale) * barWidth;
    this.ensure(chart.bars.length * step + 60);

    this.text(chart.title, { font: "bold", size: 9, gap: 6 });
    const top = this.y;
    chart.bars.forEach((bar, i) => {
      const y = top + i * step;
      doc.font("regular").fontSize(7.5).fillColor(INK);
      doc.text(bar.label, LEFT, y + 1, { width: labelWidth - 6, height: step, ellipsis: true, lineBreak: false });
      if (bar.value === null) {
        doc.fillColor(SOFT).text(t("reports.chart.hidden"), barX + 4, y + 1, { lineBreak: false });
      } else {
        doc.rect(barX, y, Math.max(0.5, x(bar.value) - barX), barHeight).fill(BRAND);
        doc.fillColor(INK).text(percent(bar.value), x(bar.value) + 3, y + 1, { lineBreak: false });
      }
      if (bar.marker !== null) {
        doc
          .moveTo(x(bar.marker), y - 2)
          .lineTo(x(bar.marker), y + barHeight + 2)
          .lineWidth(2)
          .strokeColor(INK)
          .stroke();
      }
    });
    // The axis, from 0 to the scale, with three ticks.
    const axisY = top + chart.bars.length * step;
    doc
      .moveTo(barX, top - 3)
      .lineTo(barX, axisY)
      .lineTo(barX + barWidth, axisY)
      .lineWidth(0.5)
      .strokeColor(SOFT)
      .stroke();
    for (const tick of [0, scale / 2, scale]) {
      doc
        .font("regular")
        .fontSize(6.5)
        .fillColor(SOFT)
        .text(percent(tick), x(tick) - 15, axisY + 2, { width: 30, align: "center", lineBreak: false });
    }
    // The legend: the marker and what it is.
    const legendY = axisY + 14;
    doc
      .moveTo(barX + 3, legendY - 1)
      .lineTo(barX + 3, legendY + 8)
      .lineWidth(2)
      .strokeColor(INK)
      .stroke();
    doc
      .font("regular")
      .fontSize(7.5)
      .fillColor(INK)
      .text(chart.markerLabel, barX + 9, legendY, { lineBreak: false });
    this.y = legendY + 16;
    this.text(t("impactExports.chartText"), { size: 7.5, color: SOFT, gap: 1 });
    for (const line of chart.lines) this.text(line, { size: 7.5, color: SOFT, gap: 1, indent: 6 });
    this.y += 6;
  }

  table(table: ExportTable) {
    const { doc } = this;
    const WIDTH = this.width;
    const n = table.columns.length;
    if (!table.rows.length) return;
    const pad = 2.5;
    const headerSize = 6;
    const bodySize = 7.5;
    // Each figure column as wide as its longest heading word and its widest cell (so no word is split), shared out evenly; the group column takes the rest.
    const texts = table.rows.map((row) => row.cells.map((value, i) => cellText(value, table.columns[i]!.kind)));
    const least = table.columns.map((column, i) => {
      const words = Math.max(...column.label.split(/\s+/).map((word) => doc.font("bold").fontSize(headerSize).widthOfString(word)));
      const cells = Math.max(0, ...texts.map((row) => doc.font("bold").fontSize(bodySize).widthOfString(row[i]!)));
      // One point to spare: a column exactly as wide as its text makes pdfkit wrap it ("33" / "%").
      return Math.max(words, cells) + 2 * pad + 1;
    });
    const figures = least.slice(1);
    const even = n > 1 ? Math.max(...figures, Math.min((WIDTH * 0.68) / (n - 1), mm(30))) : 0;
    const spare = WIDTH - mm(38) - even * (n - 1);
    const widths =
      n === 1
        ? [WIDTH]
        : spare >= 0
          ? [WIDTH - even * (n - 1), ...figures.map(() => even)]
          : // Too many columns for even shares: each figure column its least, the group column what is left (at least 28 mm), scaled only if still too wide.
            (() => {
              const group = Math.max(mm(28), WIDTH - figures.reduce((sum, width) => sum + width, 0));
              const all = [group, ...figures];
              const total = all.reduce((sum, width) => sum + width, 0);
              return all.map((width) => (width * WIDTH) / total);
            })();
    const heightOf = (texts: string[], font: string, size: number) =>
      Math.max(
        ...texts.map((text, i) =>
          doc
            .font(font)
            .fontSize(size)
            .heightOfString(text, { width: widths[i]! - 2 * pad }),
        ),
      ) +
      2 * pad;
    const labels = table.columns.map((column) => column.label);
    const headerHeight = heightOf(labels, "bold", headerSize);

    const drawRow = (texts: string[], options: { font: string; size: number; height: number; shade?: boolean; rule?: boolean }) => {
      let x = LEFT;
      if (options.shade) doc.rect(LEFT, this.y, WIDTH, options.height).fill(SHADE);
      texts.forEach((text, i) => {
        const numeric = i > 0 && table.columns[i]!.kind !== "text";
        doc
          .font(options.font)
          .fontSize(options.size)
          .fillColor(INK)
          .text(text, x + pad, this.y + pad, { width: widths[i]! - 2 * pad, align: numeric ? "right" : "left" });
        x += widths[i]!;
      });
      doc
        .moveTo(LEFT, this.y + options.height)
        .lineTo(LEFT + WIDTH, this.y + options.height)
        .lineWidth(options.rule ? 1 : 0.4)
        .strokeColor(options.rule ? SOFT : RULE)
        .stroke();
      this.y += options.height;
    };
    const header = () => drawRow(labels, { font: "bold", size: headerSize, height: headerHeight, shade: true, rule: true });

    this.ensure(headerHeight + 20);
    header();
    for (const [r, row] of table.rows.entries()) {
      const cells = texts[r]!;
      const font = row.total ? "bold" : "regular";
      const height = heightOf(cells, font, bodySize);
      if (this.y + height > this.bottom) {
        this.page();
        header();
      }
      drawRow(cells, { font, size: bodySize, height });
    }
    this.y += 6;
  }
}

function cover(w: Writer, report: ImpactReport, generatedAt: Date, releasedAt: Date | null) {
  const { doc } = w;
  const [cy, en] = [translator("cy"), translator("en")];
  const from = Number(report.year.slice(0, 4));
  doc.rect(0, 0, doc.page.width, mm(10)).fill(BRAND);
  w.y = mm(40);
  w.text(cy("impactExports.title"), { font: "bold", size: 24, color: BRAND, gap: 4 });
  w.text(en("impactExports.title"), { size: 18, color: BRAND, gap: 18 });
  const [nameCy, nameEn] = [pick(report.scope.name, "cy"), pick(report.scope.name, "en")];
  w.text(nameCy, { font: "bold", size: 16, gap: 2 });
  if (nameEn !== nameCy) w.text(nameEn, { size: 14, gap: 2 });
  w.y += 8;
  w.text(cy("impact.year", { from, to: from + 1 }), { font: "bold", size: 12, gap: 2 });
  w.text(en("impact.year", { from, to: from + 1 }), { size: 12, gap: 8 });
  w.text(`${cy(`reports.editions.${report.edition}`)} · ${en(`reports.editions.${report.edition}`)}`, { size: 10, color: SOFT, gap: 8 });
  if (report.inProgress) {
    w.text(cy("impact.inProgress"), { font: "bold", size: 10, gap: 2 });
    w.text(en("impact.inProgress"), { size: 10, gap: 8 });
  }
  // A kept release says when it was published; the current figures of a published year, that they are not that report.
  if (report.published) {
    w.text(cy("impact.release.published", { date: formatDate(report.published.at, "cy") }), { font: "bold", size: 10, gap: 2 });
    w.text(en("impact.release.published", { date: formatDate(report.published.at, "en") }), { size: 10, gap: 8 });
  } else if (releasedAt) {
    w.text(cy("impact.release.current", { date: formatDate(releasedAt, "cy") }), { font: "bold", size: 10, gap: 2 });
    w.text(en("impact.release.current", { date: formatDate(releasedAt, "en") }), { size: 10, gap: 8 });
  }
  w.text(`${cy("impactExports.notes.generated")} ${formatDate(generatedAt, "cy")} · ${en("impactExports.notes.generated")} ${formatDate(generatedAt, "en")}`, {
    size: 9,
    color: SOFT,
    gap: 24,
  });
}

function version(w: Writer, report: ImpactReport, lang: Language, generatedAt: Date, releasedAt: Date | null) {
  const t = translator(lang);
  const facts = reportFacts(report, lang, generatedAt, releasedAt);
  w.text(t(`impactExports.languages.${lang}`), { size: 9, color: SOFT, gap: 2 });
  w.text(facts.title, { font: "bold", size: 18, color: BRAND, gap: 4 });
  w.text(`${facts.scopeName} · ${facts.yearName}`, { font: "bold", size: 11, gap: 2 });
  w.text(t(`impact.scope.${report.scope.kind}`), { size: 9.5, gap: 2 });
  if (report.inProgress) w.text(t("impact.inProgress"), { font: "bold", size: 9.5, gap: 2 });
  if (report.published) w.text(t("impact.release.published", { date: formatDate(report.published.at, lang) }), { font: "bold", size: 9.5, gap: 2 });
  else if (releasedAt) w.text(t("impact.release.current", { date: formatDate(releasedAt, lang) }), { font: "bold", size: 9.5, gap: 2 });

  w.heading(t("impact.sections.summary"), 13);
  for (const line of summaryLines(report, lang)) w.text(`•  ${line}`, { indent: 4 });
  w.heading(t("impactExports.gapTitle"), 11);
  for (const line of gapWords(report.reach.gap, lang)) w.text(line);

  let section = "";
  const tables = impactTables(report, lang);
  const layoutOf = (table: ExportTable): Layout => (table.columns.length > PORTRAIT_MAX_COLUMNS ? "landscape" : "portrait");
  for (const table of tables) {
    const next = SECTION_OF[table.id] ?? table.id;
    if (next !== section) {
      section = next;
      w.use(layoutOf(table));
      w.heading(t(receivedKey(`impact.sections.${section}`)), 13);
    } else {
      w.use(layoutOf(table));
    }
    if (table.title !== t(receivedKey(`impact.sections.${section}`))) w.heading(table.title, 10);
    if (table.chart) w.chart(table.chart, lang);
    w.table(table);
    for (const note of table.notes) w.text(note, { size: 8, color: SOFT, gap: 2 });
  }

  w.use("portrait");
  w.heading(t("impactExports.notesTitle"), 13);
  for (const [label, text] of facts.lines) {
    w.text(label, { font: "bold", size: 8.5, gap: 1 });
    w.text(text, { size: 8.5, color: SOFT, gap: 4 });
  }
}

/** The bilingual PDF: cover, Welsh, English, every page numbered in its own language. */
export async function impactPdf(report: ImpactReport, generatedAt: Date, releasedAt: Date | null = null): Promise<Buffer> {
  const cy = translator("cy");
  const doc = newPdf(`${cy("impactExports.title")} – ${pick(report.scope.name, "cy")} – ${report.year}`, "cy", "portrait", { bufferPages: true });
  const w = new Writer(doc);
  cover(w, report, generatedAt, releasedAt);
  const coverContentsY = w.y;

  w.page("portrait");
  version(w, report, "cy", generatedAt, releasedAt);
  w.page("portrait");
  const englishStart = doc.bufferedPageRange().count;
  version(w, report, "en", generatedAt, releasedAt);

  // The cover's contents (the English version's first page is known only now), and each page's number.
  doc.switchToPage(0);
  w.y = coverContentsY;
  w.text(cy("impactExports.contents", { page: englishStart }), { font: "bold", size: 10, gap: 2 });
  w.text(translator("en")("impactExports.contents", { page: englishStart }), { size: 10, gap: 2 });
  const pages = doc.bufferedPageRange().count;
  for (let i = 0; i < pages; i++) {
    doc.switchToPage(i);
    const label =
      i === 0
        ? `${cy("impactExports.page", { page: 1 })} · ${translator("en")("impactExports.page", { page: 1 })}`
        : translator(i + 1 < englishStart ? "cy" : "en")("impactExports.page", { page: i + 1 });
    doc
      .font("regular")
      .fontSize(7.5)
      .fillColor(SOFT)
      .text(label, LEFT, doc.page.height - mm(12), { width: doc.page.width - 2 * LEFT, align: "right", lineBreak: false });
  }
  return pdfToBuffer(doc);
}
