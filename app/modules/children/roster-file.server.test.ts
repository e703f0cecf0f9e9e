import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import {
  decodeRosterBytes,
  mapHeaders,
  missingColumns,
  parseDateOfBirth,
  parseMonthOfBirth,
  parseRosterText,
  parseYearGroup,
  parseYesNo,
} from "./roster-file.server";

const noAgeProblem = () => null;

describe("roster encodings", () => {
  const names = "Forename,Surname\nSiôn,Gwenllïan\n";
  it("reads UTF-8 without a byte-order mark", () => {
    expect(decodeRosterBytes(new TextEncoder().encode(names))).toEqual({ text: names, encoding: "utf-8" });
  });
  it("reads UTF-8 with a byte-order mark, and drops the mark", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(names)]);
    expect(decodeRosterBytes(bytes)).toEqual({ text: names, encoding: "utf-8-bom" });
  });
  it("reads Windows-1252 (Excel's CSV) when the bytes are not valid UTF-8", () => {
    const bytes = iconv.encode(names, "windows-1252");
    expect([...bytes]).toContain(0xf4); // ô as one byte
    expect(decodeRosterBytes(bytes)).toEqual({ text: names, encoding: "windows-1252" });
  });
  it("reads UTF-16 with its byte-order mark (Excel's Unicode text)", () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(names, "utf-16le")]);
    expect(decodeRosterBytes(bytes)).toEqual({ text: names, encoding: "utf-16le" });
  });
});

describe("roster headers", () => {
  it("accepts the common spellings of SIMS, Arbor and hand-made files", () => {
    const mapping = mapHeaders(["Legal Forename", "Legal Surname", "DOB", "NC Year", "Post Code", "Adno", "FSM Eligible", "Reg Group"]);
    expect(mapping).toEqual({ givenName: 0, familyName: 1, dateOfBirth: 2, yearGroup: 3, postcode: 4, pupilRef: 5, fsm: 6, className: 7 });
    expect(missingColumns(mapping)).toEqual([]);
    expect(mapHeaders(["Enw cyntaf", "Cyfenw", "Dyddiad geni", "Blwyddyn", "Cod post", "Cyfeirnod"]).pupilRef).toBe(5);
  });
  it("names the missing columns, and will not use a UPN as the reference", () => {
    expect(missingColumns(mapHeaders(["Forename", "Surname"]))).toEqual([
      "roster.columns.birth",
      "roster.columns.yearGroup",
      "roster.columns.postcode",
      "roster.columns.pupilRef",
    ]);
    expect(missingColumns(mapHeaders(["Forename", "Surname", "DOB", "Year", "Postcode", "UPN"]))).toEqual(["roster.columns.pupilRefNotUpn"]);
  });
});

describe("roster values", () => {
  it("reads dates of birth as UK systems write them, keeping month and year", () => {
    expect(parseDateOfBirth("31/01/2016")).toEqual({ year: 2016, month: 1 });
    expect(parseDateOfBirth("1-2-2016")).toEqual({ year: 2016, month: 2 });
    expect(parseDateOfBirth("29.02.16")).toEqual({ year: 2016, month: 2 });
    expect(parseDateOfBirth("2016-05-04")).toEqual({ year: 2016, month: 5 });
    expect(parseDateOfBirth("2016-05-04T00:00:00")).toEqual({ year: 2016, month: 5 });
    expect(parseDateOfBirth("4 Mai 2016")).toEqual({ year: 2016, month: 5 });
  });
  it("refuses impossible dates instead of rolling them over", () => {
    for (const impossible of ["31/02/2016", "29/02/2015", "00/01/2016", "12/13/2016", "2016-04-31", "tomorrow", ""]) {
      expect(parseDateOfBirth(impossible), impossible).toBeNull();
    }
  });
  it("reads months of birth", () => {
    expect(parseMonthOfBirth("05/2016")).toEqual({ year: 2016, month: 5 });
    expect(parseMonthOfBirth("2016-05")).toEqual({ year: 2016, month: 5 });
    expect(parseMonthOfBirth("Mehefin 2017")).toEqual({ year: 2017, month: 6 });
    expect(parseMonthOfBirth("13/2016")).toBeNull();
  });
  it("reads year groups in English and Welsh", () => {
    expect(["R", "Rec", "Reception", "Derbyn"].map(parseYearGroup)).toEqual([0, 0, 0, 0]);
    expect(["3", "Y3", "Yr 3", "Year 3", "Bl 3", "Blwyddyn 3", "NC 3"].map(parseYearGroup)).toEqual([3, 3, 3, 3, 3, 3, 3]);
    expect(["14", "Nursery", "Y", "three"].map(parseYearGroup)).toEqual([null, null, null, null]);
  });
  it("reads yes and no", () => {
    expect(["Y", "yes", "TRUE", "1", "ie"].map(parseYesNo)).toEqual([true, true, true, true, true]);
    expect(["N", "no", "0"].map(parseYesNo)).toEqual([false, false, false]);
    expect(parseYesNo("")).toBeNull();
    expect(parseYesNo("maybe")).toBe("invalid");
  });
});

describe("parsing a roster", () => {
  const header = "Forename,Surname,DOB,Year,Postcode,Adno,FSM\n";
  it("marks each row's problems and normalises postcodes", () => {
    const text =
      header +
      "Osian,Jones,04/05/2016,3,ll11  1aa,1001,N\n" +
      "Mali,Evans,31/02/2016,3,LL11 1AA,1002,\n" +
      "Cai,Roberts,01/09/2017,Y9,CH7 1XB,1001,maybe\n" +
      ",Davies,01/01/2016,2,NOT A CODE,,Y\n";
    const parsed = parseRosterText(text, noAgeProblem);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [osian, mali, cai, blank] = parsed.rows;
    expect(osian).toMatchObject({ line: 2, givenName: "Osian", birthYear: 2016, birthMonth: 5, yearGroup: 3, postcode: "LL11 1AA", fsm: false, problems: [] });
    expect(mali!.problems).toEqual(["roster.problems.birthInvalid"]);
    expect(cai!.problems).toEqual(["roster.problems.duplicateRef", "roster.problems.fsmInvalid"]);
    expect(blank!.problems).toEqual(["roster.problems.pupilRefMissing", "roster.problems.givenNameMissing", "roster.problems.postcodeInvalid"]);
  });
  it("takes semicolon-separated files too", () => {
    const parsed = parseRosterText("Forename;Surname;DOB;Year;Postcode;Adno\nSiôn;Hughes;01/01/2017;R;LL11 1AA;7\n", noAgeProblem);
    expect(parsed.ok && parsed.rows[0]).toMatchObject({ givenName: "Siôn", yearGroup: 0, problems: [] });
  });
  it("refuses a file with missing columns or no rows, as a whole", () => {
    expect(parseRosterText("Forename,Surname\nA,B\n", noAgeProblem)).toMatchObject({ ok: false, error: "roster.errors.missingColumns" });
    expect(parseRosterText(header, noAgeProblem)).toMatchObject({ ok: false, error: "roster.errors.empty" });
    expect(parseRosterText('Forename,"Surname\nA,B', noAgeProblem)).toMatchObject({ ok: false, error: "roster.errors.notCsv" });
  });
});
