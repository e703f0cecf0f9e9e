import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { normalisePostcode } from "../reference/postcode";

/**
 * Reading a school roster file, as exported by school information systems (SIMS, Arbor,
 * Bromcom, Teachers2Parents…): the encoding, the header spellings, the dates. Pure
 * functions, no database: what each row means and what is wrong with it.
 */

export const ROSTER_MAX_BYTES = 2 * 1024 * 1024;
export const ROSTER_MAX_ROWS = 3000;

export type RosterEncoding = "utf-8" | "utf-8-bom" | "utf-16le" | "windows-1252";

/**
 * Valid UTF-8 is UTF-8 (with or without its byte-order mark); anything else is taken as
 * Windows-1252, which is what Excel on Windows writes for "CSV" — so "Siôn" and "Gwenllïan"
 * survive either way.
 */
export function decodeRosterBytes(bytes: Uint8Array): { text: string; encoding: RosterEncoding } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(Buffer.from(bytes.subarray(2)), "utf-16le"), encoding: "utf-16le" };
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bom ? bytes.subarray(3) : bytes);
    return { text, encoding: bom ? "utf-8-bom" : "utf-8" };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), "windows-1252"), encoding: "windows-1252" };
  }
}

export type RosterField = "givenName" | "familyName" | "dateOfBirth" | "monthOfBirth" | "yearGroup" | "postcode" | "pupilRef" | "fsm" | "className" | "upn";

/** Header spellings, compared after lower-casing and dropping everything but letters and digits. */
const HEADER_ALIASES: Record<RosterField, string[]> = {
  givenName: ["forename", "forenames", "firstname", "givenname", "legalforename", "preferredforename", "pupilforename", "first", "enwcyntaf", "enw"],
  familyName: ["surname", "lastname", "familyname", "legalsurname", "preferredsurname", "pupilsurname", "cyfenw"],
  dateOfBirth: ["dob", "dateofbirth", "birthdate", "dyddiadgeni", "pupildob"],
  monthOfBirth: ["monthofbirth", "birthmonth", "misgeni"],
  yearGroup: ["yeargroup", "year", "ncyear", "ncyearactual", "curriculumyear", "yr", "blwyddyn", "grwpblwyddyn"],
  postcode: ["postcode", "homepostcode", "addresspostcode", "codpost"],
  pupilRef: [
    "adno",
    "admissionnumber",
    "admissionno",
    "pupilref",
    "pupilreference",
    "pupilid",
    "pupilnumber",
    "misid",
    "studentid",
    "reference",
    "ref",
    "id",
    "cyfeirnod",
  ],
  fsm: ["fsm", "efsm", "freeschoolmeals", "fsmeligible", "eligibleforfsm", "fsmeligibility", "pydd", "prydauysgolamddim"],
  className: ["class", "classname", "reggroup", "registrationgroup", "form", "tutorgroup", "dosbarth"],
  // Recognised only to refuse it as the reference: a UPN follows a child for life and stays in school systems.
  upn: ["upn", "uniquepupilnumber"],
};

const squash = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, "");

export function mapHeaders(header: string[]): Partial<Record<RosterField, number>> {
  const mapping: Partial<Record<RosterField, number>> = {};
  const squashed = header.map(squash);
  for (const [field, aliases] of Object.entries(HEADER_ALIASES) as Array<[RosterField, string[]]>) {
    for (const alias of aliases) {
      const index = squashed.indexOf(alias);
      if (index >= 0) {
        mapping[field] = index;
        break;
      }
    }
  }
  return mapping;
}

/** The columns a roster needs, as translation keys of their names; empty when all are there. */
export function missingColumns(mapping: Partial<Record<RosterField, number>>): string[] {
  const missing: string[] = [];
  if (mapping.givenName === undefined) missing.push("roster.columns.givenName");
  if (mapping.familyName === undefined) missing.push("roster.columns.familyName");
  if (mapping.dateOfBirth === undefined && mapping.monthOfBirth === undefined) missing.push("roster.columns.birth");
  if (mapping.yearGroup === undefined) missing.push("roster.columns.yearGroup");
  if (mapping.postcode === undefined) missing.push("roster.columns.postcode");
  if (mapping.pupilRef === undefined) missing.push(mapping.upn === undefined ? "roster.columns.pupilRef" : "roster.columns.pupilRefNotUpn");
  return missing;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  ion: 1,
  ionawr: 1,
  feb: 2,
  february: 2,
  chwe: 2,
  chwefror: 2,
  mar: 3,
  march: 3,
  maw: 3,
  mawrth: 3,
  apr: 4,
  april: 4,
  ebr: 4,
  ebrill: 4,
  may: 5,
  mai: 5,
  jun: 6,
  june: 6,
  meh: 6,
  mehefin: 6,
  jul: 7,
  july: 7,
  gor: 7,
  gorffennaf: 7,
  aug: 8,
  august: 8,
  aws: 8,
  awst: 8,
  sep: 9,
  sept: 9,
  september: 9,
  med: 9,
  medi: 9,
  oct: 10,
  october: 10,
  hyd: 10,
  hydref: 10,
  nov: 11,
  november: 11,
  tach: 11,
  tachwedd: 11,
  dec: 12,
  december: 12,
  rhag: 12,
  rhagfyr: 12,
};

