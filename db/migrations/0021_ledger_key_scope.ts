import { sql, type Kysely } from "kysely";

/**
 * Idempotency keys belong to whoever issues them, and a child is never in two places at once
 * (issue 13). Numbered 0021, not 0014: Kysely's migrator refuses a migration named before one
 * a database has already run (0015 is on main).
 *
 * - Keys were unique per area, so one provider could send a key another provider would use
 *   next and block that credit for ever (IDEMPOTENCY_KEY_REUSED), and a repeated key was
 *   answered before the provider was checked, so another provider's token learnt whether a
 *   child had been at someone else's session. Now a key is unique within its scope
 *   (`pasbort_key_scope`): a guardian's claim (method session_code) is the guardian's; every
 *   other credit is its provider's (its staff, its API tokens, the coordinator acting for it).
 *   `credit.idempotency_scope` is generated from the row's own facts, so it can never disagree
 *   with them, and the ledger's guard (0005) needs no change. The session's provider is
 *   checked before a key is looked up.
 * - A child could be credited for sessions that overlap (four 90-minute sessions in one
 *   90-minute slot): refused now as OVERLAPPING_SESSION. Sessions that only touch (one ends
 *   as the next starts) do not overlap. The child's row is held, as for the caps, so two scans
 *   at once cannot both get in.
 *
 * Adding a stored generated column rewrites the credit table once (a lock for as long as
 * that takes: seconds for a million credits); nothing is dropped but the old per-area key.
 */
