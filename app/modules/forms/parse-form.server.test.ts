import { describe, expect, it } from "vitest";
import { z } from "zod";
import { anyText, choice, fileField, flag, intent, listField, optionalCount, requiredText, sentText, trimmedText, yes } from "./fields.server";
import { failureOf } from "./form-result";
import { message } from "./messages";
import { isMessageKey, messageKey, parseForm } from "./parse-form.server";
import { invalid, parseValues, queryValues, readForm, readValues } from "./read-form.server";

const form = (entries: Array<[string, string | File]>) => {
  const formData = new FormData();
  for (const [name, value] of entries) formData.append(name, value);
  return formData;
};

describe("the one form layer", () => {
  it("checks a whole-form schema and hands back what was typed, never a password", () => {
    const schema = z.object({
      email: z.email({ error: message("forms.emailInvalid") }),
      password: z.string().min(1, { error: message("forms.passwordRequired") }),
    });
    const parsed = parseForm(
      schema,
      form([
        ["email", "not an email"],
        ["password", ""],
      ]),
    );
    expect(parsed).toEqual({
      ok: false,
      status: "error",
      errors: { email: "forms.emailInvalid", password: "forms.passwordRequired" },
      formError: null,
      values: { email: "not an email" },
    });
    expect(
      parseForm(
        schema,
        form([
          ["email", "a@b.cy"],
          ["password", "x"],
        ]),
      ),
    ).toEqual({ ok: true, data: { email: "a@b.cy", password: "x" } });
  });

  it("checks field by field, then across fields, and lists problems in the form's order", () => {
    const shape = { name: requiredText(10, message("forms.invalid"), message("forms.invalid")), count: optionalCount(message("activities.errors.ageRange")) };
    const parsed = parseForm(
      shape,
      form([
        ["count", "0"],
        ["name", " "],
      ]),
      () => ({ name: "forms.emailRequired", extra: "forms.passwordRequired" }),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.entries(parsed.errors)).toEqual([
      ["name", "forms.invalid"],
      ["count", "activities.errors.ageRange"],
      ["extra", "forms.passwordRequired"],
    ]);
    expect(parsed.values).toEqual({ count: "0", name: " " });
  });

  it("gives a list field every value, a file field its file, and text its first value", () => {
    const file = new File(["a,b"], "roster.csv", { type: "text/csv" });
    const parsed = parseForm(
      { shown: listField, none: listField, roster: fileField, empty: fileField, name: anyText, confirm: yes, intent: intent(["link", "discard"]) },
      form([
        ["shown", "a"],
        ["shown", "b"],
        ["roster", file],
        ["empty", new File([], "")],
        ["name", "first"],
        ["name", "second"],
        ["confirm", "yes"],
        ["intent", "drop"],
      ]),
    );
    expect(parsed).toEqual({ ok: true, data: { shown: ["a", "b"], none: [], roster: file, empty: null, name: "first", confirm: true, intent: null } });
  });

  it("shows only messages the strings have: zod's own English becomes 'Check this answer'", () => {
    expect(isMessageKey("forms.emailRequired")).toBe(true);
    expect(isMessageKey("signIn.rateLimited")).toBe(true); // a plural, by its base key
    expect(isMessageKey("forms.nope")).toBe(false);
    expect(isMessageKey("Invalid input. Expected string")).toBe(false);
    expect(messageKey("Too small: expected string to have >=1 characters")).toBe("forms.invalid");
    expect(parseForm(z.object({ n: z.string().min(3) }), form([["n", "a"]]))).toMatchObject({ errors: { n: "forms.invalid" } });
  });

  it("answers a failure with a 4xx and the one failure shape, which the page reads back", () => {
    const answer = invalid({ errors: { email: "forms.emailInvalid" }, values: { email: "x" } }, 422, { sentTo: null });
    expect(answer.init?.status).toBe(422);
    expect(answer.data).toEqual({ status: "error", errors: { email: "forms.emailInvalid" }, formError: null, values: { email: "x" }, sentTo: null });
    expect(failureOf(answer.data)).toEqual({ errors: { email: "forms.emailInvalid" }, formError: null, values: { email: "x" } });
    expect(failureOf({ sentTo: "a@b.cy" })).toEqual({ errors: {}, formError: null, values: {} });
    expect(failureOf(undefined)).toEqual({ errors: {}, formError: null, values: {} });
  });

  it("reads the request through readFormData, so what is not a form is still refused with 415", async () => {
    const post = (body: string, type: string) => new Request("http://pasbort.test/x", { method: "POST", body, headers: { "Content-Type": type } });
    expect(await readForm(post("name=Rhys", "application/x-www-form-urlencoded"), { name: anyText })).toEqual({ ok: true, data: { name: "Rhys" } });
    await expect(readForm(post("{}", "application/json"), { name: anyText })).rejects.toMatchObject({ init: { status: 415 } });
  });
});

