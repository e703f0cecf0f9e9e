import { sql, type Kysely } from "kysely";

/**
 * Claims by session code: a guardian scans the session's QR code and says which of their
 * children took part. Where the activity's claims need the provider's approval, the claim
 * waits here until staff approve it (the credit is then issued through the ledger with the
 * claim's idempotency key) or reject it with a reason the guardian sees.
 *
 * A claim is decided once: pending → approved (with the credit it made) or rejected (with
 * staff's reason, or the ledger's refusal code when approving could not add the credit).
 * At most one pending claim per child and session.
 */
const statements = [
  `create table credit_claim (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     child_id uuid not null,
     session_id uuid not null,
     activity_id uuid not null,
     provider_id uuid not null,
     claimed_by uuid not null references app_user (id),
     code_kind text not null check (code_kind in ('screen', 'poster', 'typed')),
     status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
     idempotency_key text not null,
     reason text check (char_length(reason) <= 500),
     refusal_code text,
     credit_id uuid,
     decided_by uuid references app_user (id),
     decided_at timestamptz,
     created_at timestamptz not null default now(),
     primary key (area_id, id),
     foreign key (area_id, child_id) references child (area_id, id),
     foreign key (area_id, session_id) references activity_session (area_id, id),
     foreign key (area_id, activity_id) references activity (area_id, id),
     foreign key (area_id, provider_id) references provider (area_id, id),
     foreign key (area_id, credit_id) references credit (area_id, id),
     check ((status = 'pending') = (decided_at is null)),
     check (status <> 'approved' or credit_id is not null),
     check (status <> 'rejected' or reason is not null or refusal_code is not null)
   )`,
  `create unique index credit_claim_one_pending on credit_claim (area_id, child_id, session_id) where status = 'pending'`,
  // The provider's queue, and a family's list.
  `create index credit_claim_provider_idx on credit_claim (area_id, provider_id, status, created_at)`,
  `create index credit_claim_claimed_by_idx on credit_claim (area_id, claimed_by, created_at)`,
  `create index credit_claim_child_session_idx on credit_claim (area_id, child_id, session_id)`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
