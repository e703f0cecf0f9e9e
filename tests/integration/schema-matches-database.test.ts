import { sql } from "kysely";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { projectPath } from "~/modules/project-path.server";
import { createTestDatabase } from "../support/test-database";

/**
 * The hand-written Kysely types (app/modules/db/schema.ts) against the migrated database: the
 * same tables, the same columns, the same nullability, and a TypeScript type of the kind each
 * column's SQL type is read as. A migration that changes the database without schema.ts (or
 * the other way round) fails here, not in production.
 */

type ColumnKind = "string" | "number" | "boolean" | "Date" | "json";
type Column = { kind: ColumnKind; nullable: boolean };

/** How the app reads each SQL type (database.server.ts parses int8 and numeric as numbers, dates as text). */
const SQL_KINDS: Record<string, ColumnKind> = {
  text: "string",
  "character varying": "string",
  character: "string",
  uuid: "string",
  date: "string",
  inet: "string",
  citext: "string",
  bytea: "string",
  bigint: "number",
  numeric: "number",
  integer: "number",
  smallint: "number",
  real: "number",
  "double precision": "number",
  boolean: "boolean",
  "time without time zone": "string",
  "timestamp with time zone": "Date",
  "timestamp without time zone": "Date",
  jsonb: "json",
  json: "json",
  ARRAY: "json",
};

/** Every table's columns as schema.ts declares them, read with the TypeScript checker. */
function declaredSchema(): Map<string, Map<string, Column>> {
  const probe = projectPath("app/modules/db/__schema_probe__.ts");
  const source = `import type { Selectable, Updateable } from "kysely";\nimport type { Database } from "./schema";\nexport type Rows = { [T in keyof Database]: Selectable<Database[T]> };\nexport type Updates = { [T in keyof Database]: Updateable<Database[T]> };\n`;
  // Only what schema.ts needs (ES and Kysely's types), so the checker has little to load.
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    lib: ["lib.es2022.d.ts"],
    types: [],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => (file === probe ? source : readFile(file));
  host.fileExists = (file) => file === probe || fileExists(file);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language) => (file === probe ? ts.createSourceFile(file, source, language) : getSourceFile(file, language));
  const program = ts.createProgram([probe], options, host);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(probe)!;
  const rows = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!).find((symbol) => symbol.name === "Rows")!;
  const rowsType = checker.getDeclaredTypeOfSymbol(rows);
  const updates = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!).find((symbol) => symbol.name === "Updates")!;
  const updatesType = checker.getDeclaredTypeOfSymbol(updates);
  const hasNull = (type: ts.Type) => (type.isUnion() ? type.types.some((part) => part.flags & ts.TypeFlags.Null) : Boolean(type.flags & ts.TypeFlags.Null));

  const kindOf = (type: ts.Type): ColumnKind | "mixed" => {
    const parts = (type.isUnion() ? type.types : [type]).filter((part) => !(part.flags & ts.TypeFlags.Null));
    const kinds = new Set(
      parts.map((part): ColumnKind => {
        if (part.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral | ts.TypeFlags.TemplateLiteral)) return "string";
        if (part.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return "number";
        if (part.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return "boolean";
        if (part.symbol?.name === "Date") return "Date";
        return "json";
      }),
    );
    return kinds.size === 1 ? [...kinds][0]! : "mixed";
  };

  const tables = new Map<string, Map<string, Column>>();
  for (const table of checker.getPropertiesOfType(rowsType)) {
    const rowType = checker.getTypeOfSymbolAtLocation(table, file);
    const updateType = checker.getTypeOfSymbolAtLocation(checker.getPropertyOfType(updatesType, table.name)!, file);
    const columns = new Map<string, Column>();
    for (const column of checker.getPropertiesOfType(rowType)) {
      const type = checker.getTypeOfSymbolAtLocation(column, file);
      const update = checker.getPropertyOfType(updateType, column.name);
      // An Erasable column (schema.ts) is read as set but may be written null when a child is
      // anonymised: nullable in the database, on purpose.
      const nullable = hasNull(type) || (update !== undefined && hasNull(checker.getTypeOfSymbolAtLocation(update, file)));
      const kind = kindOf(type);
      columns.set(column.name, { kind: kind === "mixed" ? "json" : kind, nullable });
    }
    tables.set(table.name, columns);
  }
  return tables;
}

async function databaseSchema(db: DB): Promise<Map<string, Map<string, Column & { sqlType: string }>>> {
  const { rows } = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>`
    select c.table_name, c.column_name, c.data_type, c.is_nullable
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.table_name not like 'kysely_migration%'
    order by c.table_name, c.ordinal_position`.execute(db);
  const tables = new Map<string, Map<string, Column & { sqlType: string }>>();
  for (const row of rows) {
    const kind = SQL_KINDS[row.data_type];
    if (!kind) throw new Error(`${row.table_name}.${row.column_name}: no rule yet for SQL type ${row.data_type} (add it to SQL_KINDS).`);
    if (!tables.has(row.table_name)) tables.set(row.table_name, new Map());
    tables.get(row.table_name)!.set(row.column_name, { kind, nullable: row.is_nullable === "YES", sqlType: row.data_type });
  }
  return tables;
}

describe("schema.ts and the migrated database", () => {
  let db: DB;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, close } = await createTestDatabase({ reference: false })));
  afterAll(async () => close());

  it("declare the same tables, columns, nullability and kinds of value", async () => {
    const declared = declaredSchema();
    const actual = await databaseSchema(db);
    expect([...declared.keys()].sort()).toEqual([...actual.keys()].sort());

    const differences: string[] = [];
    for (const [table, columns] of actual) {
      const types = declared.get(table) ?? new Map<string, Column>();
      for (const name of types.keys()) if (!columns.has(name)) differences.push(`${table}.${name}: in schema.ts, not in the database`);
      for (const [name, column] of columns) {
        const type = types.get(name);
        if (!type) differences.push(`${table}.${name}: in the database, not in schema.ts`);
        else if (type.nullable !== column.nullable)
          differences.push(
            `${table}.${name}: ${column.nullable ? "nullable" : "not null"} in the database, ${type.nullable ? "nullable" : "not null"} in schema.ts`,
          );
        else if (column.kind !== "json" && type.kind !== column.kind)
          differences.push(`${table}.${name}: ${column.sqlType} is read as ${column.kind}, schema.ts says ${type.kind}`);
      }
    }
    expect(differences).toEqual([]);
  }, 180_000);
});
