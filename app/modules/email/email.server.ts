import nodemailer, { type Transporter } from "nodemailer";
import type { DB } from "../db/database.server";
import type { Language } from "../db/schema";

export interface Email {
  to: string;
  language: Language;
  subject: string;
  text: string;
  areaId?: string | null;
}

let transporter: Transporter | null | undefined;

/** SMTP when SMTP_URL is set; otherwise none, and messages stay in the outbox. */
function smtp(): Transporter | null {
  if (transporter === undefined) {
    transporter = process.env.SMTP_URL ? nodemailer.createTransport(process.env.SMTP_URL) : null;
  }
  return transporter;
}

/**
 * Sends an email over SMTP when SMTP_URL is set. Every message is also recorded in the
 * outbox table, so that without a mail server (the embedded demo) invitations and resets can
 * still be followed: a coordinator reads the outbox in the app, and the log says it was queued.
 */
export async function sendEmail(db: DB, email: Email) {
  const transport = smtp();
  if (transport) {
    await transport.sendMail({
      from: process.env.MAIL_FROM || "Pasbort <no-reply@pasbort.invalid>",
      to: email.to,
      subject: email.subject,
      text: email.text,
      headers: { "Content-Language": email.language },
    });
  } else {
    console.log(`Email to ${email.to} kept in the outbox (no SMTP_URL): ${email.subject}`);
  }
  await db
    .insertInto("outbox_email")
    .values({
      area_id: email.areaId ?? null,
      to_email: email.to,
      language: email.language,
      subject: email.subject,
      body_text: email.text,
      transport: transport ? "smtp" : "outbox",
    })
    .execute();
}
