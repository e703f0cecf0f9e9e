import type { Expression, ExpressionBuilder, JoinBuilder, SqlBool } from "kysely";

/**
 * Every table that belongs to an area has `area_id` first in its keys (ADR 0002), so a row meets
 * its parent on both: `child.area_id = certificate.area_id and child.id = certificate.child_id`.
 * These two write that pair once, from its second half:
 *
 *     .innerJoin("child", sameArea("child.id", "certificate.child_id"))
 *     .where(sameAreaRef("credit.child_id", "child.id"))   // a correlated subquery's condition
 *
 * Kysely still checks the names: each must be `table.column` (or `alias.column`) of a table in
 * the query that has an `area_id`, or the call does not type-check.
 */

/** `table.column` of a table (or alias) in the query that has an `area_id` column. */
type AreaColumn<DB, TB extends keyof DB> = {
  [T in TB & string]: "area_id" extends keyof DB[T] ? `${T}.${keyof DB[T] & string}` : never;
}[TB & string];

/** `Ok`, or a message naming the references when one is no area table's column here. */
type Checked<DB, TB extends keyof DB, L extends string, R extends string, Ok> = [L] extends [AreaColumn<DB, TB>]
  ? [R] extends [AreaColumn<DB, TB>]
    ? Ok
    : `sameArea: ${R} is not a column of an area's table in this query`
  : `sameArea: ${L} is not a column of an area's table in this query`;

/** "certificate.child_id" → "certificate.area_id". */
function areaOf(reference: string) {
  return `${reference.slice(0, reference.lastIndexOf("."))}.area_id`;
}

/** A join's `on`: both sides in the same area, and `left = right`. */
export function sameArea<L extends string, R extends string>(left: L, right: R) {
  return <DB, TB extends keyof DB>(join: JoinBuilder<DB, TB>): Checked<DB, TB, L, R, JoinBuilder<DB, TB>> => {
    // The references were checked in the return type; Kysely's own overloads cannot see them.
    const on = join as unknown as JoinBuilder<Record<string, Record<string, unknown>>, string>;
    return on.onRef(areaOf(left), "=", areaOf(right)).onRef(left, "=", right) as never;
  };
}

/** The same condition for `where`: a subquery's rows in the outer row's area, and `left = right`. */
export function sameAreaRef<L extends string, R extends string>(left: L, right: R) {
  return <DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>): Checked<DB, TB, L, R, Expression<SqlBool>> => {
    const b = eb as unknown as ExpressionBuilder<Record<string, Record<string, unknown>>, string>;
    const equal = (l: string, r: string) => b(b.ref(l), "=", b.ref(r) as never);
    return b.and([equal(areaOf(left), areaOf(right)), equal(left, right)]) as never;
  };
}
