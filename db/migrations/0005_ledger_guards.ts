import { sql, type Kysely } from "kysely";

/**
 * The database itself keeps the ledger and the audit trail honest, whatever the code above
 * it does: credits are never deleted and their facts never change (only a one-time
 * revocation may be recorded), and audit events are never changed or deleted.
 */
const statements = [
  `create function pasbort_credit_guard() returns trigger language plpgsql as $$
   begin
     if tg_op = 'DELETE' then
       raise exception 'credits are never deleted: revoke instead' using errcode = 'P0001';
     end if;
     if old.revoked_at is not null then
       raise exception 'a revoked credit cannot change' using errcode = 'P0001';
     end if;
     if (new.area_id, new.id, new.child_id, new.provider_id, new.activity_id, new.session_id, new.quarter_hours,
         new.earned_on, new.method, new.issued_by, new.idempotency_key, new.created_at)
        is distinct from
        (old.area_id, old.id, old.child_id, old.provider_id, old.activity_id, old.session_id, old.quarter_hours,
         old.earned_on, old.method, old.issued_by, old.idempotency_key, old.created_at) then
       raise exception 'credits are never edited: revoke and issue a new one' using errcode = 'P0001';
     end if;
     return new;
   end $$`,
  `create trigger credit_guard before update or delete on credit for each row execute function pasbort_credit_guard()`,
  `create function pasbort_append_only() returns trigger language plpgsql as $$
   begin
     raise exception '% is append-only', tg_table_name using errcode = 'P0001';
   end $$`,
  `create trigger audit_event_append_only before update or delete on audit_event for each row execute function pasbort_append_only()`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
