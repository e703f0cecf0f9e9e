import { sql, type Kysely } from "kysely";

/**
 * The first schema. Every table that holds an area's data carries area_id, and area_id is
 * part of its primary key and of every unique constraint and foreign key, so areas stay
 * isolated and the schema can be distributed by area_id (Citus) without change.
 */
const statements = [
  `create table app_meta (
     key text primary key,
     value jsonb not null,
     updated_at timestamptz not null default now()
   )`,

  `create table lsoa (
     code text primary key check (code ~ '^W01[0-9]{6}$'),
     name text not null,
     la_code text not null,
     la_name text not null,
     msoa_code text not null,
     msoa_name text not null,
     rural_urban_code text not null,
     rural_urban_name text not null,
     wimd_score real not null,
     wimd_rank integer not null check (wimd_rank between 1 and 1909),
     wimd_decile smallint not null check (wimd_decile between 1 and 10),
     wimd_quintile smallint not null check (wimd_quintile between 1 and 5),
     income_rank integer not null,
     employment_rank integer not null,
     health_rank integer not null,
     education_rank integer not null,
     access_rank integer not null,
     housing_rank integer not null,
     community_safety_rank integer not null,
     physical_environment_rank integer not null
   )`,
  `create index lsoa_la_code_idx on lsoa (la_code)`,

  `create table area (
     id uuid primary key default gen_random_uuid(),
     slug text not null unique,
     name_en text not null,
     name_cy text not null,
     passport_prefix text not null unique check (passport_prefix ~ '^[A-Z]{2}$'),
     settings jsonb not null default '{}',
     created_at timestamptz not null default now()
   )`,
  `create table area_local_authority (
     area_id uuid not null references area (id),
     la_code text not null,
     primary key (area_id, la_code)
   )`,

  `create table app_user (
     id uuid primary key default gen_random_uuid(),
     email text not null unique check (email = lower(email)),
     display_name text not null,
     password_hash text,
     preferred_language text not null default 'cy' check (preferred_language in ('cy', 'en')),
     email_verified_at timestamptz,
     created_at timestamptz not null default now()
   )`,

  `create table school (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     name text not null,
     la_code text not null,
     lsoa_code text references lsoa (code),
     welsh_medium boolean not null default false,
     created_at timestamptz not null default now(),
     primary key (area_id, id)
   )`,

  `create table provider (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     name_en text not null,
     name_cy text,
     kind text not null check (kind in ('sport', 'volunteering', 'nature', 'arts', 'stem', 'reading', 'community', 'welsh', 'school', 'other')),
     town text,
     la_code text,
     lsoa_code text references lsoa (code),
     contact_name text,
     contact_email text,
     contact_phone text,
     status text not null default 'pending' check (status in ('pending', 'changes_requested', 'validated', 'refused', 'suspended')),
     status_reason text,
     validated_at timestamptz,
     validated_until date,
     safeguarding jsonb not null default '{}',
     created_at timestamptz not null default now(),
     primary key (area_id, id)
   )`,

  `create table membership (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     user_id uuid not null references app_user (id),
     role text not null check (role in ('coordinator', 'school', 'provider_owner', 'provider_member', 'guardian', 'viewer')),
     school_id uuid,
     provider_id uuid,
     created_at timestamptz not null default now(),
     primary key (area_id, id),
     foreign key (area_id, school_id) references school (area_id, id),
     foreign key (area_id, provider_id) references provider (area_id, id),
     check ((role = 'school') = (school_id is not null)),
     check ((role in ('provider_owner', 'provider_member')) = (provider_id is not null))
   )`,
  `create index membership_user_idx on membership (user_id)`,

  `create table activity (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     provider_id uuid not null,
     title_en text,
     title_cy text,
     description_en text,
     description_cy text,
     category text not null check (category in ('sport', 'volunteering', 'nature', 'arts', 'stem', 'reading', 'community', 'welsh')),
     credit_quarter_hours integer not null check (credit_quarter_hours > 0),
     term_cap_quarter_hours integer check (term_cap_quarter_hours > 0),
     cost_band text not null check (cost_band in ('free', 'low', 'paid')),
     price_pence integer check (price_pence >= 0),
     min_age smallint,
     max_age smallint,
     welsh_language boolean not null default false,
     accessibility_notes text,
     claims_need_approval boolean not null default false,
     status text not null default 'pending' check (status in ('draft', 'pending', 'changes_requested', 'validated', 'refused', 'withdrawn')),
     validated_until date,
     created_at timestamptz not null default now(),
     primary key (area_id, id),
     foreign key (area_id, provider_id) references provider (area_id, id),
     check (title_en is not null or title_cy is not null)
   )`,
  `create index activity_provider_idx on activity (area_id, provider_id)`,

  `create table activity_session (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     activity_id uuid not null,
     starts_at timestamptz not null,
     ends_at timestamptz not null,
     quarter_hours integer not null check (quarter_hours > 0),
     capacity integer check (capacity > 0),
     cancelled_at timestamptz,
     claim_secret text not null,
     created_at timestamptz not null default now(),
     primary key (area_id, id),
     foreign key (area_id, activity_id) references activity (area_id, id),
     check (ends_at > starts_at)
   )`,
  `create index activity_session_activity_idx on activity_session (area_id, activity_id, starts_at)`,

  `create table child (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     passport_number text not null,
     passport_token text not null,
     given_name text not null,
     family_name text not null,
     birth_year smallint not null,
     birth_month smallint not null check (birth_month between 1 and 12),
     school_id uuid,
     school_pupil_ref text,
     home_lsoa_code text references lsoa (code),
     preferred_language text not null default 'cy' check (preferred_language in ('cy', 'en')),
     consent_version text,
     consent_at timestamptz,
     equity_consent_at timestamptz,
     efsm boolean,
     aln boolean,
     care_experienced boolean,
     young_carer boolean,
     status text not null default 'active' check (status in ('active', 'withdrawn')),
     retention_until date,
     created_at timestamptz not null default now(),
     primary key (area_id, id),
     unique (area_id, passport_number),
     unique (area_id, passport_token),
     foreign key (area_id, school_id) references school (area_id, id)
   )`,
  `create index child_passport_token_idx on child (passport_token)`,
  `create index child_school_idx on child (area_id, school_id)`,

  `create table guardian_child (
     area_id uuid not null references area (id),
     user_id uuid not null references app_user (id),
     child_id uuid not null,
     created_at timestamptz not null default now(),
     primary key (area_id, user_id, child_id),
     foreign key (area_id, child_id) references child (area_id, id)
   )`,

  `create table credit (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     child_id uuid not null,
     provider_id uuid not null,
     activity_id uuid not null,
     session_id uuid not null,
     quarter_hours integer not null check (quarter_hours > 0),
     earned_on date not null,
     method text not null check (method in ('passport_scan', 'session_code', 'roster', 'import')),
     issued_by uuid references app_user (id),
     idempotency_key text not null,
     created_at timestamptz not null default now(),
     revoked_at timestamptz,
     revoked_by uuid references app_user (id),
     revoke_reason text,
     primary key (area_id, id),
     unique (area_id, idempotency_key),
     foreign key (area_id, child_id) references child (area_id, id),
     foreign key (area_id, provider_id) references provider (area_id, id),
     foreign key (area_id, activity_id) references activity (area_id, id),
     foreign key (area_id, session_id) references activity_session (area_id, id),
     check ((revoked_at is null) = (revoke_reason is null))
   )`,
  `create unique index credit_one_per_child_session on credit (area_id, child_id, session_id) where revoked_at is null`,
  `create index credit_child_idx on credit (area_id, child_id, earned_on)`,
  `create index credit_earned_on_idx on credit (area_id, earned_on)`,

  `create table award_level (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     threshold_hours integer not null check (threshold_hours > 0),
     name_en text not null,
     name_cy text not null,
     stage text not null check (stage in ('undergraduate', 'postgraduate', 'doctorate')),
     tier text check (tier in ('bronze', 'silver', 'gold')),
     primary key (area_id, id),
     unique (area_id, threshold_hours)
   )`,

  `create table audit_event (
     id bigint generated always as identity primary key,
     area_id uuid references area (id),
     at timestamptz not null default now(),
     actor_user_id uuid references app_user (id),
     action text not null,
     subject_type text,
     subject_id text,
     details jsonb not null default '{}'
   )`,
  `create index audit_event_area_at_idx on audit_event (area_id, at)`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
