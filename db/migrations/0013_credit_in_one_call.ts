import { sql, type Kysely } from "kysely";

/**
 * The ledger's rules in the database, so a credit is one round trip (issue 9, ADR 0015 item 5).
 * A credit was about a dozen statements, each its own round trip; under load the server spent
 * half its time waiting on them. The rules are the same as before and still have one home each:
 *
 * - `pasbort_session_creditability`: whether a session can earn credits at `at` (found, not
 *   cancelled, started, provider and activity validated to at least the session's date in
 *   Wales). app/modules/credits/eligibility.server.ts `isCreditable` calls it; so does
 *   `pasbort_issue_credit`.
 * - `pasbort_sync_awards`: brings a child's awards in step with their ledger.
 *   app/modules/awards/awards.server.ts `syncAwards` calls it; so does `pasbort_issue_credit`
 *   when a credit crosses a threshold.
 * - `pasbort_issue_credit`: every check and write of one credit, holding the child's row.
 *   app/modules/credits/ledger.server.ts `issueCredit` is the only caller (the one door).
 *
 * Outcome codes are the TypeScript refusal codes (CreditRefusal), or 'OK'.
 */
const statements = [
  `create function pasbort_session_creditability(p_area uuid, p_session uuid, p_at timestamptz)
   returns table (reason text, session_id uuid, activity_id uuid, provider_id uuid, quarter_hours integer,
                  starts_at timestamptz, ends_at timestamptz, earned_on date, term_cap_quarter_hours integer)
   language sql stable as $$
     select case
              when s.cancelled_at is not null then 'SESSION_CANCELLED'
              when s.starts_at > p_at then 'SESSION_NOT_STARTED'
              when p.status <> 'validated' then 'PROVIDER_NOT_VALIDATED'
              when a.status <> 'validated' then 'ACTIVITY_NOT_VALIDATED'
              when p.validated_until is null or p.validated_until < d.earned_on then 'VALIDATION_EXPIRED'
              when a.validated_until is null or a.validated_until < d.earned_on then 'VALIDATION_EXPIRED'
            end,
            s.id, a.id, p.id, s.quarter_hours, s.starts_at, s.ends_at, d.earned_on, a.term_cap_quarter_hours
     from activity_session s
     join activity a on a.area_id = s.area_id and a.id = s.activity_id
     join provider p on p.area_id = a.area_id and p.id = a.provider_id
     -- A session's date is its start's date in Wales: what a credit's earned_on is.
     cross join lateral (select (s.starts_at at time zone 'Europe/London')::date as earned_on) d
     where s.area_id = p_area and s.id = p_session
   $$`,

  // Every level at or below the child's hours is reached, once; a level the hours fall back
  // below loses its award if it was never certified, and is flagged for the coordinator if it
  // was (unless the coordinator chose to keep it). Returns the awards this call reached.
  `create function pasbort_sync_awards(p_area uuid, p_child uuid, p_on date)
   returns table (level_id uuid, threshold_hours integer, name_en text, name_cy text)
   language plpgsql as $$
   #variable_conflict use_column
   declare
     v_quarter_hours integer;
   begin
     -- A ladder change holds the area row FOR UPDATE: wait for it, so the awards are worked
     -- out against one ladder, never half of an edit.
     perform 1 from area where id = p_area for key share;
     select coalesce(sum(c.quarter_hours), 0) into v_quarter_hours
       from credit c where c.area_id = p_area and c.child_id = p_child and c.revoked_at is null;

     update award w set flagged_at = null
      from award_level l
      where w.area_id = p_area and w.child_id = p_child and w.flagged_at is not null
        and l.area_id = w.area_id and l.id = w.award_level_id and l.threshold_hours * 4 <= v_quarter_hours;
     delete from award w
      using award_level l
      where w.area_id = p_area and w.child_id = p_child and w.certified_at is null
        and l.area_id = w.area_id and l.id = w.award_level_id and l.threshold_hours * 4 > v_quarter_hours;
     update award w set flagged_at = now()
      from award_level l
      where w.area_id = p_area and w.child_id = p_child
        and w.certified_at is not null and w.flagged_at is null and w.kept_at is null
        and l.area_id = w.area_id and l.id = w.award_level_id and l.threshold_hours * 4 > v_quarter_hours;

     return query
       with fresh as (
         select l.id, l.threshold_hours, l.name_en, l.name_cy
           from award_level l
          where l.area_id = p_area and l.threshold_hours * 4 <= v_quarter_hours
            and not exists (select 1 from award w where w.area_id = p_area and w.child_id = p_child and w.award_level_id = l.id)
       ), inserted as (
         insert into award (area_id, child_id, award_level_id, reached_on)
         select p_area, p_child, fresh.id, p_on from fresh
         on conflict (area_id, child_id, award_level_id) do nothing
       )
       select fresh.id, fresh.threshold_hours, fresh.name_en, fresh.name_cy from fresh order by fresh.threshold_hours;
   end $$`,

  `create function pasbort_issue_credit(
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
     -- Holding the child's row, two scans at once cannot both slip under a cap.
     select c.status into v_child_status from child c where c.area_id = p_area and c.id = p_child for update;

     -- A retried request gets the first answer again; the same key for another credit is a client bug.
     select c.id, c.child_id, c.session_id, c.quarter_hours, c.earned_on into v_earlier
       from credit c where c.area_id = p_area and c.idempotency_key = p_idempotency_key;
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
     if v_child_status is null then
       outcome := 'CHILD_NOT_FOUND';
       return next;
       return;
     end if;
     if v_child_status <> 'active' then
       outcome := 'CHILD_WITHDRAWN';
       return next;
       return;
     end if;

     select * into v_session from pasbort_session_creditability(p_area, p_session, p_at);
     if not found then
       outcome := 'SESSION_NOT_FOUND';
       return next;
       return;
     end if;
     if v_session.reason is not null then
       outcome := v_session.reason;
       return next;
       return;
     end if;
     if p_provider is not null and p_provider <> v_session.provider_id then
       outcome := 'WRONG_PROVIDER';
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
     on conflict (area_id, idempotency_key) do nothing
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
