import { sql, type Kysely } from "kysely";

/**
 * Learning Destinations and activities: applications, validation decisions, where an activity
 * happens, and repeating sessions. Forward-only additions to the tables of 0001 (every new
 * column is nullable or has a default, so existing rows and the demo stay valid).
 */
const statements = [
  // An application to be a Learning Destination, made without an account: what it offers,
  // the language it was written in (for the emails back), and a private status link whose
  // token is stored only as a hash.
  `alter table provider
     add column activities_summary text,
     add column application_language text not null default 'cy' check (application_language in ('cy', 'en')),
     add column application_token_hash text,
     add column submitted_at timestamptz,
     add column decided_at timestamptz,
     add column decided_by uuid references app_user (id)`,
  `create unique index provider_application_token_idx on provider (application_token_hash) where application_token_hash is not null`,
  `create index provider_status_idx on provider (area_id, status, validated_until)`,

  // Where an activity happens (a provider may run things in several towns), why its status is
  // what it is, and when it was last sent for validation.
  `alter table activity
     add column venue text,
     add column town text,
     add column la_code text,
     add column status_reason text,
     add column validated_at timestamptz,
     add column submitted_at timestamptz,
     add column updated_at timestamptz not null default now()`,
  `create index activity_status_idx on activity (area_id, status, validated_until)`,

  // Sessions made together as a weekly series share series_id; a cancellation says who and why.
  `alter table activity_session
     add column series_id uuid,
     add column cancelled_by uuid references app_user (id),
     add column cancel_reason text`,
  `create index activity_session_starts_idx on activity_session (area_id, starts_at)`,

  // Every validation decision, kept for good: the provider or activity row holds only the latest.
  `create table validation_decision (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     provider_id uuid not null,
     activity_id uuid,
     decision text not null check (decision in ('validated', 'changes_requested', 'refused')),
     reason text,
     criteria jsonb not null default '{}',
     validated_until date,
     decided_by uuid references app_user (id),
     decided_at timestamptz not null default now(),
     primary key (area_id, id),
     foreign key (area_id, provider_id) references provider (area_id, id),
     foreign key (area_id, activity_id) references activity (area_id, id),
     check ((decision = 'validated') = (validated_until is not null)),
     check (decision = 'validated' or reason is not null)
   )`,
  `create index validation_decision_subject_idx on validation_decision (area_id, provider_id, activity_id, decided_at)`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