function fullYear(year: string) {
  const value = Number(year);
  // Two-digit years: every child in a roster was born this century.
  return year.length === 2 ? 2000 + value : value;
}

function isRealDate(year: number, month: number, day: number) {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A date of birth as UK systems write it (31/01/2016, 31-01-2016, 31.01.16, 2016-01-31,
 * 31 Jan 2016), reduced to the month and year — the day is never kept. Null when it is not a
 * real date: 31/02/2016 is refused, not rolled over into March.
 */
export function parseDateOfBirth(value: string): { year: number; month: number } | null {
  const text = value.trim();
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(text);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return isRealDate(year, month, day) ? { year, month } : null;
  }
  match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?: .*)?$/.exec(text);
  if (match) {
    const [day, month, year] = [Number(match[1]), Number(match[2]), fullYear(match[3]!)];
    return isRealDate(year, month, day) ? { year, month } : null;
  }
  match = /^(\d{1,2})[ -]([a-zA-Z]+)[ -](\d{4})$/.exec(text);
  if (match) {
    const month = MONTHS[match[2]!.toLowerCase()];
    const [day, year] = [Number(match[1]), Number(match[3])];
    return month && isRealDate(year, month, day) ? { year, month } : null;
  }
  return null;
}

/** A month of birth: 05/2016, 5-2016, 2016-05, May 2016, Mai 2016. */
export function parseMonthOfBirth(value: string): { year: number; month: number } | null {
  const text = value.trim();
  let match = /^(\d{1,2})[/.-](\d{4})$/.exec(text);
  if (match) {
    const [month, year] = [Number(match[1]), Number(match[2])];
    return month >= 1 && month <= 12 ? { year, month } : null;
  }
  match = /^(\d{4})-(\d{1,2})$/.exec(text);
  if (match) {
    const [year, month] = [Number(match[1]), Number(match[2])];
    return month >= 1 && month <= 12 ? { year, month } : null;
  }
  match = /^([a-zA-Z]+)[ -](\d{4})$/.exec(text);
  if (match) {
    const month = MONTHS[match[1]!.toLowerCase()];
    return month ? { year: Number(match[2]), month } : null;
  }
  return parseDateOfBirth(text);
}

/** Year groups: R, Rec, Reception, Derbyn → 0; 3, Y3, Yr 3, Year 3, Bl 3, Blwyddyn 3 → 3. Up to 13. */
export function parseYearGroup(value: string): number | null {
  const text = value.trim().toLowerCase();
  if (["r", "rec", "reception", "derbyn", "yr r", "year r", "y r", "yrr", "bl d", "dosbarth derbyn"].includes(text.replace(/\s+/g, " "))) return 0;
  const match = /^(?:y|yr|year|bl|blwyddyn|nc)?\s*(\d{1,2})$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  return year >= 0 && year <= 13 ? year : null;
}

/** Yes/no in the ways systems write it; blank means not given. Anything else is a problem. */
export function parseYesNo(value: string): boolean | null | "invalid" {
  const text = value.trim().toLowerCase();
  if (text === "") return null;
  if (["y", "yes", "true", "1", "t", "ie", "do", "eligible"].includes(text)) return true;
  if (["n", "no", "false", "0", "f", "na", "nac ydy", "not eligible"].includes(text)) return false;
  return "invalid";
}

const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;

export interface RosterRow {
  /** The line in the file (the header is line 1). */
  line: number;
  pupilRef: string;
  givenName: string;
  familyName: string;
  birthYear: number | null;
  birthMonth: number | null;
  yearGroup: number | null;
  className: string | null;
  /** Normalised, only until the LSOA is found; never stored. */
  postcode: string | null;
  fsm: boolean | null;
  /** Translation keys: a row with any problem is not imported. */
  problems: string[];
}

