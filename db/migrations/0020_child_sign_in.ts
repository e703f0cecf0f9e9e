import { sql, type Kysely } from "kysely";

/**
 * A child's own sign-in (issue 16), without an email address: a card (a short code, also in
 * a QR code) and a picture code chosen with the guardian, stored only as an argon2 hash.
 * One card in use per child; revoking it keeps the row (so the guardian sees what happened)
 * but it can never sign in again. `last_signed_in_at` is the only sign-in record kept (data
 * minimised): the guardian sees it, the child's data download includes it.
 *
 * A child's session is a row of the one session table, `auth_session`, holding the child
 * instead of a person: exactly one of `user_id` and `child_id` is set. Erasing or withdrawing
 * a child ends their sessions (on delete cascade, and withdrawal deletes the cards).
 */
const statements = [
  `create table child_sign_in_card (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     child_id uuid not null,
     code text not null unique check (code ~ '^[A-Z2-9]{8}$'),
     picture_code_hash text not null,
     created_by uuid references app_user (id),
     created_at timestamptz not null default now(),
     last_signed_in_at timestamptz,
     revoked_at timestamptz,
     revoked_by uuid references app_user (id),
     primary key (area_id, id),
     foreign key (area_id, child_id) references child (area_id, id) on delete cascade
   )`,
  `create unique index child_sign_in_card_one_in_use on child_sign_in_card (area_id, child_id) where revoked_at is null`,

  `alter table auth_session alter column user_id drop not null`,
  `alter table auth_session add column child_area_id uuid`,
  `alter table auth_session add column child_id uuid`,
  `alter table auth_session add constraint auth_session_child_fk foreign key (child_area_id, child_id) references child (area_id, id) on delete cascade`,
  `alter table auth_session add constraint auth_session_person_or_child check ((user_id is null) <> (child_id is null) and (child_id is null) = (child_area_id is null))`,
  `create index auth_session_child_idx on auth_session (child_area_id, child_id) where child_id is not null`,

  `alter table activity add column skills text[] not null default '{}'
     check (skills <@ array['listening', 'speaking', 'problem_solving', 'creativity', 'staying_positive', 'aiming_high', 'leadership', 'teamwork']::text[]
            and cardinality(skills) <= 3)`,

  `create table child_rating (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     child_id uuid not null,
     activity_id uuid not null,
     term_from date not null,
     face smallint not null check (face between 1 and 5),
     likes text[] not null default '{}'
       check (likes <@ array['trying_new', 'friends', 'learning', 'moving', 'making', 'outdoors', 'helping', 'the_leaders']::text[]),
     words text check (char_length(words) <= 280),
     words_status text check (words_status in ('shown', 'withheld')),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (area_id, id),
     unique (area_id, child_id, activity_id, term_from),
     check ((words is null) = (words_status is null)),
     foreign key (area_id, child_id) references child (area_id, id) on delete cascade,
     foreign key (area_id, activity_id) references activity (area_id, id)
   )`,
  `create index child_rating_activity_idx on child_rating (area_id, activity_id)`,

  `create table child_wish (
     area_id uuid not null references area (id),
     child_id uuid not null,
     wish text not null check (wish in ('sport', 'volunteering', 'nature', 'arts', 'stem', 'reading', 'community', 'welsh', 'something_else')),
     words text check (char_length(words) <= 80),
     words_status text check (words_status in ('shown', 'withheld')),
     created_at timestamptz not null default now(),
     primary key (area_id, child_id, wish),
     check ((words is null) = (words_status is null)),
     check (words is null or wish = 'something_else'),
     foreign key (area_id, child_id) references child (area_id, id) on delete cascade
   )`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
