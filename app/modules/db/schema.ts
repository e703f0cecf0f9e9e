import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/** A timestamp column: read as a Date, written as a Date or an ISO string; set by default. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date, 'YYYY-MM-DD' both ways. */
type CalendarDate = string;
type Json<T> = ColumnType<T, string | T, string | T>;

export type Language = "cy" | "en";
export type Role = "coordinator" | "school" | "provider_owner" | "provider_member" | "guardian" | "viewer";
export type Category = "sport" | "volunteering" | "nature" | "arts" | "stem" | "reading" | "community" | "welsh";
export type ProviderKind = Category | "school" | "other";
/** The Skills Builder Universal Framework's eight essential skills (migration 0020). */
export type Skill = "listening" | "speaking" | "problem_solving" | "creativity" | "staying_positive" | "aiming_high" | "leadership" | "teamwork";
/** What a child may say they liked about an activity (migration 0020). */
export type RatingLike = "trying_new" | "friends" | "learning" | "moving" | "making" | "outdoors" | "helping" | "the_leaders";
export type Wish = Category | "something_else";
/** Free words from a child, after screening: shown to coordinators, or withheld. */
export type WordsStatus = "shown" | "withheld";
export type CostBand = "free" | "low" | "paid";
export type CreditMethod = "passport_scan" | "session_code" | "roster" | "import";
export type ValidationStatus = "pending" | "changes_requested" | "validated" | "refused" | "suspended";
export type ActivityStatus = "draft" | "pending" | "changes_requested" | "validated" | "refused" | "withdrawn";

export interface AppMetaTable {
  key: string;
  value: Json<unknown>;
  updated_at: Generated<Date>;
}

export interface LsoaTable {
  code: string;
  name: string;
  la_code: string;
  la_name: string;
  msoa_code: string;
  msoa_name: string;
  rural_urban_code: string;
  rural_urban_name: string;
  wimd_score: number;
  wimd_rank: number;
  wimd_decile: number;
  wimd_quintile: number;
  income_rank: number;
  employment_rank: number;
  health_rank: number;
  education_rank: number;
  access_rank: number;
  housing_rank: number;
  community_safety_rank: number;
  physical_environment_rank: number;
}

/** The LSOAs of 2021 with WIMD 2025 (reference data; `lsoa` holds 2011 and WIMD 2019). */
export interface Lsoa21Table {
  code: string;
  name: string;
  la_code: string;
  la_name: string;
  wimd_rank: number;
  wimd_decile: number;
  wimd_quintile: number;
  income_rank: number;
  employment_rank: number;
  health_rank: number;
  education_rank: number;
  access_rank: number;
  housing_rank: number;
  community_safety_rank: number;
  physical_environment_rank: number;
}

/** The ONS exact-fit lookup of 2011 to 2021 LSOAs: U unchanged, S split, M merged. */
export interface Lsoa11Lsoa21Table {
  lsoa11_code: string;
  lsoa21_code: string;
  change: "U" | "S" | "M" | "X";
}

export interface AreaSettings {
  /** Most hours one child can earn in a day, in quarter hours. */
  dailyCapQuarterHours?: number;
  /** How long after a session ends credits can still be issued for it, in minutes. */
  creditWindowMinutes?: number;
  /** How long a validation of a Learning Destination or activity lasts, in months (default 12). */
  validationMonths?: number;
  /** How long after a session ends its printed claim code (poster) still works, in minutes (default 30). */
  claimGraceMinutes?: number;
}

export interface AreaTable {
  id: Generated<string>;
  slug: string;
  name_en: string;
  name_cy: string;
  passport_prefix: string;
  settings: Json<AreaSettings>;
  created_at: CreatedAt;
}

export interface AreaLocalAuthorityTable {
  area_id: string;
  la_code: string;
}

export interface AppUserTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string | null;
  preferred_language: Generated<Language>;
  email_verified_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface SchoolTable {
  area_id: string;
  id: Generated<string>;
  name: string;
  la_code: string;
  /** 2011 LSOA (WIMD 2019). */
  lsoa_code: string | null;
  /** 2021 LSOA (WIMD 2025); null while a split 2011 LSOA waits for a postcode. */
  lsoa21_code: Generated<string | null>;
  welsh_medium: Generated<boolean>;
  created_at: CreatedAt;
}

