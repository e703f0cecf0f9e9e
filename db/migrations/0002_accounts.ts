import { sql, type Kysely } from "kysely";

/**
 * Accounts: sign-in sessions, invitations, one-time links (password reset, email
 * confirmation), the email outbox, API tokens for provider devices and sign-in rate limits.
 * Secrets are stored only as SHA-256 hashes; the plain token exists in the link or on screen once.
 */
const statements = [
  `create table auth_session (
     id text primary key,
     user_id uuid not null references app_user (id) on delete cascade,
     expires_at timestamptz not null,
     active_membership_id uuid,
     created_at timestamptz not null default now()
   )`,
  `create index auth_session_user_idx on auth_session (user_id)`,

  `create table invitation (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     email text not null check (email = lower(email)),
     role text not null check (role in ('coordinator', 'school', 'provider_owner', 'provider_member', 'guardian', 'viewer')),
     school_id uuid,
     provider_id uuid,
     language text not null default 'cy' check (language in ('cy', 'en')),
     token_hash text not null,
     invited_by uuid references app_user (id),
     expires_at timestamptz not null,
     accepted_at timestamptz,
     accepted_by uuid references app_user (id),
     created_at timestamptz not null default now(),
     primary key (area_id, id),
     unique (area_id, token_hash),
     foreign key (area_id, school_id) references school (area_id, id),
     foreign key (area_id, provider_id) references provider (area_id, id)
   )`,
  `create index invitation_token_idx on invitation (token_hash)`,

  `create table user_token (
     token_hash text primary key,
     user_id uuid not null references app_user (id) on delete cascade,
     purpose text not null check (purpose in ('password_reset', 'email_confirmation')),
     expires_at timestamptz not null,
     used_at timestamptz,
     created_at timestamptz not null default now()
   )`,
  `create index user_token_user_idx on user_token (user_id, purpose)`,

  `create table outbox_email (
     id bigint generated always as identity primary key,
     area_id uuid references area (id),
     to_email text not null,
     language text not null check (language in ('cy', 'en')),
     subject text not null,
     body_text text not null,
     transport text not null check (transport in ('smtp', 'outbox')),
     created_at timestamptz not null default now()
   )`,
  `create index outbox_email_area_idx on outbox_email (area_id, created_at)`,

  `create table api_token (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     provider_id uuid not null,
     name text not null,
     token_hash text not null,
     token_hint text not null,
     created_by uuid references app_user (id),
     created_at timestamptz not null default now(),
     last_used_at timestamptz,
     revoked_at timestamptz,
     revoked_by uuid references app_user (id),
     primary key (area_id, id),
     unique (area_id, token_hash),
     foreign key (area_id, provider_id) references provider (area_id, id)
   )`,
  `create index api_token_hash_idx on api_token (token_hash)`,

  `create table rate_limit (
     key text primary key,
     window_started_at timestamptz not null,
     attempts integer not null
   )`,

  `create unique index membership_unique_role on membership (area_id, user_id, role, coalesce(school_id, '00000000-0000-0000-0000-000000000000'), coalesce(provider_id, '00000000-0000-0000-0000-000000000000'))`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
