import nodemailer, { type Transporter } from "nodemailer";
import type { DB } from "../db/database.server";
import type { Language } from "../db/schema";
import { translator } from "../i18n/i18n";

export interface Email {
  to: string;
  language: Language;
  subject: string;
  text: string;
  areaId?: string | null;
  /**
   * The parts of `text` only the recipient may see: links that reset a password, confirm an
   * address, accept an invitation, link a child or open an application. They go in the email
   * sent and nowhere else: the outbox copy (which a coordinator reads) says a link was sent.
   */
  secrets?: readonly string[];
}

let transporter: Transporter | null | undefined;

/** SMTP when SMTP_URL is set; otherwise none, and nothing is sent. */
function mailTransport(): Transporter | null {
  if (transporter === undefined) {
    transporter = process.env.SMTP_URL ? nodemailer.createTransport(process.env.SMTP_URL) : null;
  }
  return transporter;
}

/** Sends mail through this transport instead of SMTP_URL's (a test's mailbox; null: none; undefined: SMTP_URL again). */
export function useMailTransport(transport: Transporter | null | undefined) {
  transporter = transport;
}

/** The text with each secret replaced by a note that it went to the recipient only. */
export function withoutSecrets(email: Pick<Email, "text" | "secrets" | "language">) {
  const note = translator(email.language)("outbox.linkWithheld");
  return (email.secrets ?? []).reduce((text, secret) => (secret ? text.replaceAll(secret, note) : text), email.text);
}

/**
 * Sends an email over SMTP when there is a mail server (SMTP_URL). Every message is also
 * recorded in the outbox table, without its secrets, so a coordinator can see what was sent
 * to whom, but never a link that would let them act as someone else. Without a mail server
 * nothing is sent: the log and the outbox say so, and a secret goes nowhere.
 */
export async function sendEmail(db: DB, email: Email) {
  const transport = mailTransport();
  if (transport) {
    await transport.sendMail({
      from: process.env.MAIL_FROM || "Pasbort <no-reply@pasbort.invalid>",
      to: email.to,
      subject: email.subject,
      text: email.text,
      headers: { "Content-Language": email.language },
    });
  } else {
    console.log(`Email to ${email.to} not sent (no SMTP_URL), listed in the outbox${email.secrets?.length ? " without its link" : ""}: ${email.subject}`);
  }
  await db
    .insertInto("outbox_email")
    .values({
      area_id: email.areaId ?? null,
      to_email: email.to,
      language: email.language,
      subject: email.subject,
      body_text: withoutSecrets(email),
      transport: transport ? "smtp" : "outbox",
    })
    .execute();
}

/**
 * The start-up line about mail: whether emails will be sent, and, when SMTP_URL is set but the
 * server does not answer, that they cannot be (checked once; start-up does not wait on it).
 */
export async function describeMail(env: Record<string, string | undefined> = process.env): Promise<{ ok: boolean; message: string }> {
  if (!env.SMTP_URL) {
    return {
      ok: false,
      message:
        "Mail: no SMTP_URL, so no email is sent (password resets, invitations, confirmations); the outbox lists them without their links. Set SMTP_URL to send them.",
    };
  }
  try {
    await nodemailer.createTransport(env.SMTP_URL).verify();
    return { ok: true, message: "Mail: sent through SMTP_URL." };
  } catch (error) {
    return {
      ok: false,
      message: `SMTP_URL: the mail server cannot be used (${error instanceof Error ? error.message : String(error)}); emails will fail until it answers.`,
    };
  }
}
