/**
 * The islands' stand-in for i18n.ts (scripts/build-islands.mjs puts it in i18n.ts's place; ADR
 * 0046). i18next is 44 KB of a 86 KB island, for what an island asks of it: a key looked up in the
 * same strings files, `{{name}}` filled in, a plural chosen by Intl.PluralRules, a default. This
 * does just that, as i18next does (island-i18n.test.ts compares the two on every string the app
 * has, in both languages); a string needing more of i18next fails that test.
 */
import { MISSING_STRING, type Language } from "~/modules/i18n/language";
import type { Translate } from "~/modules/i18n/i18n";

export * from "~/modules/i18n/language";
export type { Translate };

interface Strings {
  [key: string]: string | Strings;
}

const bundles: Record<Language, Strings> = { cy: {}, en: {} };

export function addStrings(language: Language, strings: Record<string, unknown>) {
  merge(bundles[language], strings as Strings);
}

function merge(into: Strings, from: Strings) {
  for (const [key, value] of Object.entries(from)) {
    const existing = into[key];
    if (typeof value === "object" && typeof existing === "object") merge(existing, value);
    else into[key] = typeof value === "object" ? merge({}, value) : value;
  }
  return into;
}

function lookup(language: Language, key: string): string | undefined {
  let node: string | Strings | undefined = bundles[language];
  for (const part of key.split(".")) node = typeof node === "object" ? node[part] : undefined;
  return typeof node === "string" ? node : undefined;
}

type Options = Record<string, unknown> & { count?: unknown; defaultValue?: unknown };

export function translator(language: Language): Translate {
  const rules = new Intl.PluralRules(language);
  const t = (key: string, options: Options = {}) => {
    // i18next's order: "_zero" for a count of 0, then the language's plural form, then the key itself.
    const keys = [key];
    if (typeof options.count === "number") {
      keys.push(`${key}_${rules.select(options.count)}`);
      if (options.count === 0) keys.push(`${key}_zero`);
    }
    let text: string | undefined;
    while (text === undefined && keys.length) text = lookup(language, keys.pop()!);
    if (text === undefined) {
      if (typeof options.defaultValue !== "string") {
        console.error(`${MISSING_STRING} ${key} (${language})`);
        return key;
      }
      text = options.defaultValue;
    }
    // As i18next: a name not given at all stays as it is written; one given as nothing is blank.
    return text.replace(/{{\s*([^{}\s]+)\s*}}/g, (placeholder, name: string) => (Object.hasOwn(options, name) ? String(options[name] ?? "") : placeholder));
  };
  return t as unknown as Translate;
}
