import { sql } from "kysely";
import { addDays } from "../activities/uk-time.server";
import type { DB } from "../db/database.server";
import { termOf } from "./terms";

/**
 * The derived ledger sums (migration 0011_ledger_totals): `ledger_child_term` (per child and
 * school term) and `ledger_child_total` (per child), kept by the credit_ledger_totals trigger.
 * Only a bulk load that bypasses the trigger (the benchmark's generator) rebuilds them, here,
 * from `credit` — the same aggregate as the migration's backfill.
 */
export async function rebuildLedgerTotals(db: DB, areaId: string) {
  await sql`delete from ledger_child_term where area_id = ${areaId}`.execute(db);
  await sql`delete from ledger_child_total where area_id = ${areaId}`.execute(db);
  await sql`insert into ledger_child_term (area_id, child_id, term_from, quarter_hours, credits)
    select area_id, child_id, pasbort_term_from(earned_on), sum(quarter_hours)::int, count(*)::int
    from credit where area_id = ${areaId} and revoked_at is null
    group by 1, 2, 3`.execute(db);
  await sql`insert into ledger_child_total (area_id, child_id, quarter_hours)
    select area_id, child_id, sum(quarter_hours)::int
    from credit where area_id = ${areaId} and revoked_at is null
    group by 1, 2`.execute(db);
}

/** A period split for the term table: whole school terms inside it, and the days at its edges. */
export interface PeriodTerms {
  /** First days of the first and last whole terms inside the period (null: none). */
  wholeTerms: { from: string; to: string } | null;
  /** Date ranges (inclusive) of the period not covered by whole terms: at most two. */
  partial: Array<{ from: string; to: string }>;
}

/** Splits [from, to] (inclusive dates) into whole school terms (termOf) and partial ones. */
export function splitPeriodByTerms(from: string, to: string): PeriodTerms {
  const whole: string[] = [];
  const partial: Array<{ from: string; to: string }> = [];
  if (from > to) return { wholeTerms: null, partial };
  for (let term = termOf(from); term.from <= to; term = termOf(addDays(term.to, 1))) {
    if (term.from >= from && term.to <= to) whole.push(term.from);
    else partial.push({ from: term.from < from ? from : term.from, to: term.to > to ? to : term.to });
  }
  return { wholeTerms: whole.length ? { from: whole[0]!, to: whole[whole.length - 1]! } : null, partial };
}
