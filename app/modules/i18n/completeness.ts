type Tree = { [key: string]: string | Tree };

/** Flattens nested strings to dotted keys, folding plural forms (hours_one, hours_few…) into their base key. */
export function flattenKeys(tree: Tree, prefix = ""): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") {
      const base = path.replace(/_(zero|one|two|few|many|other)$/, "");
      keys.set(base, [...(keys.get(base) ?? []), value]);
    } else {
      for (const [child, values] of flattenKeys(value, path)) keys.set(child, values);
    }
  }
  return keys;
}

/** Problems that make a page fall back to a key or to the other language. */
export function compareLocales(cy: Tree, en: Tree): string[] {
  const welsh = flattenKeys(cy);
  const english = flattenKeys(en);
  const problems: string[] = [];
  for (const key of english.keys()) if (!welsh.has(key)) problems.push(`"${key}" is in English only`);
  for (const key of welsh.keys()) if (!english.has(key)) problems.push(`"${key}" is in Welsh only`);
  for (const [language, keys] of [
    ["Welsh", welsh],
    ["English", english],
  ] as const) {
    for (const [key, values] of keys) if (values.some((value) => !value.trim())) problems.push(`"${key}" is empty in ${language}`);
  }
  return problems;
}
