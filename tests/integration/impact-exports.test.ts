import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync, strFromU8 } from "fflate";
import type { AppLoadContext } from "@remix-run/node";
import readXlsxFile from "read-excel-file/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ukDate } from "~/modules/activities/uk-time.server";
import type { DB } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { receivedKey, translator } from "~/modules/i18n/i18n";
import { ROUNDING_BASE } from "~/modules/reports/disclosure.server";
import { impactReport, impactTallies } from "~/modules/reports/impact.server";
import { impactPdf } from "~/modules/reports/impact-exports/pdf.server";
import { cellText, gapWords, impactTables, NOT_SHOWN, summaryLines, type ExportTable } from "~/modules/reports/impact-exports/tables.server";
import { academicYearOf } from "~/modules/reports/published-periods";
import { loader as csvLoader } from "~/routes/reports.impact[.csv]";
import { loader as pdfLoader } from "~/routes/reports.impact[.pdf]";
import { loader as xlsxLoader } from "~/routes/reports.impact[.xlsx]";
import { cellsOf } from "../support/csv-attacks";
import { seedEquityFixture } from "../support/equity-fixture";
import { contextFor, createPerson, settle, signedOutContext } from "../support/fixtures";
import { createTestDatabase } from "../support/test-database";

/**
 * The impact report's downloads (issue 21): the bilingual PDF, the CSV and the XLSX carry the
 * same figures as impactReport (the page's report object), every count of children through
 * disclosure control, with the page's access rules and a clear 400 for a bad query. Run on
 * the equity fixture (its autumn 2026 figures are 2026–27's), in the current academic year.
 */

let db: DB;
let close: () => Promise<void>;
let fixture: Awaited<ReturnType<typeof seedEquityFixture>>;
const people: Record<string, AppLoadContext> = {};
const WREXHAM = "W06000006";
// A school named with ŷ (the fonts must have it) and one named as a formula (no spreadsheet may run it).
const TY_GWYN = "Ysgol Tŷ Gwyn";
const FORMULA_NAME = '=HYPERLINK("http://evil.example","x")';

const now = () => new Date();
const YEAR = academicYearOf(ukDate(new Date()));

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  setDb(db);
  fixture = await seedEquityFixture(db);
  const { north, south } = fixture;
  await db.updateTable("school").set({ name: TY_GWYN }).where("id", "=", north.schools[0]!.id).execute();
  await db.updateTable("school").set({ name: FORMULA_NAME }).where("id", "=", north.schools[1]!.id).execute();
  const specs = {
    coordinator: { areaId: north.id, role: "coordinator" },
    viewer: { areaId: north.id, role: "viewer" },
    southCoordinator: { areaId: south.id, role: "coordinator" },
    school: { areaId: north.id, role: "school", schoolId: north.schools[0]!.id },
    provider: { areaId: north.id, role: "provider_owner", providerId: north.providers[0]!.id },
    guardian: { areaId: north.id, role: "guardian", childIds: [fixture.q1[0]!] },
  } as const;
  for (const [name, spec] of Object.entries(specs)) {
    const person = await createPerson(db, { email: `${name.toLowerCase()}@impact-exports.example`, ...spec });
    people[name] = await contextFor(db, person.userId, person.membershipId);
  }
});
afterAll(async () => close());

const request = (path: string, headers: Record<string, string> = {}) => new Request(`http://pasbort.test${path}`, { headers });
type Loader = typeof pdfLoader;
const LOADERS: Record<string, Loader> = { pdf: pdfLoader, csv: csvLoader, xlsx: xlsxLoader };
const get = async (format: string, query: string, context: AppLoadContext = people.coordinator!) =>
  (await settle(LOADERS[format]!({ request: request(`/reports/impact.${format}?${query}`), context, params: {} }))) as Response;

/** The report the page would show for the same asker and query. */
const reportFor = (scope: { laCode?: string; schoolId?: string } = {}) =>
  impactReport(
    db,
    { areaId: fixture.north.id, laCode: scope.laCode ?? null, schoolId: scope.schoolId ?? null },
    { year: YEAR, today: ukDate(now()), now: now() },
  );

const flat = (text: string) => text.replace(/\s+/g, " ");

function pdfText(bytes: ArrayBuffer): string {
  const dir = mkdtempSync(join(tmpdir(), "impactx-"));
  const file = join(dir, "report.pdf");
  writeFileSync(file, Buffer.from(bytes));
  // To look at it: IMPACT_PDF_OUT=/tmp/x.pdf npx vitest run …
  if (process.env.IMPACT_PDF_OUT) writeFileSync(process.env.IMPACT_PDF_OUT, Buffer.from(bytes));
  return execFileSync("pdftotext", ["-raw", "-enc", "UTF-8", file, "-"], { encoding: "utf8" });
}