export type RosterParse = { ok: true; rows: RosterRow[]; hasFsm: boolean; hasClass: boolean } | { ok: false; error: string; missing?: string[] };

/**
 * Turns the decoded text into rows with their problems. File-level faults (not CSV, no rows,
 * missing columns, too many rows) refuse the whole file; row-level ones mark the row.
 */
export function parseRosterText(text: string, ageCheck: (year: number, month: number) => string | null): RosterParse {
  let records: string[][];
  try {
    // Semicolons are what Excel writes where the decimal separator is a comma.
    const firstLine = text.slice(0, text.search(/\r?\n|$/));
    const delimiter = firstLine.split(";").length > firstLine.split(",").length ? ";" : firstLine.includes("\t") && !firstLine.includes(",") ? "\t" : ",";
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, delimiter, trim: true });
  } catch {
    return { ok: false, error: "roster.errors.notCsv" };
  }
  records = records.filter((record) => record.some((cell) => cell.trim() !== ""));
  const [header, ...body] = records;
  if (!header || body.length === 0) return { ok: false, error: "roster.errors.empty" };
  if (body.length > ROSTER_MAX_ROWS) return { ok: false, error: "roster.errors.tooManyRows" };
  const mapping = mapHeaders(header);
  const missing = missingColumns(mapping);
  if (missing.length) return { ok: false, error: "roster.errors.missingColumns", missing };

  const cell = (record: string[], field: RosterField) => (mapping[field] === undefined ? "" : (record[mapping[field]!] ?? "").trim());
  const firstLineOfRef = new Map<string, number>();
  const rows = body.map((record, index): RosterRow => {
    const line = index + 2;
    const problems: string[] = [];
    const pupilRef = cell(record, "pupilRef");
    const givenName = cell(record, "givenName").replace(/\s+/g, " ");
    const familyName = cell(record, "familyName").replace(/\s+/g, " ");
    if (!pupilRef) problems.push("roster.problems.pupilRefMissing");
    else if (pupilRef.length > 40) problems.push("roster.problems.pupilRefTooLong");
    else if (firstLineOfRef.has(pupilRef.toLowerCase())) problems.push("roster.problems.duplicateRef");
    else firstLineOfRef.set(pupilRef.toLowerCase(), line);
    if (!givenName) problems.push("roster.problems.givenNameMissing");
    else if (!NAME.test(givenName) || givenName.length > 60) problems.push("roster.problems.givenNameInvalid");
    if (!familyName) problems.push("roster.problems.familyNameMissing");
    else if (!NAME.test(familyName) || familyName.length > 60) problems.push("roster.problems.familyNameInvalid");

    const dobText = cell(record, "dateOfBirth");
    const mobText = cell(record, "monthOfBirth");
    let birth: { year: number; month: number } | null = null;
    if (!dobText && !mobText) problems.push("roster.problems.birthMissing");
    else {
      birth = dobText ? parseDateOfBirth(dobText) : parseMonthOfBirth(mobText);
      if (!birth) problems.push("roster.problems.birthInvalid");
      else {
        const ageProblem = ageCheck(birth.year, birth.month);
        if (ageProblem) problems.push(ageProblem);
      }
    }

    const yearText = cell(record, "yearGroup");
    const yearGroup = yearText ? parseYearGroup(yearText) : null;
    if (!yearText) problems.push("roster.problems.yearGroupMissing");
    else if (yearGroup === null) problems.push("roster.problems.yearGroupInvalid");

    const postcodeText = cell(record, "postcode");
    let postcode: string | null = null;
    if (postcodeText) {
      postcode = normalisePostcode(postcodeText);
      if (!postcode) problems.push("roster.problems.postcodeInvalid");
    }

    const fsm = mapping.fsm === undefined ? null : parseYesNo(cell(record, "fsm"));
    if (fsm === "invalid") problems.push("roster.problems.fsmInvalid");
    const className = cell(record, "className").slice(0, 30) || null;

    return {
      line,
      pupilRef,
      givenName,
      familyName,
      birthYear: birth?.year ?? null,
      birthMonth: birth?.month ?? null,
      yearGroup,
      className,
      postcode,
      fsm: fsm === "invalid" ? null : fsm,
      problems,
    };
  });
  return { ok: true, rows, hasFsm: mapping.fsm !== undefined, hasClass: mapping.className !== undefined };
}
