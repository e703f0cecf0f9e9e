import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { projectPath } from "../project-path.server";
import { readFormData } from "./read-form.server";

/** What readFormData threw: the status and the language it carries for the error page. */
async function refusal(request: Request) {
  try {
    await readFormData(request);
  } catch (thrown) {
    const { data, init } = thrown as { data: { lang: string }; init: { status: number } };
    return { status: init.status, lang: data.lang };
  }
  throw new Error("readFormData accepted it");
}

const post = (contentType: string | null, body: string, cookie = "") =>
  new Request("http://pasbort.test/login", { method: "POST", body, headers: { ...(contentType ? { "Content-Type": contentType } : {}), Cookie: cookie } });

describe("reading a submitted form", () => {
  it("reads our forms, URL-encoded or multipart", async () => {
    expect((await readFormData(post("application/x-www-form-urlencoded; charset=UTF-8", "email=a%40b.c"))).get("email")).toBe("a@b.c");
    const multipart = new FormData();
    multipart.set("intent", "discard");
    const request = new Request("http://pasbort.test/school/roster", { method: "POST", body: multipart });
    expect((await readFormData(request)).get("intent")).toBe("discard");
  });

  it("refuses what is not a form with 415, and a broken multipart body with 400, in the person's language", async () => {
    expect(await refusal(post("text/plain", "email=a@b.c"))).toEqual({ status: 415, lang: "en" });
    expect(
      await refusal(new Request("http://pasbort.test/login?lang=cy", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } })),
    ).toEqual({ status: 415, lang: "cy" });
    expect(await refusal(post("text/plain;charset=UTF-8", ""))).toMatchObject({ status: 415 });
    expect(await refusal(post("multipart/form-data; boundary=x", "not multipart at all"))).toMatchObject({ status: 400 });
    expect(await refusal(post("multipart/form-data", "--x\r\nbroken"))).toMatchObject({ status: 400 });
  });

  it("is the only way the app reads forms", () => {
    const files = readdirSync(projectPath("app"), { recursive: true, encoding: "utf8" }).filter(
      (name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith("read-form.server.ts"),
    );
    expect(files.length).toBeGreaterThan(100);
    const direct = files.filter((name) => /\.formData\(\)|unstable_parseMultipartFormData/.test(readFileSync(projectPath("app", name), "utf8")));
    expect(direct).toEqual([]);
  });
});
