import { expect, test, type APIRequestContext } from "@playwright/test";
import { expectNoAxeViolations, signIn } from "./support";

test("signed-in pages, and the data behind them, are never kept by the browser; public pages keep their caching", async ({ page }) => {
  // Signed out, a public page is not forced to no-store.
  for (const path of ["/", "/login"]) {
    const response = await page.goto(path);
    expect(response?.headers()["cache-control"] ?? "", path).not.toContain("no-store");
  }
  await signIn(page, "coordinator@demo.test");
  await expect(page).toHaveURL(/\/coordinator$/);
  for (const path of ["/coordinator", "/reports/equity", "/coordinator/audit", "/account"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    expect(response?.headers()["cache-control"], path).toBe("no-store");
  }
  // A link followed on a page with React fetches the next page's data (Remix's .data address):
  // that answer holds the same data. (These pages come without React, ADR 0042: asked directly.)
  const data = await page.request.get("/reports/equity.data");
  expect(data.status()).toBe(200);
  expect(data.headers()["cache-control"]).toBe("no-store");
  // The same for the other roles' pages.
  for (const [email, path] of [
    ["guardian@demo.test", "/guardian"],
    ["school@demo.test", "/school"],
    ["provider@demo.test", "/provider"],
  ] as const) {
    await page.context().clearCookies();
    await signIn(page, email);
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    const response = await page.goto(path);
    expect(response?.headers()["cache-control"], path).toBe("no-store");
  }
});

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
  expect(await postNotAForm(request, "/login", "multipart/form-data; boundary=x", "not multipart at all")).toEqual({
    status: 400,
    heading: "Doedd dim modd darllen y ffurflen",
  });

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
  expect(
    await postNotAForm(
      request,
      "/school/roster",
      "multipart/form-data; boundary=zzz",
      '--zzz\r\nContent-Disposition: form-data; name="roster"\r\n\r\nunterminated',
    ),
  ).toEqual({
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
