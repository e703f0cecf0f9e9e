import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { importPostcodeDirectory, lookupPostcode, PostcodeDirectoryError } from "~/modules/reference/postcodes.server";
import { createTestDatabase } from "../support/test-database";

/**
 * The postcode directory import, on files laid out like ONS's own: NSPL (lower-case short
 * names, lsoa11 and lsoa21) and ONSPD (the wide file, with oslaua). The large test streams
 * 300,000 rows (~100 MB) and checks memory stays flat.
 */

const NSPL_HEADER =
  "pcd,pcd2,pcds,dointr,doterm,usertype,oseast1m,osnrth1m,osgrdind,oa11,cty,ced,laua,ward,hlthau,nhser,ctry,rgn,pcon,eer,teclec,ttwa,pct,itl,park,lsoa11,msoa11,wz11,ccg,bua11,buasd11,ru11ind,oac11,lat,long,lep1,lep2,pfa,imd,calncv,stp,lsoa21";
const ONSPD_HEADER =
  "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,oshlthau,nhser,ctry,rgn,streg,pcon,eer,teclec,ttwa,pct,itl,statsward,oa01,casward,park,lsoa01,msoa01,ur01ind,oac01,oa11,lsoa11,msoa11,wz11,sicbl,bua11,buasd11,ru11ind,oac11,lat,long,lep1,lep2,pfa,imd,calncv,icb,oa21,lsoa21,msoa21";

function pcd7(pcds: string) {
  const [outward, inward] = pcds.split(" ");
  return outward!.padEnd(4, " ") + inward;
}

function nsplRow(pcds: string, lsoa11: string, lsoa21 = lsoa11) {
  const fields: Record<string, string> = {
    pcd: pcd7(pcds),
    pcd2: pcd7(pcds),
    pcds,
    dointr: "198001",
    laua: "W06000006",
    ctry: "W92000004",
    lsoa11,
    lsoa21,
    lat: "53.04",
    long: "-2.99",
  };
  return NSPL_HEADER.split(",")
    .map((name) => fields[name] ?? (name === "usertype" ? "0" : "E99999999"))
    .join(",");
}

function onspdRow(pcds: string, lsoa11: string) {
  const fields: Record<string, string> = {
    pcd: pcd7(pcds),
    pcd2: pcd7(pcds),
    pcds,
    dointr: "198001",
    oslaua: "W06000006",
    ctry: "W92000004",
    lsoa11,
    lsoa21: lsoa11,
    lat: "53.04",
    long: "-2.99",
  };
  return ONSPD_HEADER.split(",")
    .map((name) => fields[name] ?? (name === "usertype" ? "0" : "E99999999"))
    .join(",");
}

setFlagsFromString("--expose-gc");
/** A full garbage collection, without needing node --expose-gc on the command line. */
const gc = runInNewContext("gc") as () => void;

const INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";
/** The n-th of a long run of distinct, well-formed postcodes. */
function postcodeNumber(n: number) {
  const areas = ["LL", "CH", "SY", "WR", "M", "B", "LS", "CF"];
  const inward = n % 4000;
  const outward = Math.floor(n / 4000);
  const area = areas[outward % areas.length]!;
  const district = 1 + Math.floor(outward / areas.length);
  return `${area}${district} ${inward % 10}${INWARD_LETTERS[Math.floor(inward / 10) % 20]}${INWARD_LETTERS[Math.floor(inward / 200) % 20]}`;
}

let db: DB;
let close: () => Promise<void>;
let dir: string;
let welsh: string[];

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  dir = await mkdtemp(path.join(tmpdir(), "pasbort-postcodes-"));
  // Wrexham's LSOAs unchanged since 2011: the same code on both geographies, as the sample rows give them.
  welsh = (
    await db
      .selectFrom("lsoa")
      .innerJoin("lsoa11_lsoa21 as m", "m.lsoa11_code", "lsoa.code")
      .select("code")
      .where("la_code", "=", "W06000006")
      .where("m.change", "=", "U")
      .orderBy("code")
      .execute()
  ).map((row) => row.code);
});
afterAll(async () => {
  await close();
  await rm(dir, { recursive: true, force: true });
});