/** Every count-of-children cell of a table's rows is a multiple of 5 or the not-shown marker. */
function expectCountsProtected(table: ExportTable, rows: unknown[][]) {
  table.columns.forEach((column, i) => {
    if (column.kind !== "count") return;
    for (const row of rows) {
      const cell = row[i];
      if (cell === NOT_SHOWN) continue;
      expect(Number(cell) % ROUNDING_BASE, `${table.id} ${column.label}: ${String(cell)}`).toBe(0);
      expect(String(cell)).toMatch(/^\d+$/);
    }
  });
}

describe("the impact report's downloads", () => {
  it("has true counts that are not multiples of 5, so the rounding checks below can fail", async () => {
    const tallies = await impactTallies(db, { areaId: fixture.north.id, laCode: null, schoolId: null }, { year: YEAR, today: ukDate(now()) });
    const counts = [tallies.reach.total, ...tallies.reach.quintile, ...tallies.reach.school].flatMap((row) => [row.enrolled.count, row.active.count]);
    expect(counts.some((value) => value % ROUNDING_BASE !== 0)).toBe(true);
  });

  it("gives a bilingual PDF, Welsh then English, with ŵ and ŷ, the summary, the gap in words and the page's figures", async () => {
    const response = await get("pdf", `year=${YEAR.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toContain(`impact-${YEAR.id}-wimd2025.pdf`);
    const bytes = await response.arrayBuffer();
    expect(Buffer.from(bytes).subarray(0, 5).toString()).toBe("%PDF-");
    const text = flat(pdfText(bytes));
    const report = await reportFor();
    const [cy, en] = [translator("cy"), translator("en")];

    // Welsh first: the Welsh version's title comes before the English version's, and each version is whole.
    const englishAt = text.indexOf(`English ${en("impact.title")}`);
    const welshAt = text.indexOf(`Cymraeg ${cy("impact.title")}`);
    expect(welshAt).toBeGreaterThan(0);
    expect(englishAt).toBeGreaterThan(welshAt);
    const [welsh, english] = [text.slice(welshAt, englishAt), text.slice(englishAt)];
    for (const half of [welsh, english]) {
      expect(half).toContain(TY_GWYN);
      expect(half).toContain("ŷ");
    }
    expect(welsh).toContain("ŵ");
    expect(welsh).toContain(cy("impact.columns.group"));
    expect(english).toContain(en("impact.columns.group"));

    // The summary and the gap, in each language's half, as the page words them.
    for (const [half, lang] of [
      [welsh, "cy"],
      [english, "en"],
    ] as const) {
      for (const line of summaryLines(report, lang)) expect(half).toContain(flat(line));
      for (const line of gapWords(report.reach.gap, lang)) expect(half).toContain(flat(line));
      const t = translator(lang);
      expect(half).toContain(flat(t("reports.table.suppression")));
      expect(half).toContain(flat(t(`reports.editionNote.${report.edition}`)));
      expect(half).toContain(flat(t("reports.licence")));
      // The charts' text alternatives: the fair share of each fifth, as the page says it.
      for (const line of impactTables(report, lang).find((table) => table.id === "reach-quintile")!.chart!.lines) expect(half).toContain(flat(line));
      // Each table's total row, cell after cell, with the report's figures.
      for (const table of impactTables(report, lang)) {
        for (const row of table.rows.filter((r) => r.total)) {
          expect(half, `${lang} ${table.id}`).toContain(row.cells.map((cell, i) => cellText(cell, table.columns[i]!.kind)).join(" "));
        }
      }
    }
    const total = impactTables(report, "en")[0]!.rows.at(-1)!.cells;
    expect(total.slice(1, 3)).toEqual([report.reach.total.enrolled.value, report.reach.total.active.value]);
  });

  it("puts the wide reach tables on landscape pages, with every word of their headings whole, and the rest on portrait pages", async () => {
    // With census figures the reach tables have 12 columns, the widest the report has.
    const report = { ...(await reportFor()), benchmark: "population" as const };
    const dir = mkdtempSync(join(tmpdir(), "impactx-"));
    const file = join(dir, "wide.pdf");
    writeFileSync(file, await impactPdf(report, now()));
    if (process.env.IMPACT_PDF_OUT) writeFileSync(process.env.IMPACT_PDF_OUT, readFileSync(file));
    const info = execFileSync("pdfinfo", ["-f", "1", "-l", "999", file], { encoding: "utf8" });
    const landscape = [...info.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)/gm)].map((m) => Number(m[2]) > Number(m[3]));
    const pages = execFileSync("pdftotext", ["-raw", "-enc", "UTF-8", file, "-"], { encoding: "utf8" }).split("\f").map(flat);
    expect(landscape.length).toBeGreaterThan(4);
    expect(landscape[0]).toBe(false);
    expect(landscape.at(-1)).toBe(false);
    for (const lang of ["cy", "en"] as const) {
      const tables = impactTables(report, lang);
      for (const table of tables) {
        const on = pages.flatMap((text, i) => (text.includes(flat(table.title)) ? [i] : []));
        expect(on.length, `${lang} ${table.id}`).toBeGreaterThan(0);
        const wide = table.columns.length > 8;
        for (const i of on) expect(landscape[i], `${lang} ${table.id} on page ${i + 1}`).toBe(wide);
        if (!table.id.startsWith("reach-")) continue;
        expect(table.columns.length, table.id).toBeGreaterThan(8);
        // No heading word is cut in two (pdfkit splits a word wider than its column).
        const words = new Set(on.flatMap((i) => pages[i]!.split(" ")));
        for (const column of table.columns) for (const word of column.label.split(/\s+/)) expect(words.has(word), `${lang} ${table.id}: ${word}`).toBe(true);
      }
    }
  });

  it("gives one CSV of every table under its title, with the report's figures, notes, and no cell a spreadsheet would run", async () => {
    const report = await reportFor();
    for (const lang of ["en", "cy"] as const) {
      const response = await get("csv", `year=${YEAR.id}&lang=${lang}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
      const rows = cellsOf(await response.text());
      const t = translator(lang);
      expect(rows.flat()).toContain(t("reports.table.suppression"));
      expect(rows.flat()).toContain(t("reports.licence"));
      expect(rows.flat()).toContain(`${t(`reports.editions.${report.edition}`)}. ${t(`reports.editionNote.${report.edition}`)}`);
      // The formula-named school is there, defused.
      expect(rows.flat()).toContain(`'${FORMULA_NAME}`);
      const tables = impactTables(report, lang);
      expect(tables.length).toBeGreaterThanOrEqual(12);
      for (const table of tables) {
        const at = rows.findIndex((row, i) => row[0] === table.title && rows[i + 1]?.[0] === table.columns[0]!.label);
        expect(at, table.id).toBeGreaterThan(0);
        expect(rows[at + 1]!.slice(0, table.columns.length)).toEqual(table.columns.map((c) => c.label));
        const body = rows.slice(at + 2, at + 2 + table.rows.length).map((row) => row.slice(0, table.columns.length));
        const expected = table.rows.map((row) => row.cells.map((cell, i) => cellText(cell, table.columns[i]!.kind)));
        // Names are written defused (a leading apostrophe) where a spreadsheet would run them.
        expect(body.map((row) => row.map((cell) => cell.replace(/^'(?=[=+\-@])/, "")))).toEqual(expected);
        expectCountsProtected(table, body);
      }
      // Totals agree with the report object.
      const reach = tables.find((table) => table.id === "reach-quintile")!;
      const totalRow = rows[rows.findIndex((row) => row[0] === reach.title) + 2 + reach.rows.length - 1]!;
      expect(totalRow.slice(0, 3)).toEqual([t("impact.total"), report.reach.total.enrolled.shown, report.reach.total.active.shown]);
    }
  });

  it("gives an XLSX with a notes sheet and one sheet per table, which reads back with the report's figures", async () => {
    const report = await reportFor();
    for (const lang of ["en", "cy"] as const) {
      const response = await get("xlsx", `year=${YEAR.id}&lang=${lang}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      const bytes = Buffer.from(await response.arrayBuffer());
      const sheets = await readXlsxFile(bytes);
      const tables = impactTables(report, lang);
      const t = translator(lang);
      expect(sheets.map((sheet) => sheet.sheet)).toEqual([t("impactExports.notes.sheet"), ...tables.map((table) => table.sheet)]);

      const notes = sheets[0]!.data.flat().map(String);
      for (const text of [
        t("reports.table.suppression"),
        t("reports.licence"),
        `${t(`reports.editions.${report.edition}`)}. ${t(`reports.editionNote.${report.edition}`)}`,
        t("impactExports.notes.generated"),
        t("impactExports.notes.period"),
        ...summaryLines(report, lang),
      ]) {
        expect(notes).toContain(text);
      }

      for (const [i, table] of tables.entries()) {
        const data = sheets[i + 1]!.data;
        expect(data[0]![0]).toBe(table.title);
        expect(data[1]!.slice(0, table.columns.length)).toEqual(table.columns.map((c) => c.label));
        const body = data.slice(2, 2 + table.rows.length).map((row) => row.slice(0, table.columns.length));
        expect(body).toEqual(table.rows.map((row) => row.cells.map((cell) => (cell === null ? NOT_SHOWN : cell))));
        expectCountsProtected(table, body);
      }
      const reach = sheets[1]!.data;
      const total = reach[1 + tables[0]!.rows.length]!;
      expect(total.slice(0, 3)).toEqual([t("impact.total"), report.reach.total.enrolled.value, report.reach.total.active.value]);
      const years = sheets[tables.findIndex((table) => table.id === "growth-years") + 1]!.data;
      expect(years.at(2 + (report.growth.lastYear ? 1 : 0))!.slice(1, 3)).toEqual([report.growth.thisYear.enrolled.value, report.growth.thisYear.active.value]);

      // The formula-named school is a string cell, never a formula.
      const files = unzipSync(new Uint8Array(bytes));
      const xml = Object.entries(files)
        .filter(([name]) => name.startsWith("xl/worksheets/"))
        .map(([, content]) => strFromU8(content))
        .join("");
      expect(xml).not.toMatch(/<f[ >]/);
      expect(sheets.flatMap((sheet) => sheet.data.flat())).toContain(FORMULA_NAME);
    }
  });

  it("gives a local authority's and a school's report, each of its own scope", async () => {
    const la = await get("csv", `year=${YEAR.id}&la=${WREXHAM}`);
    expect(la.status).toBe(200);
    expect(la.headers.get("Content-Disposition")).toContain(`-la-${WREXHAM}.csv`);
    const laRows = cellsOf(await la.text());
    const laReport = await reportFor({ laCode: WREXHAM });
    expect(laRows[1]![1]).toContain(laReport.scope.name.en);
    const schoolId = fixture.north.schools[0]!.id;
    const school = await get("pdf", `year=${YEAR.id}&school=${schoolId}`);
    expect(school.status).toBe(200);
    const text = flat(pdfText(await school.arrayBuffer()));
    const report = await reportFor({ schoolId });
    expect(report.scope.kind).toBe("school");
    for (const line of summaryLines(report, "en")) expect(text).toContain(flat(line));
    // A school's report has no child's voice (ADR 0029).
    expect(text).not.toContain(translator("en")("impact.voice.ratingsTable"));
  });

  it("refuses a bad year, an unknown or another area's school or LA, both, and an unknown edition: a 400 with the reason in the reader's language", async () => {
    const cases: Array<[string, string]> = [
      ["year=1999-00", "impact.errors.year"],
      ["year=next", "impact.errors.year"],
      ["school=not-a-school", "impact.errors.school"],
      [`school=${fixture.south.schools[0]!.id}`, "impact.errors.school"],
      ["la=W06000015", "impact.errors.la"],
      [`la=${WREXHAM}&school=${fixture.north.schools[0]!.id}`, "impact.errors.both"],
      ["edition=wimd2011", "impact.errors.edition"],
    ];
    for (const format of Object.keys(LOADERS)) {
      for (const [query, key] of cases) {
        for (const lang of ["cy", "en"] as const) {
          const response = await get(format, `${query}&lang=${lang}`);
          expect(response.status, `${format} ${query}`).toBe(400);
          expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
          expect((await response.text()).trim()).toBe(translator(lang)(receivedKey(key)));
        }
      }
    }
  });

  it("has the page's access rules: the area's coordinators and viewers only", async () => {
    const childSession = {
      ...signedOutContext,
      signedIn: { user: { id: fixture.q1[0]! }, session: { id: "s", childAreaId: fixture.north.id } },
    } as never as AppLoadContext;
    for (const format of Object.keys(LOADERS)) {
      expect((await get(format, `year=${YEAR.id}`, people.viewer)).status, format).toBe(200);
      for (const who of ["guardian", "provider", "school"]) expect((await get(format, `year=${YEAR.id}`, people[who])).status, `${format} ${who}`).toBe(403);
      const signedOut = await get(format, `year=${YEAR.id}`, signedOutContext);
      expect(signedOut.status).toBe(302);
      expect(signedOut.headers.get("Location")).toMatch(/^\/login\?redirectTo=%2Freports%2Fimpact\./);
      const child = await get(format, `year=${YEAR.id}`, childSession);
      expect([child.status, child.headers.get("Location")]).toEqual([302, "/me"]);
    }
    // Another area's coordinator gets their own area's report, never the north's schools.
    const south = await get("csv", `year=${YEAR.id}`, people.southCoordinator);
    expect(south.status).toBe(200);
    const cells = cellsOf(await south.text()).flat();
    expect(cells).not.toContain(TY_GWYN);
    expect(cells.join("\n")).not.toContain("HYPERLINK");
  });
});
