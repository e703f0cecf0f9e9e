import { expect, test, type APIRequestContext } from "@playwright/test";
import { expectNoAxeViolations, signIn } from "./support";

/** POSTs something that is not a form; the answer's status and the page's first heading. */
async function postNotAForm(request: APIRequestContext, path: string, contentType: string, body: string) {
  const response = await request.post(path, { headers: { "Content-Type": contentType }, data: body, maxRedirects: 0 });
  const heading = /<h1[^>]*>([^<]*)<\/h1>/.exec(await response.text())?.[1] ?? "";
  return { status: response.status(), heading };
}

test("a POST that is not a form gets the usual error page, in the person's language, never a 500", async ({ page }) => {
  await page.goto("/?lang=cy");
  const request = page.request;
  expect(await postNotAForm(request, "/login", "text/plain", "email=a@b.c&password=x")).toEqual({ status: 415, heading: "Doedd dim modd darllen y ffurflen" });
  expect(await postNotAForm(request, "/login", "application/json", '{"email":"a@b.c"}')).toEqual({ status: 415, heading: "Doedd dim modd darllen y ffurflen" });
  expect(await postNotAForm(request, "/login", "multipart/form-data; boundary=x", "not multipart at all")).toEqual({ status: 400, heading: "Doedd dim modd darllen y ffurflen" });

  const signedInAs = async (email: string) => {
    await page.goto("/?lang=en");
    await page.context().clearCookies();
    await signIn(page, email);
    await expect(page).not.toHaveURL(/\/login/);
  };
  const english = "The form could not be read";
  await signedInAs("coordinator@demo.test");
  expect(await postNotAForm(request, "/coordinator/invitations", "text/plain", "email=x@y.z")).toEqual({ status: 415, heading: english });
  expect(await postNotAForm(request, "/coordinator/invitations", "multipart/form-data", "--x\r\nbroken")).toEqual({ status: 400, heading: english });
  await signedInAs("provider@demo.test");
  expect(await postNotAForm(request, "/provider/tokens", "application/json", '{"intent":"create"}')).toEqual({ status: 415, heading: english });
  await signedInAs("school@demo.test");
  expect(await postNotAForm(request, "/school/roster", "text/plain", "intent=discard")).toEqual({ status: 415, heading: english });
  expect(await postNotAForm(request, "/school/roster", "multipart/form-data; boundary=zzz", "--zzz\r\nContent-Disposition: form-data; name=\"roster\"\r\n\r\nunterminated")).toEqual({
    status: 400,
    heading: english,
  });
});

test("a text/plain form sent from our own page shows the error page in Welsh, with no page error and nothing axe finds", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat|react error/i.test(message.text())) errors.push(message.text());
  });
  await page.goto("/login?lang=cy");
  // What a form on another page (or a script) could send: the browser's own text/plain encoding.
  await page.evaluate(() => {
    const form = Object.assign(document.createElement("form"), { method: "post", action: "/login", enctype: "text/plain" });
    form.append(Object.assign(document.createElement("input"), { name: "email", value: "a@b.c" }));
    document.body.append(form);
    form.submit();
  });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Doedd dim modd darllen y ffurflen");
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
  await expectNoAxeViolations(page);
  expect(errors).toEqual([]);
});
