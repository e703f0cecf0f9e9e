import { sql, type Kysely } from "kysely";

/**
 * Open Badges 3.0 credentials (issue 17, docs/credentials.md). Numbered 0023, not its reserved
 * 0016: 0020 had already landed, and the migrator runs them in name order, so a database that
 * ran 0020 would refuse an earlier name.
 *
 * - `credential_issuer`: an area's issuer identity, a did:web fixed when its first key is made,
 *   and the deployment address its documents are published at (`base_url`), so credentials
 *   already issued keep resolving if a request's origin differs later.
 * - `credential_issuer_key`: the area's Ed25519 key pairs. The secret key is sealed with
 *   AES-256-GCM under CREDENTIAL_KEY_SECRET (never plain text in a dump) and erased when the key
 *   is retired; the public key stays published so credentials signed with it still verify.
 *   One key at a time is the signing key (retired_at is null).
 * - `badge_credential`: the signed credential of a certificate, kept exactly as issued (text, so
 *   what is served is byte for byte what was signed). Its status-list index is the certificate's
 *   serial, and a revoked certificate is a revoked credential.
 */
const statements = [
  `create table credential_issuer (
     area_id uuid primary key references area (id),
     did text not null unique,
     base_url text not null,
     created_at timestamptz not null default now()
   )`,
  `create table credential_issuer_key (
     area_id uuid not null references credential_issuer (area_id),
     key_number integer not null check (key_number > 0),
     public_key_multibase text not null,
     sealed_secret_key text,
     created_at timestamptz not null default now(),
     retired_at timestamptz,
     primary key (area_id, key_number),
     check (retired_at is not null or sealed_secret_key is not null)
   )`,
  `create unique index credential_issuer_key_one_signing on credential_issuer_key (area_id) where retired_at is null`,
  `create table badge_credential (
     area_id uuid not null references area (id),
     certificate_id uuid not null unique references certificate (id),
     credential text not null,
     issued_at timestamptz not null default now(),
     primary key (area_id, certificate_id)
   )`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
