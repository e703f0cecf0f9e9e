import { sql } from "kysely";
import nodemailer from "nodemailer";
import type { DB } from "~/modules/db/database.server";
import { useMailTransport } from "~/modules/email/email.server";

/** The latest email kept for an address. */
export async function lastEmailTo(db: DB, to: string) {
  return db.selectFrom("outbox_email").selectAll().where("to_email", "=", to).orderBy("id", "desc").executeTakeFirstOrThrow();
}

export async function emailCount(db: DB, to: string) {
  const row = await db
    .selectFrom("outbox_email")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("to_email", "=", to)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The token of the first absolute link to `path` (e.g. "invite") in an email body. */
export function tokenIn(body: string, path: string) {
  const match = new RegExp(`https?://[^\\s/]+/${path}/([A-Za-z0-9_.-]+)`).exec(body);
  if (!match) throw new Error(`No /${path}/ link in:\n${body}`);
  return match[1]!;
}

/** Every table (by name) whose rows, as text, contain `needle`: used to prove a secret is stored nowhere in clear. */
export async function tablesContaining(db: DB, needle: string) {
  const tables = await sql<{
    name: string;
  }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
  const found: string[] = [];
  for (const { name } of tables.rows) {
    const hit = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)} as t where t::text like ${`%${needle}%`}`.execute(db);
    if (Number(hit.rows[0]?.n) > 0) found.push(name);
  }
  return found;
}

/** An email as the mail server received it (what the recipient reads, links and all). */
export interface DeliveredMail {
  to: string;
  subject: string;
  text: string;
  language: string;
}

let delivered: DeliveredMail[] | null = null;

/**
 * A mailbox that receives what Pasbort sends, through nodemailer as with SMTP_URL, for the
 * test file that opens it: the only place a test can read a link meant for its recipient.
 */
export function openMailbox() {
  const received: DeliveredMail[] = [];
  delivered = received;
  useMailTransport(
    nodemailer.createTransport({
      name: "test-mailbox",
      version: "1",
      send(mail, done) {
        const { to, subject, text, headers } = mail.data;
        received.push({
          to: String(to),
          subject: String(subject),
          text: String(text),
          language: String((headers as Record<string, string>)["Content-Language"]),
        });
        done(null, {
          envelope: mail.message.getEnvelope(),
          messageId: mail.message.messageId(),
          accepted: [String(to)],
          rejected: [],
          pending: [],
          response: "250 kept",
        });
      },
    }),
  );
  return received;
}

/** The latest email the mailbox received for an address. */
export function lastMailTo(to: string): DeliveredMail {
  if (!delivered) throw new Error("No mailbox: call openMailbox() first.");
  const mail = delivered.filter((candidate) => candidate.to === to).at(-1);
  if (!mail) throw new Error(`No email to ${to} was sent.`);
  return mail;
}