describe("importing an NSPL file", () => {
  it("keeps postcodes whose LSOA is in the WIMD table, normalised, and reports what it skipped", async () => {
    const file = path.join(dir, "nspl.csv");
    const rows = [
      nsplRow("LL11 1AA", welsh[0]!),
      nsplRow("LL12 7AB", welsh[1]!),
      nsplRow("CH1 1AA", "E01018000"), // Chester: England
      nsplRow("GY1 1AA", ""), // Guernsey: no LSOA
      nsplRow("LL11 1AA", welsh[2]!), // repeated: the later row wins
      `${nsplRow("NOTAPOSTCODE", welsh[3]!)}`,
    ];
    await writeFile(file, "\uFEFF" + [NSPL_HEADER, ...rows].join("\r\n") + "\r\n");
    const report = await importPostcodeDirectory(db, file, { batchSize: 2 });
    expect(report).toMatchObject({
      layout: "NSPL",
      lsoaColumn: "lsoa11, lsoa21",
      geography: "lsoa2011+lsoa2021",
      rowsRead: 6,
      kept: 3,
      skippedNoLsoa: 1,
      skippedUnknownLsoa: 1,
      skippedBadPostcode: 1,
    });
    expect(await lookupPostcode(db, "ll11 1aa")).toMatchObject({ status: "found", lsoa: { code: welsh[2] } });
    expect(await lookupPostcode(db, " LL127AB ")).toMatchObject({ status: "found", lsoa: { code: welsh[1] } });
    // Not kept by default: unknown, so registration asks for the neighbourhood instead.
    expect(await lookupPostcode(db, "CH1 1AA")).toEqual({ status: "unknown" });
    expect(await lookupPostcode(db, "not a postcode")).toEqual({ status: "invalid" });
  });

  it("with --all keeps English postcodes too, so they are known to be outside Wales; --wales-only drops them", async () => {
    const file = path.join(dir, "nspl-all.csv");
    await writeFile(file, [NSPL_HEADER, nsplRow("CH2 2AA", "E01018001"), nsplRow("LL13 9XY", welsh[4]!)].join("\n"));
    expect(await importPostcodeDirectory(db, file, { all: true })).toMatchObject({ kept: 2 });
    expect(await lookupPostcode(db, "CH2 2AA")).toEqual({ status: "outsideWales" });
    const walesOnly = await importPostcodeDirectory(db, file, { all: true, walesOnly: true });
    expect(walesOnly).toMatchObject({ kept: 1, skippedNotWales: 1 });
  });

  it("uses lsoa21 when a file has no 2011 column, and accepts the newer …cd column names", async () => {
    const file = path.join(dir, "nspl21.csv");
    await writeFile(file, ["PCDS,LAUA,LSOA21CD", `LL14 1AB,W06000006,${welsh[5]}`].join("\n"));
    expect(await importPostcodeDirectory(db, file)).toMatchObject({ lsoaColumn: "lsoa21cd", kept: 1 });
    expect(await lookupPostcode(db, "LL14 1AB")).toMatchObject({ status: "found", lsoa: { code: welsh[5] } });
  });

  it("refuses a file that is not a postcode directory, leaving the table as it was", async () => {
    const before = await db
      .selectFrom("postcode_lsoa")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const file = path.join(dir, "wrong.csv");
    await writeFile(file, "name,address\nA,B\n");
    await expect(importPostcodeDirectory(db, file)).rejects.toThrow(PostcodeDirectoryError);
    await expect(importPostcodeDirectory(db, path.join(dir, "missing.csv"))).rejects.toThrow(/no such file/);
    // A broken row halfway: the whole file is rolled back.
    const broken = path.join(dir, "broken.csv");
    await writeFile(broken, [NSPL_HEADER, nsplRow("LL15 1AA", welsh[6]!), '"unterminated,quote'].join("\n"));
    await expect(importPostcodeDirectory(db, broken)).rejects.toThrow(PostcodeDirectoryError);
    expect(await lookupPostcode(db, "LL15 1AA")).toEqual({ status: "unknown" });
    const after = await db
      .selectFrom("postcode_lsoa")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

// From the ONS lookup: W01000383 (2011) was split into W01001971 and W01001972 (2021);
// W01000001 and W01000002 (2011) were merged into W01002008 (2021).
const SPLIT_2011 = "W01000383";
const [SPLIT_A, SPLIT_B] = ["W01001971", "W01001972"];
const [MERGED_A, MERGED_B] = ["W01000001", "W01000002"];
const MERGED_2021 = "W01002008";

describe("the two LSOA geographies of a directory file", () => {
  const stored = (postcode: string) => db.selectFrom("postcode_lsoa").select(["lsoa_code", "lsoa21_code"]).where("postcode", "=", postcode).executeTakeFirst();

  it("keeps both codes of a current NSPL (lsoa11cd and lsoa21cd) and says it read both", async () => {
    const file = path.join(dir, "nspl-both.csv");
    await writeFile(
      file,
      [
        "pcds,laua,lsoa11cd,lsoa21cd",
        `LL20 1AA,W06000006,${SPLIT_2011},${SPLIT_A}`,
        `LL20 1AB,W06000006,${SPLIT_2011},${SPLIT_B}`,
        `LL20 1AD,W06000006,${welsh[7]},${welsh[7]}`,
      ].join("\n"),
    );
    expect(await importPostcodeDirectory(db, file)).toMatchObject({ geography: "lsoa2011+lsoa2021", lsoaColumn: "lsoa11cd, lsoa21cd", kept: 3 });
    // The two halves of the split LSOA: same 2011 code, their own 2021 codes.
    expect(await stored("LL20 1AA")).toEqual({ lsoa_code: SPLIT_2011, lsoa21_code: SPLIT_A });
    expect(await stored("LL20 1AB")).toEqual({ lsoa_code: SPLIT_2011, lsoa21_code: SPLIT_B });
    expect(await lookupPostcode(db, "LL20 1AB")).toMatchObject({ status: "found", lsoa: { code: SPLIT_2011, code21: SPLIT_B } });
  });

  it("fills in the other geography from the ONS lookup only where it gives exactly one LSOA", async () => {
    const only21 = path.join(dir, "only21.csv");
    await writeFile(only21, ["pcds,lsoa21cd", `LL21 1AA,${SPLIT_A}`, `LL21 1AB,${MERGED_2021}`].join("\n"));
    expect(await importPostcodeDirectory(db, only21)).toMatchObject({ geography: "lsoa2021", kept: 2 });
    expect(await stored("LL21 1AA")).toEqual({ lsoa_code: SPLIT_2011, lsoa21_code: SPLIT_A }); // a split half has one 2011 LSOA
    expect(await stored("LL21 1AB")).toEqual({ lsoa_code: null, lsoa21_code: MERGED_2021 }); // a merged one came from two: not guessed
    expect(await lookupPostcode(db, "LL21 1AB")).toMatchObject({ status: "found", lsoa: { code: null, code21: MERGED_2021 } });

    const only11 = path.join(dir, "only11.csv");
    await writeFile(only11, ["pcds,lsoa11", `LL22 1AA,${SPLIT_2011}`, `LL22 1AB,${MERGED_A}`].join("\n"));
    expect(await importPostcodeDirectory(db, only11)).toMatchObject({ geography: "lsoa2011", kept: 2 });
    expect(await stored("LL22 1AA")).toEqual({ lsoa_code: SPLIT_2011, lsoa21_code: null }); // split: not guessed
    expect(await stored("LL22 1AB")).toEqual({ lsoa_code: MERGED_A, lsoa21_code: MERGED_2021 });
  });

  it("refuses a file on the wrong geography, or with Welsh LSOAs nobody has, naming the lines and changing nothing", async () => {
    const count = async () =>
      (
        await db
          .selectFrom("postcode_lsoa")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n;
    const before = await count();
    // 2011 codes under a 2021 heading: the split 2011 LSOA is no 2021 LSOA.
    const wrong = path.join(dir, "wrong-geography.csv");
    await writeFile(wrong, ["pcds,lsoa21cd", `LL23 1AA,${welsh[8]}`, `LL23 1AB,${SPLIT_2011}`, `LL23 1AD,${MERGED_B}`].join("\n"));
    const refusal = await importPostcodeDirectory(db, wrong).catch((error: Error) => error);
    expect(refusal).toBeInstanceOf(PostcodeDirectoryError);
    expect((refusal as Error).message).toContain("names 2 Welsh LSOA codes that the 2021 geography does not have; nothing was imported");
    expect((refusal as Error).message).toContain(
      `line 3: ${SPLIT_2011} in the 2021 column is not a 2021 LSOA of Wales (it is a 2011 one: is the file on the 2011 geography?)`,
    );
    expect((refusal as Error).message).toContain(`line 4: ${MERGED_B}`);
    // A code neither geography has.
    const unknown = path.join(dir, "unknown-lsoa.csv");
    await writeFile(unknown, ["pcds,lsoa11cd,lsoa21cd", `LL24 1AA,${welsh[9]},${welsh[9]}`, `LL24 1AB,W01999999,W01999999`].join("\n"));
    await expect(importPostcodeDirectory(db, unknown)).rejects.toThrow("line 3: W01999999 in the 2011 column is not a 2011 LSOA of Wales");
    // A file of 2001 LSOAs only.
    const old = path.join(dir, "lsoa01.csv");
    await writeFile(old, ["pcds,lsoa01", `LL25 1AA,W01000001`].join("\n"));
    await expect(importPostcodeDirectory(db, old)).rejects.toThrow(/gives LSOAs of 2001 only \(lsoa01\).*Nothing was imported/);
    expect(await count()).toBe(before);
    expect(await lookupPostcode(db, "LL23 1AA")).toEqual({ status: "unknown" });
    expect(await lookupPostcode(db, "LL24 1AA")).toEqual({ status: "unknown" });
  });
});

describe("importing a large ONSPD file", () => {
  const ROWS = 300_000;
  it(`streams ${ROWS.toLocaleString("en")} rows with flat memory`, { timeout: 240_000 }, async () => {
    const file = path.join(dir, "onspd-large.csv");
    const out = createWriteStream(file);
    out.write(ONSPD_HEADER + "\n");
    let expectedKept = 0;
    // Written a megabyte at a time: a write per row took longer than the rows themselves.
    let chunk = "";
    for (let n = 0; n < ROWS; n++) {
      // One in ten in a Welsh LSOA, one in fifty with none, the rest in England.
      const lsoa = n % 10 === 0 ? welsh[n % welsh.length]! : n % 50 === 1 ? "" : `E0100${String(n % 10000).padStart(4, "0")}`;
      if (n % 10 === 0) expectedKept++;
      chunk += onspdRow(postcodeNumber(n), lsoa) + "\n";
      if (chunk.length < 1 << 20) continue;
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
    out.write(chunk);
    out.end();
    await once(out, "finish");

    // Live memory, not garbage waiting for collection: sample right after a full collection.
    gc();
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let peakRss = before.rss;
    const sampler = setInterval(() => {
      gc();
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
    }, 250);
    const started = performance.now();
    let report;
    try {
      report = await importPostcodeDirectory(db, file, { onProgress: () => {}, progressEvery: 50_000 });
    } finally {
      clearInterval(sampler);
    }
    gc();
    const after = process.memoryUsage();
    peakHeap = Math.max(peakHeap, after.heapUsed);
    peakRss = Math.max(peakRss, after.rss);
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    console.info(
      `postcode import: ${ROWS} rows in ${Math.round(performance.now() - started)} ms; heap +${mb(peakHeap - before.heapUsed)} MB, rss +${mb(peakRss - before.rss)} MB at peak`,
    );

    expect(report).toMatchObject({ layout: "ONSPD", lsoaColumn: "lsoa11, lsoa21", rowsRead: ROWS, kept: expectedKept });
    // The file is ~100 MB: reading it whole would take more than that in memory on its own.
    expect(peakHeap - before.heapUsed).toBeLessThan(50 * 1024 * 1024);
    expect(peakRss - before.rss).toBeLessThan(100 * 1024 * 1024);
    expect(await lookupPostcode(db, postcodeNumber(ROWS - 10).toLowerCase())).toMatchObject({ status: "found" });
  });
});
