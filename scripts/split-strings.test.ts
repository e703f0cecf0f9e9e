import { describe, expect, it } from "vitest";
import { pick, stringsIn } from "./split-strings";

const namespaces = ["claims", "categories", "errors", "layout"];

describe("the strings a source file names (split-strings.ts)", () => {
  it("names a namespace's second-level key from a whole key, a deeper key, or a key's start", () => {
    const source = `t("claims.title"); t('layout.home'); t(\`claims.refused.\${which}.title\`); const key = "errors.notFound";`;
    expect(stringsIn(source, namespaces)).toEqual([
      ["claims", "title"],
      ["layout", "home"],
      ["claims", "refused"],
      ["errors", "notFound"],
    ]);
  });

  it("takes the whole namespace when the literal leaves the second-level key open", () => {
    expect(stringsIn("t(`categories.${activity.category}`)", namespaces)).toEqual([["categories", null]]);
    expect(stringsIn('t("claims." + code)', namespaces)).toEqual([["claims", null]]);
    expect(stringsIn("t(`errors.${kind}Title`)", namespaces)).toEqual([["errors", null]]);
    expect(stringsIn("t(`errors.not${kind}`)", namespaces)).toEqual([["errors", null]]);
  });

  it("ignores what is not a namespace (addresses, file names, other objects)", () => {
    expect(stringsIn(`"/claim.json"; "routes/claim.$token"; "activity.title"; 'claims'`, namespaces)).toEqual([]);
  });
});

describe("picking a route's strings", () => {
  const strings = {
    claims: { title: "Claim", added_one: "{{count}} added", added_other: "{{count}} added", addedBy: "By", refused: { expired: { title: "Gone" } } },
    categories: { sport: "Sport", arts: "Arts" },
  };

  it("brings a key with its plural forms and everything under it, and a whole namespace when asked", () => {
    const picked = pick(
      strings,
      new Map<string, "all" | Set<string>>([
        ["claims", new Set(["added", "refused"])],
        ["categories", "all"],
      ]),
    );
    expect(picked).toEqual({
      claims: { added_one: "{{count}} added", added_other: "{{count}} added", refused: { expired: { title: "Gone" } } },
      categories: { sport: "Sport", arts: "Arts" },
    });
  });
});
