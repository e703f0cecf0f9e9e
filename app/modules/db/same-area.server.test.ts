import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from "kysely";
import { describe, expect, it } from "vitest";
import { sameArea, sameAreaRef } from "./same-area.server";
import type { Database } from "./schema";

// Compiles only: no database.
const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

describe("sameArea", () => {
  it("joins on the area and the key, as the hand-written pair did", () => {
    const helped = db.selectFrom("certificate").innerJoin("child", sameArea("child.id", "certificate.child_id")).select("child.given_name").compile();
    const byHand = db
      .selectFrom("certificate")
      .innerJoin("child", (join) => join.onRef("child.area_id", "=", "certificate.area_id").onRef("child.id", "=", "certificate.child_id"))
      .select("child.given_name")
      .compile();
    expect(helped.sql).toBe(byHand.sql);
    expect(helped.sql).toBe(
      'select "child"."given_name" from "certificate" inner join "child" on "child"."area_id" = "certificate"."area_id" and "child"."id" = "certificate"."child_id"',
    );
  });

  it("works with aliases and left joins", () => {
    const { sql } = db
      .selectFrom("credit_claim")
      .leftJoin("activity_session as s", sameArea("s.id", "credit_claim.session_id"))
      .select("s.starts_at")
      .compile();
    expect(sql).toContain('left join "activity_session" as "s" on "s"."area_id" = "credit_claim"."area_id" and "s"."id" = "credit_claim"."session_id"');
  });

  // The type check is the guard (npm run typecheck fails if these lines compile); at run time a name goes into the SQL as it is.
  it("refuses, in the type check, a column that is not there or a table without an area", () => {
    // @ts-expect-error a misspelt column
    const misspelt = db.selectFrom("certificate").innerJoin("child", sameArea("child.idd", "certificate.child_id"));
    expect(misspelt.compile().sql).toContain('"child"."idd" = "certificate"."child_id"');
    // @ts-expect-error a table that is not in the query
    const absent = db.selectFrom("certificate").innerJoin("child", sameArea("child.id", "award.child_id"));
    expect(absent.compile().sql).toContain('"award"."area_id"');
    // @ts-expect-error lsoa belongs to no area
    const noArea = db.selectFrom("child").innerJoin("lsoa", sameArea("lsoa.code", "child.home_lsoa_code"));
    expect(noArea.compile().sql).toContain('"lsoa"."area_id"');
  });
});

describe("sameAreaRef", () => {
  it("gives a subquery the outer row's area and key", () => {
    const { sql } = db
      .selectFrom("child")
      .select((eb) => eb.exists(eb.selectFrom("credit").select("credit.id").where(sameAreaRef("credit.child_id", "child.id"))).as("credited"))
      .compile();
    expect(sql).toBe(
      'select exists (select "credit"."id" from "credit" where ("credit"."area_id" = "child"."area_id" and "credit"."child_id" = "child"."id")) as "credited" from "child"',
    );
  });

  it("refuses a misspelt reference in the type check", () => {
    const query = db
      .selectFrom("child")
      .select("child.id")
      // @ts-expect-error credit has no kid_id
      .where((eb) => eb.exists(eb.selectFrom("credit").select("credit.id").where(sameAreaRef("credit.kid_id", "child.id"))));
    expect(query.compile().sql).toContain('"credit"."kid_id" = "child"."id"');
  });
});