export interface ProviderTable {
  area_id: string;
  id: Generated<string>;
  name_en: string;
  name_cy: string | null;
  kind: ProviderKind;
  town: string | null;
  la_code: string | null;
  /** 2011 LSOA (WIMD 2019). */
  lsoa_code: string | null;
  /** 2021 LSOA (WIMD 2025); null while a split 2011 LSOA waits for a postcode. */
  lsoa21_code: Generated<string | null>;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  status: Generated<ValidationStatus>;
  status_reason: string | null;
  validated_at: Timestamp | null;
  validated_until: CalendarDate | null;
  safeguarding: Json<Record<string, boolean>>;
  created_at: CreatedAt;
  activities_summary: string | null;
  application_language: Generated<Language>;
  application_token_hash: string | null;
  submitted_at: Timestamp | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

export interface MembershipTable {
  area_id: string;
  id: Generated<string>;
  user_id: string;
  role: Role;
  school_id: string | null;
  provider_id: string | null;
  created_at: CreatedAt;
}

export interface ActivityTable {
  area_id: string;
  id: Generated<string>;
  provider_id: string;
  title_en: string | null;
  title_cy: string | null;
  description_en: string | null;
  description_cy: string | null;
  category: Category;
  credit_quarter_hours: number;
  term_cap_quarter_hours: number | null;
  cost_band: CostBand;
  price_pence: number | null;
  min_age: number | null;
  max_age: number | null;
  welsh_language: Generated<boolean>;
  accessibility_notes: string | null;
  claims_need_approval: Generated<boolean>;
  status: Generated<ActivityStatus>;
  validated_until: CalendarDate | null;
  created_at: CreatedAt;
  venue: string | null;
  town: string | null;
  la_code: string | null;
  status_reason: string | null;
  validated_at: Timestamp | null;
  submitted_at: Timestamp | null;
  updated_at: Generated<Date>;
  /** Up to three of SKILLS (migration 0020). */
  skills: ColumnType<Skill[], Skill[] | undefined, Skill[]>;
}

export interface ActivitySessionTable {
  area_id: string;
  id: Generated<string>;
  activity_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  quarter_hours: number;
  capacity: number | null;
  cancelled_at: Timestamp | null;
  claim_secret: string;
  created_at: CreatedAt;
  series_id: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

export type ValidationDecisionKind = "validated" | "changes_requested" | "refused";

export interface ValidationDecisionTable {
  area_id: string;
  id: Generated<string>;
  provider_id: string;
  activity_id: string | null;
  decision: ValidationDecisionKind;
  reason: string | null;
  criteria: Json<Record<string, boolean>>;
  validated_until: CalendarDate | null;
  decided_by: string | null;
  decided_at: CreatedAt;
}

/**
 * Set for every active child (a check constraint says so) and erased (null) when a child is
 * withdrawn. Withdrawn children are invisible to every scoped query (access.server.ts), so
 * reads of these columns see the value; only the anonymising update writes null.
 */
type Erasable<T> = ColumnType<T, T, T | null>;

export interface ChildTable {
  area_id: string;
  id: Generated<string>;
  passport_number: Erasable<string>;
  passport_token: Erasable<string>;
  given_name: Erasable<string>;
  family_name: Erasable<string>;
  birth_year: number;
  birth_month: Erasable<number>;
  school_id: string | null;
  school_pupil_ref: string | null;
  /** Home LSOA of 2011 (WIMD 2019); kept when the LSOA moved, so old reports stay the same. */
  home_lsoa_code: string | null;
  /**
   * Home LSOA of 2021 (WIMD 2025). Null with a 2011 code: that LSOA was split, and the child
   * waits for the postcode to be asked again (counted "not known" under WIMD 2025).
   */
  home_lsoa21_code: Generated<string | null>;
  preferred_language: Generated<Language>;
  consent_version: string | null;
  consent_at: Timestamp | null;
  equity_consent_at: Timestamp | null;
  efsm: boolean | null;
  aln: boolean | null;
  care_experienced: boolean | null;
  young_carer: boolean | null;
  status: Generated<"active" | "withdrawn">;
  retention_until: CalendarDate | null;
  created_at: CreatedAt;
  passport_issued_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** 0 = Reception … 13 = Year 13, as the school's roster says. */
  year_group: number | null;
  class_name: string | null;
  registered_by: string | null;
  /** 'transfer': made from another Children's University's record (ADR 0036), with no guardian until one links. */
  registered_via: Generated<"guardian" | "school_roster" | "transfer">;
  withdrawn_at: Timestamp | null;
  withdrawn_reason: "guardian" | "retention" | null;
  /** Random record key 0–255 for disclosure control (docs/statistics.md); set once, never shown. */
  cell_key: Generated<number>;
}

/** Children aged 5–14 per LSOA (imported; reference data shared by all areas). */
export interface LsoaPopulationTable {
  lsoa_code: string;
  population_5_14: number;
  source: string | null;
  imported_at: Generated<Date>;
}

/** Children aged 5–14 per 2021 LSOA (imported; reference data shared by all areas). */
export interface Lsoa21PopulationTable {
  lsoa21_code: string;
  population_5_14: number;
  source: string | null;
  imported_at: Generated<Date>;
}

export interface PostcodeLsoaTable {
  postcode: string;
  /** The 2011 LSOA, when the directory gives one. */
  lsoa_code: string | null;
  /** The 2021 LSOA, when the directory gives one. */
  lsoa21_code: Generated<string | null>;
}

export interface ChildConsentTable {
  area_id: string;
  id: Generated<string>;
  child_id: string;
  purpose: "passport" | "equity";
  version: string;
  method: "guardian_form" | "school_roster" | "guardian_link";
  given_by: string | null;
  given_at: ColumnType<Date, Date | string | undefined, Date | string>;
  withdrawn_at: Timestamp | null;
  withdrawn_by: string | null;
}

export interface PassportReplacementTable {
  area_id: string;
  id: Generated<string>;
  child_id: string;
  old_token_hash: string;
  replaced_by: string | null;
  replaced_at: CreatedAt;
}

export interface ChildLinkTable {
  area_id: string;
  id: Generated<string>;
  child_id: string;
  kind: "letter" | "guardian_invite";
  secret_hash: string;
  email: string | null;
  language: Generated<Language>;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  used_by: string | null;
  revoked_at: Timestamp | null;
}

export interface RosterImportTable {
  area_id: string;
  id: Generated<string>;
  school_id: string;
  uploaded_by: string | null;
  uploaded_at: CreatedAt;
  file_sha256: string;
  encoding: string;
  rows_total: number;
  rows_valid: number;
  pending_rows: Json<unknown[]> | null;
  status: Generated<"previewed" | "imported" | "discarded" | "expired">;
  imported_at: Timestamp | null;
  rows_created: number | null;
  rows_updated: number | null;
}

export interface RosterOptOutTable {
  area_id: string;
  school_id: string;
  pupil_ref_hash: string;
  created_at: CreatedAt;
}

export interface GuardianChildTable {
  area_id: string;
  user_id: string;
  child_id: string;
  created_at: CreatedAt;
}

export interface CreditTable {
  area_id: string;
  id: Generated<string>;
  child_id: string;
  provider_id: string;
  activity_id: string;
  session_id: string;
  quarter_hours: number;
  earned_on: CalendarDate;
  method: CreditMethod;
  issued_by: string | null;
  idempotency_key: string;
  /** Whose keys these are (migration 0021): the guardian for a claim, the provider for anything else. Generated. */
  idempotency_scope: ColumnType<string, never, never>;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

/**
 * Derived ledger sums (migration 0011), kept by the credit_ledger_totals trigger: never
 * written by the app. Unrevoked credits per child and school term (term_from = termOf().from).
 */
export interface LedgerChildTermTable {
  area_id: string;
  child_id: string;
  term_from: CalendarDate;
  quarter_hours: number;
  credits: number;
}

/** Derived: each child's unrevoked credits' quarter-hours (migration 0011). */
export interface LedgerChildTotalTable {
  area_id: string;
  child_id: string;
  quarter_hours: number;
}

export type ClaimStatus = "pending" | "approved" | "rejected";
export type ClaimCodeKind = "screen" | "poster" | "typed";

/** A guardian's claim by session code, waiting for (or decided by) the provider. */
export interface CreditClaimTable {
  area_id: string;
  id: Generated<string>;
  child_id: string;
  session_id: string;
  activity_id: string;
  provider_id: string;
  claimed_by: string;
  code_kind: ClaimCodeKind;
  status: Generated<ClaimStatus>;
  idempotency_key: string;
  /** Staff's reason for rejecting. */
  reason: string | null;
  /** The ledger's refusal when approving could not add the credit (e.g. DAILY_CAP_REACHED). */
  refusal_code: string | null;
  credit_id: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface AwardLevelTable {
  area_id: string;
  id: Generated<string>;
  threshold_hours: number;
  name_en: string;
  name_cy: string;
  stage: "undergraduate" | "postgraduate" | "doctorate";
  tier: "bronze" | "silver" | "gold" | null;
}

export interface AwardTable {
  area_id: string;
  child_id: string;
  award_level_id: string;
  reached_on: CalendarDate;
  created_at: CreatedAt;
  certified_at: Timestamp | null;
  flagged_at: Timestamp | null;
  /** The coordinator kept this certified award although the hours fell below it. */
  kept_at: Timestamp | null;
}

export interface GraduationTable {
  area_id: string;
  id: Generated<string>;
  name: string;
  held_on: CalendarDate;
  venue: string;
  cutoff_on: CalendarDate;
  /** Start time of the ceremony, 'HH:MM:SS' from both drivers (Postgres `time`); null for graduations made before it was stored. */
  starts_at: string | null;
  graduated_at: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface GraduateTable {
  area_id: string;
  graduation_id: string;
  child_id: string;
  award_level_id: string;
  invited_at: Timestamp | null;
  attended: Generated<boolean>;
}

export interface CertificateTable {
  /** The public verification id: /verify/<id>. */
  id: Generated<string>;
  area_id: string;
  serial: number;
  child_id: string;
  award_level_id: string;
  graduation_id: string | null;
  award_name_en: string;
  award_name_cy: string;
  threshold_hours: number;
  reached_on: CalendarDate;
  issued_at: CreatedAt;
  issued_by: string | null;
  revoked_at: Timestamp | null;
  revoke_reason: string | null;
}

export interface AuditEventTable {
  id: Generated<number>;
  area_id: string | null;
  at: CreatedAt;
  actor_user_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  details: Json<Record<string, unknown>>;
}

export interface AuthSessionTable {
  id: string;
  /** A person's session; null for a child's (migration 0020), which has child_id instead. */
  user_id: string | null;
  child_area_id: string | null;
  child_id: string | null;
  expires_at: Timestamp;
  active_membership_id: string | null;
  created_at: CreatedAt;
}

/** A child's rating of an activity, one per term (migration 0020, issue 16). */
export interface ChildRatingTable {
  area_id: string;
  id: Generated<string>;
  child_id: string;
  activity_id: string;
  term_from: CalendarDate;
  face: number;
  likes: ColumnType<RatingLike[], RatingLike[] | undefined, RatingLike[]>;
  words: string | null;
  words_status: WordsStatus | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** A kind of activity a child would like to try (migration 0020, issue 16). */
export interface ChildWishTable {
  area_id: string;
  child_id: string;
  wish: Wish;
  words: string | null;
  words_status: WordsStatus | null;
  created_at: CreatedAt;
}

/** A child's own sign-in card (migration 0020): a short code and a hashed picture code. */
export interface ChildSignInCardTable {
  area_id: string;
  id: Generated<string>;
  child_id: string;
  code: string;
  picture_code_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  last_signed_in_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export interface InvitationTable {
  area_id: string;
  id: Generated<string>;
  email: string;
  role: Role;
  school_id: string | null;
  provider_id: string | null;
  language: Generated<Language>;
  token_hash: string;
  invited_by: string | null;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_by: string | null;
  created_at: CreatedAt;
}

export interface UserTokenTable {
  token_hash: string;
  user_id: string;
  purpose: "password_reset" | "email_confirmation";
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface OutboxEmailTable {
  id: Generated<number>;
  area_id: string | null;
  to_email: string;
  language: Language;
  subject: string;
  body_text: string;
  transport: "smtp" | "outbox";
  created_at: CreatedAt;
}

export interface ApiTokenTable {
  area_id: string;
  id: Generated<string>;
  provider_id: string;
  name: string;
  token_hash: string;
  token_hint: string;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export interface RateLimitTable {
  key: string;
  window_started_at: Timestamp;
  attempts: number;
  /** Growing-delay keys only: refused until then. */
  blocked_until: Timestamp | null;
}

export interface Database {
  app_meta: AppMetaTable;
  lsoa: LsoaTable;
  lsoa21: Lsoa21Table;
  lsoa11_lsoa21: Lsoa11Lsoa21Table;
  area: AreaTable;
  area_local_authority: AreaLocalAuthorityTable;
  app_user: AppUserTable;
  school: SchoolTable;
  provider: ProviderTable;
  membership: MembershipTable;
  activity: ActivityTable;
  activity_session: ActivitySessionTable;
  validation_decision: ValidationDecisionTable;
  child: ChildTable;
  child_sign_in_card: ChildSignInCardTable;
  child_rating: ChildRatingTable;
  child_wish: ChildWishTable;
  guardian_child: GuardianChildTable;
  postcode_lsoa: PostcodeLsoaTable;
  lsoa_population: LsoaPopulationTable;
  lsoa21_population: Lsoa21PopulationTable;
  child_consent: ChildConsentTable;
  passport_replacement: PassportReplacementTable;
  child_link: ChildLinkTable;
  roster_import: RosterImportTable;
  roster_opt_out: RosterOptOutTable;
  credit: CreditTable;
  ledger_child_term: LedgerChildTermTable;
  ledger_child_total: LedgerChildTotalTable;
  credit_claim: CreditClaimTable;
  award_level: AwardLevelTable;
  award: AwardTable;
  graduation: GraduationTable;
  graduate: GraduateTable;
  certificate: CertificateTable;
  audit_event: AuditEventTable;
  auth_session: AuthSessionTable;
  invitation: InvitationTable;
  user_token: UserTokenTable;
  outbox_email: OutboxEmailTable;
  api_token: ApiTokenTable;
  rate_limit: RateLimitTable;
  credential_issuer: CredentialIssuerTable;
  credential_issuer_key: CredentialIssuerKeyTable;
  badge_credential: BadgeCredentialTable;
  trusted_issuer: TrustedIssuerTable;
  transferred_record: TransferredRecordTable;
  impact_release: ImpactReleaseTable;
}

/** An area's Open Badges issuer (migration 0023, docs/credentials.md). */
export interface CredentialIssuerTable {
  area_id: string;
  /** did:web:<host>:issuers:<area slug>, fixed when the first key is made. */
  did: string;
  /** The deployment's address when the issuer was made: where its documents are published. */
  base_url: string;
  created_at: CreatedAt;
}

export interface CredentialIssuerKeyTable {
  area_id: string;
  key_number: number;
  public_key_multibase: string;
  /** AES-256-GCM under CREDENTIAL_KEY_SECRET; null once the key is retired. */
  sealed_secret_key: string | null;
  created_at: CreatedAt;
  retired_at: Timestamp | null;
}

export interface BadgeCredentialTable {
  certificate_id: string;
  area_id: string;
  /** The signed OpenBadgeCredential, exactly as issued (JSON text). */
  credential: string;
  issued_at: CreatedAt;
}

/** Another Children's University's issuer, trusted when its records were imported here (migration 0027). */
export interface TrustedIssuerTable {
  did: string;
  name: string;
  /** Its DID document as the transfer file carried it (JSON text). */
  did_document: string;
  /** Its signed Bitstring Status List credentials as the transfer file carried them (JSON array text). */
  status_lists: string;
  /** The area whose coordinator decided to trust it. */
  area_id: string;
  trusted_by: string | null;
  trusted_at: CreatedAt;
  /** When a later transfer file last replaced its documents. */
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** One child's record transferred from another Children's University (migration 0027). */
export interface TransferredRecordTable {
  id: Generated<string>;
  area_id: string;
  from_issuer: string;
  given_name: string;
  family_name: string;
  birth_year: number | null;
  /** Hours, awards and school as exported (JSON text). */
  record: string;
  /** The child's badges exactly as signed (JSON array text). */
  badges: string;
  /** The receiving area's child made from this record (migration 0031); null for one imported before. */
  child_id: string | null;
  /** SHA-256 of the sending issuer and the child's passport number there: finds the record again in a later file. */
  passport_key: string;
  imported_by: string | null;
  imported_at: CreatedAt;
}

export type Lsoa = Selectable<LsoaTable>;
export type NewLsoa = Insertable<LsoaTable>;
export type NewLsoa21 = Insertable<Lsoa21Table>;

/** A published impact report, kept as it was published (migration 0032, ADR 0041). */
export interface ImpactReleaseTable {
  area_id: string;
  id: Generated<string>;
  /** The local authority of an LA's report, or null. */
  la_code: string | null;
  /** The school of a school's report, or null (the area's report has neither). */
  school_id: string | null;
  /** The academic year, "2025-26". */
  year: string;
  edition: string;
  /** The ImpactReport object as published. */
  report: Json<unknown>;
  published_at: CreatedAt;
  published_by: string | null;
}
