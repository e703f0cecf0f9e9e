import { sql, type Kysely } from "kysely";

/**
 * Pre-aggregated ledger totals (issue 9, ADR 0015): the equity report and the graduation
 * eligibility list summed every credit of a period per child; at national scale (5 million
 * credits) that took seconds. Two derived tables hold the sums instead:
 *
 * - `ledger_child_term`: per child and school term (`term_from` = the first day of the term
 *   a credit's `earned_on` falls in, exactly as app/modules/credits/terms.ts `termOf` draws
 *   the terms — `pasbort_term_from`), the unrevoked credits' quarter-hours and count;
 * - `ledger_child_total`: per child, the unrevoked credits' quarter-hours.
 *
 * They are kept by a trigger on `credit` in the same transaction as the credit, so no code
 * path can forget them: issuing a credit (not revoked) adds it; revoking one (revoked_at going
 * from null to a time — the ledger guard allows nothing else) subtracts it. Rows may fall to
 * zero and stay. They are derived data: never written except by this trigger and by a
 * rebuild from `credit` (this migration's backfill; app/modules/credits/ledger-totals.server.ts).
 */
const statements = [
  // School terms in Wales as termOf has them: autumn from 1 September, spring from 1 January
  // (to the end of March), summer from 1 April (to the end of August).
  `create function pasbort_term_from(d date) returns date language sql immutable strict parallel safe as $$
     select case
       when extract(month from d) >= 9 then make_date(extract(year from d)::int, 9, 1)
       when extract(month from d) <= 3 then make_date(extract(year from d)::int, 1, 1)
       else make_date(extract(year from d)::int, 4, 1)
     end
   $$`,
  `create table ledger_child_term (
     area_id uuid not null,
     child_id uuid not null,
     term_from date not null,
     quarter_hours integer not null default 0 check (quarter_hours >= 0),
     credits integer not null default 0 check (credits >= 0),
     primary key (area_id, child_id, term_from),
     foreign key (area_id, child_id) references child (area_id, id)
   )`,
  `create index ledger_child_term_period_idx on ledger_child_term (area_id, term_from) include (child_id, quarter_hours)`,
  `create table ledger_child_total (
     area_id uuid not null,
     child_id uuid not null,
     quarter_hours integer not null default 0 check (quarter_hours >= 0),
     primary key (area_id, child_id),
     foreign key (area_id, child_id) references child (area_id, id)
   )`,
  `create function pasbort_ledger_totals() returns trigger language plpgsql as $$
   begin
     if tg_op = 'INSERT' then
       if new.revoked_at is not null then
         return null;
       end if;
       insert into ledger_child_term (area_id, child_id, term_from, quarter_hours, credits)
       values (new.area_id, new.child_id, pasbort_term_from(new.earned_on), new.quarter_hours, 1)
       on conflict (area_id, child_id, term_from) do update
         set quarter_hours = ledger_child_term.quarter_hours + excluded.quarter_hours,
             credits = ledger_child_term.credits + 1;
       insert into ledger_child_total (area_id, child_id, quarter_hours)
       values (new.area_id, new.child_id, new.quarter_hours)
       on conflict (area_id, child_id) do update
         set quarter_hours = ledger_child_total.quarter_hours + excluded.quarter_hours;
     elsif old.revoked_at is null and new.revoked_at is not null then
       update ledger_child_term
          set quarter_hours = greatest(quarter_hours - old.quarter_hours, 0),
              credits = greatest(credits - 1, 0)
        where area_id = old.area_id and child_id = old.child_id and term_from = pasbort_term_from(old.earned_on);
       update ledger_child_total
          set quarter_hours = greatest(quarter_hours - old.quarter_hours, 0)
        where area_id = old.area_id and child_id = old.child_id;
     end if;
     return null;
   end $$`,
  `create trigger credit_ledger_totals after insert or update of revoked_at on credit
     for each row execute function pasbort_ledger_totals()`,
  // Backfill from the ledger as it stands.
  `insert into ledger_child_term (area_id, child_id, term_from, quarter_hours, credits)
   select area_id, child_id, pasbort_term_from(earned_on), sum(quarter_hours)::int, count(*)::int
   from credit where revoked_at is null
   group by 1, 2, 3`,
  `insert into ledger_child_total (area_id, child_id, quarter_hours)
   select area_id, child_id, sum(quarter_hours)::int
   from credit where revoked_at is null
   group by 1, 2`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
