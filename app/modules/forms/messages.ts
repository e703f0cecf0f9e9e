import type en from "../i18n/locales/en.json";

type Leaves<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** A plural's base key ("signIn.rateLimited" for rateLimited_one/_other), as t() is given it. */
type PluralBase<K> = K extends `${infer Base}_${"zero" | "one" | "two" | "few" | "many" | "other"}` ? Base : never;

type LocaleKey = Leaves<typeof en>;

/**
 * A translation key of the English strings (i18n:check keeps Welsh in step), so a misspelt
 * message in a form schema fails `npm run typecheck` instead of showing "Check this answer".
 */
export type MessageKey = LocaleKey | PluralBase<LocaleKey>;

/** Marks a string as a translation key, checked by the type checker: `z.string({ error: message("forms.emailRequired") })`. */
export const message = <K extends MessageKey>(key: K): K => key;