describe("forms whose every field has a fallback", () => {
  const post = (body: URLSearchParams | FormData, lang = "en") => new Request(`http://pasbort.test/x?lang=${lang}`, { method: "POST", body });

  it("give their values, whatever was sent", async () => {
    const shape = { childId: anyText, confirm: yes, intent: intent(["link"]), child: listField };
    expect(
      await readValues(
        post(
          new URLSearchParams([
            ["child", "a"],
            ["child", "b"],
            ["intent", "drop"],
          ]),
        ),
        shape,
      ),
    ).toEqual({
      childId: "",
      confirm: false,
      intent: null,
      child: ["a", "b"],
    });
    const formData = form([
      ["childId", "c1"],
      ["postcode-c1", "LL13 9SD"],
    ]);
    const { childId } = await parseValues(post(new URLSearchParams()), formData, { childId: anyText });
    expect(await parseValues(post(new URLSearchParams()), formData, { [`postcode-${childId}`]: anyText })).toEqual({ "postcode-c1": "LL13 9SD" });
  });

  it("answer what no form sends (a file for a text) with a 400 in the person's language", async () => {
    const sent = form([["childId", new File(["x"], "x.txt")]]);
    await expect(readValues(post(sent, "cy"), { childId: anyText })).rejects.toMatchObject({ data: { lang: "cy" }, init: { status: 400 } });
    await expect(parseValues(post(new URLSearchParams(), "en"), sent, { childId: anyText })).rejects.toMatchObject({
      data: { lang: "en" },
      init: { status: 400 },
    });
  });
});

describe("a page's query", () => {
  it("is read by fields with fallbacks: the first of a repeated name, trimmed and cut where asked", () => {
    const shape = { q: trimmedText(5), town: trimmedText(), by: anyText };
    expect(queryValues(shape, new URLSearchParams("q=+abcdefgh+&q=x&by=+la+"))).toEqual({ q: "abcde", town: "", by: " la " });
  });

  it("takes a choice exactly as offered (trimmed when asked), blank for its fallback, and refuses anything else", () => {
    const by = choice(["quintile", "la"], message("reports.errors.breakdown"), "quintile");
    expect(["la", "", undefined].map((value) => by.safeParse(value).data)).toEqual(["la", "quintile", "quintile"]);
    for (const value of [" la", "school"]) expect(by.safeParse(value).error?.issues[0]?.message, value).toBe("reports.errors.breakdown");
    const required = choice(["2026-27"], message("impact.errors.year"));
    expect([required.safeParse("2026-27").success, required.safeParse("").success]).toEqual([true, false]);
    expect(choice(["la"], message("forms.invalid"), null, { trim: true }).safeParse(" la ").data).toBe("la");
  });

  it("tells a field not sent (null) from one sent blank, where the page treats them differently", () => {
    const shape = { school: sentText, figures: flag("current") };
    expect(queryValues(shape, new URLSearchParams(""))).toEqual({ school: null, figures: false });
    expect(queryValues(shape, new URLSearchParams("school=&figures=current"))).toEqual({ school: "", figures: true });
    expect(queryValues(shape, new URLSearchParams("school=s1&figures=Current"))).toEqual({ school: "s1", figures: false });
  });

  it("answers a field that still fails with a 400, not a 500", () => {
    expect(() => queryValues({ q: z.string() }, new URLSearchParams())).toThrow(expect.objectContaining({ init: expect.objectContaining({ status: 400 }) }));
  });
});

describe("translation keys in schemas", () => {
  it("are checked by the type checker", () => {
    // @ts-expect-error a misspelt key fails `npm run typecheck`
    expect(isMessageKey(message("forms.emailRequried"))).toBe(false);
  });
});