const statements = [
  `create function pasbort_key_scope(p_method text, p_issued_by uuid, p_provider uuid) returns uuid
   language sql immutable parallel safe as $$
     select case when p_method = 'session_code' and p_issued_by is not null then p_issued_by else p_provider end
   $$`,
  `alter table credit add column idempotency_scope uuid not null
     generated always as (pasbort_key_scope(method, issued_by, provider_id)) stored`,
  `alter table credit drop constraint credit_area_id_idempotency_key_key`,
  `create unique index credit_key_in_scope on credit (area_id, idempotency_scope, idempotency_key)`,
  // The overlap check reads a child's unrevoked credits by credit_one_per_child_session (0001).

  `create or replace function pasbort_issue_credit(
     p_area uuid, p_child uuid, p_session uuid, p_provider uuid, p_method text, p_issued_by uuid,
     p_idempotency_key text, p_at timestamptz, p_default_daily_cap integer, p_default_window_minutes integer)
   returns table (outcome text, replayed boolean, credit_id uuid, session_id uuid, quarter_hours integer,
                  earned_on date, child_quarter_hours integer, awards_reached json)
   language plpgsql as $$
   #variable_conflict use_column
   declare
     v_child_status text;
     v_earlier record;
     v_session record;
     v_scope uuid;
     v_settings jsonb;
     v_thresholds integer[];
     v_total integer;
     v_same_day integer;
     v_in_term integer;
     v_term_from date;
     v_term_to date;
     v_credit record;
     v_awards json := '[]';
   begin
     -- Refusals return one row with only the outcome set.
     replayed := false;
     -- Holding the child's row, two scans at once cannot both slip under a cap or into overlapping sessions.
     select c.status into v_child_status from child c where c.area_id = p_area and c.id = p_child for update;
     if v_child_status is null then
       outcome := 'CHILD_NOT_FOUND';
       return next;
       return;
     end if;

     -- The session and its provider before any key is looked up: another provider's keys and
     -- credits are not the caller's to see or to block. (Found even when it cannot earn now,
     -- so the issuer's own retry still gets its first answer after the session closes.)
     select * into v_session from pasbort_session_creditability(p_area, p_session, p_at);
     if not found then
       outcome := 'SESSION_NOT_FOUND';
       return next;
       return;
     end if;
     if p_provider is not null and p_provider <> v_session.provider_id then
       outcome := 'WRONG_PROVIDER';
       return next;
       return;
     end if;

     -- A retried request gets the first answer again; the same key for another credit is a client bug.
     v_scope := pasbort_key_scope(p_method, p_issued_by, v_session.provider_id);
     select c.id, c.child_id, c.session_id, c.quarter_hours, c.earned_on into v_earlier
       from credit c where c.area_id = p_area and c.idempotency_scope = v_scope and c.idempotency_key = p_idempotency_key;
     if found then
       if v_earlier.child_id <> p_child or v_earlier.session_id <> p_session then
         outcome := 'IDEMPOTENCY_KEY_REUSED';
         return next;
         return;
       end if;
       return query select 'OK', true, v_earlier.id, v_earlier.session_id, v_earlier.quarter_hours, v_earlier.earned_on,
         (select coalesce(sum(c.quarter_hours), 0)::integer from credit c
           where c.area_id = p_area and c.child_id = p_child and c.revoked_at is null),
         '[]'::json;
       return;
     end if;
     if v_child_status <> 'active' then
       outcome := 'CHILD_WITHDRAWN';
       return next;
       return;
     end if;
     if v_session.reason is not null then
       outcome := v_session.reason;
       return next;
       return;
     end if;

     -- FOR KEY SHARE, as pasbort_sync_awards: a ladder change in progress is waited for, not half-read.
     select a.settings, array(select l.threshold_hours * 4 from award_level l where l.area_id = a.id)
       into v_settings, v_thresholds
       from area a where a.id = p_area for key share;
     if p_at > v_session.ends_at + make_interval(mins => coalesce((v_settings ->> 'creditWindowMinutes')::integer, p_default_window_minutes)) then
       outcome := 'SESSION_CLOSED';
       return next;
       return;
     end if;

     if exists (select 1 from credit c where c.area_id = p_area and c.child_id = p_child
                  and c.session_id = v_session.session_id and c.revoked_at is null) then
       outcome := 'ALREADY_CREDITED';
       return next;
       return;
     end if;
     -- One child, one place at a time: no credit for a session that overlaps one already credited.
     if exists (select 1 from credit c
                  join activity_session s on s.area_id = c.area_id and s.id = c.session_id
                 where c.area_id = p_area and c.child_id = p_child and c.revoked_at is null
                   and s.starts_at < v_session.ends_at and s.ends_at > v_session.starts_at) then
       outcome := 'OVERLAPPING_SESSION';
       return next;
       return;
     end if;
     select coalesce(sum(c.quarter_hours), 0) into v_same_day from credit c
      where c.area_id = p_area and c.child_id = p_child and c.earned_on = v_session.earned_on and c.revoked_at is null;
     if v_same_day + v_session.quarter_hours > coalesce((v_settings ->> 'dailyCapQuarterHours')::integer, p_default_daily_cap) then
       outcome := 'DAILY_CAP_REACHED';
       return next;
       return;
     end if;
     if v_session.term_cap_quarter_hours is not null then
       -- The term as termOf draws it (app/modules/credits/terms.ts).
       v_term_from := pasbort_term_from(v_session.earned_on);
       v_term_to := case extract(month from v_term_from)
                      when 9 then make_date(extract(year from v_term_from)::integer, 12, 31)
                      when 1 then make_date(extract(year from v_term_from)::integer, 3, 31)
                      else make_date(extract(year from v_term_from)::integer, 8, 31)
                    end;
       select coalesce(sum(c.quarter_hours), 0) into v_in_term from credit c
        where c.area_id = p_area and c.child_id = p_child and c.activity_id = v_session.activity_id
          and c.earned_on between v_term_from and v_term_to and c.revoked_at is null;
       if v_in_term + v_session.quarter_hours > v_session.term_cap_quarter_hours then
         outcome := 'TERM_CAP_REACHED';
         return next;
         return;
       end if;
     end if;

     -- The child's total before this credit, kept by the ledger's trigger (0011); the child's row is held.
     select coalesce((select t.quarter_hours from ledger_child_total t where t.area_id = p_area and t.child_id = p_child), 0)
       into v_total;

     insert into credit (area_id, child_id, provider_id, activity_id, session_id, quarter_hours, earned_on, method, issued_by, idempotency_key)
     values (p_area, p_child, v_session.provider_id, v_session.activity_id, v_session.session_id, v_session.quarter_hours,
             v_session.earned_on, p_method, p_issued_by, p_idempotency_key)
     -- The same key sent at the same moment for another child: the first one wins.
     on conflict (area_id, idempotency_scope, idempotency_key) do nothing
     returning credit.id, credit.session_id, credit.quarter_hours, credit.earned_on into v_credit;
     if not found then
       outcome := 'IDEMPOTENCY_KEY_REUSED';
       return next;
       return;
     end if;

     insert into audit_event (area_id, actor_user_id, action, subject_type, subject_id, details)
     values (p_area, p_issued_by, 'credit_issued', 'credit', v_credit.id::text,
             jsonb_build_object('childId', p_child, 'sessionId', v_credit.session_id, 'method', p_method, 'quarterHours', v_credit.quarter_hours));

     -- Awards follow the ledger in the same transaction. A credit only adds hours, so awards
     -- can change only if it crosses a threshold.
     if exists (select 1 from unnest(v_thresholds) t where t > v_total and t <= v_total + v_credit.quarter_hours) then
       select coalesce(json_agg(json_build_object('levelId', r.level_id, 'thresholdHours', r.threshold_hours,
                                                  'nameEn', r.name_en, 'nameCy', r.name_cy) order by r.threshold_hours), '[]')
         into v_awards
         from pasbort_sync_awards(p_area, p_child, v_credit.earned_on) r;
     end if;
     return query select 'OK', false, v_credit.id, v_credit.session_id, v_credit.quarter_hours, v_credit.earned_on,
       v_total + v_credit.quarter_hours, v_awards;
   end $$`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
