/**
 * The OpenAPI 3.1 description served at /api/v1/openapi.json. It describes only what the
 * API answers today; each path here has its route in app/routes/api.v1.*.ts (a test
 * checks), and new endpoints are added here in the same change as their route.
 */

const errorResponse = (description: string, example: { code: string; message: string }) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" }, example: { error: example } } },
});

const unauthorized = {
  ...errorResponse("No bearer token, or a token that is not valid or has been revoked.", {
    code: "UNAUTHORIZED",
    message: "The API token is not valid or has been revoked.",
  }),
  headers: {
    "WWW-Authenticate": {
      description: 'Always `Bearer realm="pasbort"`, with `error="invalid_token"` when a token was sent but refused.',
      schema: { type: "string" },
    },
  },
};

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Pasbort API",
    version: "1.0.0",
    summary: "The Children's University passport: the API for Learning Destinations' devices and programs.",
    description:
      "Every request is made for one Learning Destination (provider) with an API token its owner or the area coordinator created in Pasbort. " +
      "The one exception is POST /claims, for parents and carers on Pasbort's own pages and app, which takes a signed-in guardian's session cookie instead. " +
      "Error messages follow the request's `Accept-Language` (Welsh `cy` or English `en`); clients should act on `error.code`, which never changes with the language. " +
      "An address under /api/v1 that is not described here answers 404 `NOT_FOUND`; an unexpected failure answers 500 `INTERNAL_ERROR`. Both use the Error shape.",
  },
  servers: [{ url: "/api/v1" }],
  security: [{ bearerAuth: [] }],
  paths: {
    "/provider": {
      get: {
        operationId: "getProvider",
        summary: "The Learning Destination this token belongs to, with its activities.",
        description: "Always the token's own provider; a token never sees another provider.",
        tags: ["Provider"],
        responses: {
          "200": {
            description: "The provider.",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Provider" } } },
          },
          "401": { $ref: "#/components/responses/Unauthorized" },
          "405": { $ref: "#/components/responses/MethodNotAllowed" },
        },
      },
    },
    "/credits": {
      post: {
        operationId: "issueCredit",
        summary: "Issue a credit: a child was at one of this provider's sessions.",
        description:
          "Send what the scanner read (the passport's QR code address, its token, or the typed passport number) and the session. " +
          "Choose `idempotencyKey` once per scan and send the same key on every retry: a retry answers 200 with the first credit (`replayed: true`), never a second one. " +
          "Keys are the provider's own: another provider's use of the same key neither answers nor blocks yours. " +
          "The rules: only validated activities of a validated provider, only sessions that have started (and ended no more than the area's window ago, 48 hours by default) and are not cancelled, " +
          "one credit per child per session, none for a session overlapping one the child already has a credit for, the area's daily hours cap and the activity's term cap.",
        tags: ["Credits"],
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/CreditRequest" } } },
        },
        responses: {
          "201": { description: "The credit was issued.", content: { "application/json": { schema: { $ref: "#/components/schemas/CreditIssued" } } } },
          "200": {
            description: "A retry: the credit issued the first time.",
            content: { "application/json": { schema: { $ref: "#/components/schemas/CreditIssued" } } },
          },
          "400": errorResponse("The body is not JSON or a field is missing or malformed.", {
            code: "BAD_REQUEST",
            message: "idempotencyKey must be 8 to 100 characters, chosen once per scan and sent again on retries.",
          }),
          "401": { $ref: "#/components/responses/Unauthorized" },
          "404": errorResponse(
            "SESSION_NOT_FOUND (no such session, or another provider's: the same answer), UNKNOWN_PASSPORT (unknown, or another area's card), PASSPORT_REPLACED (a lost card that was replaced) or CHILD_WITHDRAWN.",
            {
              code: "UNKNOWN_PASSPORT",
              message: "This passport was not found. It may have been replaced: ask to see the new card, or type the passport number.",
            },
          ),
          "409": errorResponse(
            "ALREADY_CREDITED, OVERLAPPING_SESSION (a credit for another session at the same time), or IDEMPOTENCY_KEY_REUSED (the key was used for a different credit).",
            {
              code: "ALREADY_CREDITED",
              message: "This child already has the credit for this session.",
            },
          ),
          "422": errorResponse(
            "The rules say no: SESSION_NOT_OPEN, SESSION_CANCELLED, NOT_VALIDATED (provider or activity not validated, or its validation expired), DAILY_CAP, TERM_CAP or PASSPORT_NUMBER_MISTYPED. The message says which precisely.",
            { code: "SESSION_NOT_OPEN", message: "Credits for this session cannot be given now: it has not started, or it ended too long ago." },
          ),
          "405": { $ref: "#/components/responses/MethodNotAllowed" },
        },
      },
    },
    "/passports/{number}": {
      get: {
        operationId: "getPassport",
        summary: "Look up a typed passport number: what staff see of one of this provider's own participants.",
        description:
          "For a child who has taken part with the token's provider before (has a credit from it) and whose passport is of the token's area: the given name, the family initial and the total hours of active credits, as staff see them at a session, and nothing more. " +
          "Every other number — unknown, another area's, a child who has only taken part with other providers, a withdrawn child's — answers the same 404 `UNKNOWN_PASSPORT`, so numbers cannot be probed. " +
          "A number whose check character does not fit (a mistyped character) is refused before any lookup with 422 `PASSPORT_NUMBER_MISTYPED`. A replaced card keeps its passport number, so the number still answers.",
        tags: ["Passports"],
        parameters: [
          {
            name: "number",
            in: "path",
            required: true,
            schema: { type: "string", examples: ["WF-7K3M-9Q2D"] },
            description: "The passport number, any case, with or without hyphens (URL-encode spaces).",
          },
        ],
        responses: {
          "200": {
            description: "The passport's holder, as staff see them.",
            content: { "application/json": { schema: { $ref: "#/components/schemas/PassportSummary" } } },
          },
          "401": { $ref: "#/components/responses/Unauthorized" },
          "404": errorResponse(
            "UNKNOWN_PASSPORT: no such number for this provider (also another area's, another provider's participant, or a withdrawn child).",
            {
              code: "UNKNOWN_PASSPORT",
              message: "No passport with this number is known to your Learning Destination. Check the number against the card, or scan it.",
            },
          ),
          "422": errorResponse("PASSPORT_NUMBER_MISTYPED: the check character does not fit.", {
            code: "PASSPORT_NUMBER_MISTYPED",
            message: "That passport number is not right: a character is probably mistyped. Check it against the card.",
          }),
          "405": { $ref: "#/components/responses/MethodNotAllowed" },
        },
      },
    },
    "/claims": {
      post: {
        operationId: "claimWithSessionCode",
        summary: "A parent or carer claims credits for their children with a session code.",
        description:
          "Not for API tokens: this address is for Pasbort's own pages and app, and is authenticated by a signed-in guardian's session cookie (same origin only; cross-site requests are refused). An `Authorization` header is ignored. " +
          "`code` is what the guardian scanned or typed: the QR code's address (…/claim/<token>), the token itself, or the 8 digits shown under the screen's QR code. " +
          "Each child in `childIds` gets its own result: `credited` at once, `pending` (the activity's claims wait for the provider's approval), `already` (credited or waiting before), or `refused` with a `code`. " +
          "Ids that are not the guardian's own children are `refused` with `CHILD_NOT_FOUND`, whether or not such a child exists. Claiming again never adds a second credit.",
        tags: ["Claims"],
        security: [{ cookieAuth: [] }],
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/ClaimRequest" } } },
        },
        responses: {
          "201": {
            description: "The claim was taken; each child's result says what came of it.",
            content: { "application/json": { schema: { $ref: "#/components/schemas/ClaimResults" } } },
          },
          "400": errorResponse("The body is not JSON (Content-Type: application/json) or a field is missing or malformed.", {
            code: "BAD_REQUEST",
            message: "childIds must list 1 to 20 ids of your children.",
          }),
          "401": errorResponse('Not signed in. `WWW-Authenticate: Cookie realm="pasbort"`.', {
            code: "UNAUTHORIZED",
            message: "Sign in to Pasbort as a parent or carer to claim with a session code.",
          }),
          "403": errorResponse("FORBIDDEN: signed in, but not as a parent or carer.", {
            code: "FORBIDDEN",
            message: "Only a parent or carer can claim with a session code.",
          }),
          "422": errorResponse(
            "CODE_INVALID (a wrong, tampered or reset code, another area's, or typed digits that match no session running now), CODE_EXPIRED (a screen code older than its minute, a poster after the session, a ticket after 20 minutes), SESSION_NOT_OPEN (a poster before the session starts), or CHILD_NOT_FOUND (none of childIds is the guardian's).",
            { code: "CODE_EXPIRED", message: "This session code has expired. Scan the code on the screen again." },
          ),
          "429": errorResponse("RATE_LIMITED: too many typed codes (10 in 15 minutes per guardian). See `Retry-After` (seconds).", {
            code: "RATE_LIMITED",
            message: "Too many typed codes. Try again in a few minutes, or scan the QR code.",
          }),
          "405": { $ref: "#/components/responses/MethodNotAllowed" },
        },
      },
    },
    "/reports/equity": {
      get: {
        operationId: "getEquityReport",
        summary: "The equity report for this Learning Destination's own participants: who it reaches, by deprivation and more.",
        description:
          "Counts for the children who have taken part with the token's provider, and only the hours they earned with it, over a period, broken down as asked. " +
          "The same figures as the report page and its CSV, through the same disclosure control (docs/statistics.md): every count is rounded to a multiple of 5 by the cell-key method, so it is within 4 of the true count and the same children always give the same figure; hours are rounded to a multiple of 5 hours; rates, hours and medians are null for groups published as fewer than 10 children. " +
          "Figures are published for school terms and academic years only: a period is named (`period`) or given by the dates of one (`from`, `to`).",
        tags: ["Reports"],
        parameters: [
          {
            name: "period",
            in: "query",
            required: false,
            schema: { type: "string", pattern: "^(\\d{4}-(autumn|spring|summer)|\\d{4}-\\d{2}|term|year)$", default: "term" },
            description:
              "A published period: a school term (`2026-autumn` is 1 September – 31 December 2026, `2027-spring` 1 January – 31 March, `2027-summer` 1 April – 31 August), an academic year (`2026-27`), or `term` / `year` for the current one. From 2019–20 up to the current one.",
          },
          {
            name: "from",
            in: "query",
            required: false,
            schema: { type: "string", format: "date" },
            description: "Instead of `period`: the first day of a term or an academic year.",
          },
          {
            name: "to",
            in: "query",
            required: false,
            schema: { type: "string", format: "date" },
            description: "With `from`: the last day of the same term or academic year. Other dates are refused (403 PERIOD_NOT_PUBLISHED).",
          },
          {
            name: "by",
            in: "query",
            required: false,
            schema: { type: "string", enum: ["quintile", "decile", "la", "school", "provider", "category"], default: "quintile" },
            description: "How to break the figures down: WIMD quintile or decile of the child's home, local authority, school, provider or activity category.",
          },
          {
            name: "edition",
            in: "query",
            required: false,
            schema: { type: "string", enum: ["wimd2025", "wimd2019"], default: "wimd2025" },
            description: "The deprivation index: WIMD 2025 on the 2021 LSOAs, or WIMD 2019 on the 2011 LSOAs (to reproduce earlier reports).",
          },
          {
            name: "domain",
            in: "query",
            required: false,
            schema: { type: "string", enum: ["income", "employment", "health", "education", "access", "housing", "community_safety", "physical_environment"] },
            description:
              "With by=quintile only: the quintiles of one WIMD domain instead of the overall index, derived from the domain's ranks with the Welsh Government's quintile cut points.",
          },
        ],
        responses: {
          "200": { description: "The report.", content: { "application/json": { schema: { $ref: "#/components/schemas/EquityReport" } } } },
          "400": errorResponse("`period`, `from`, `to` or `by` not valid, `to` before `from`, a period of a year or more, or out of range.", {
            code: "BAD_REQUEST",
            message:
              "Send period as a term or an academic year (for example 2026-autumn, 2027-spring, 2027-summer or 2026-27), or from and to as the first and last day of one (YYYY-MM-DD), and by as quintile, decile, la, school, provider or category.",
          }),
          "403": errorResponse(
            "PERIOD_NOT_PUBLISHED: dates that are not a term or an academic year (custom periods are for the area's coordinators, for internal use).",
            {
              code: "PERIOD_NOT_PUBLISHED",
              message:
                "Figures are published for whole terms and academic years only: choose one from the list. Only the programme's coordinators can ask for other dates, for internal use, because figures for two periods close together could be compared to work out something about a few children.",
            },
          ),
          "401": { $ref: "#/components/responses/Unauthorized" },
          "405": { $ref: "#/components/responses/MethodNotAllowed" },
          "429": errorResponse("RATE_LIMITED: more scans from this token in a minute than allowed (600 by default); see Retry-After.", {
            code: "RATE_LIMITED",
            message: "Too many requests from this token. Wait a minute and send again: keep the same idempotencyKey so nothing is counted twice.",
          }),
        },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "getOpenApi",
        summary: "This description.",
        tags: ["Meta"],
        security: [],
        responses: { "200": { description: "The OpenAPI document.", content: { "application/json": { schema: { type: "object" } } } } },
      },
    },
  },
  components: {
    securitySchemes: {
      bearerAuth: {
        type: "http",
        scheme: "bearer",
        bearerFormat: "pbt_…",
        description:
          "`Authorization: Bearer pbt_…`. Tokens are shown once when created (Learning Destination owner: API tokens page; coordinator: the provider's API tokens page), stored only as a hash, and stop working as soon as they are revoked.",
      },
      cookieAuth: {
        type: "apiKey",
        in: "cookie",
        name: "pasbort_session",
        description:
          "The session cookie of a parent or carer signed in to Pasbort, for POST /claims only (Pasbort's own pages and app, same origin). It gives no access to the provider endpoints, and a bearer token gives none to POST /claims.",
      },
    },
    schemas: {
      Error: {
        type: "object",
        required: ["error"],
        properties: {
          error: {
            type: "object",
            required: ["code", "message"],
            properties: {
              code: {
                type: "string",
                description:
                  "Stable, machine-readable: UNAUTHORIZED, BAD_REQUEST, NOT_FOUND, METHOD_NOT_ALLOWED, INTERNAL_ERROR, or one of the refusals listed under each operation (POST /credits, GET /passports/{number}, POST /claims).",
                examples: ["UNAUTHORIZED"],
              },
              message: { type: "string", description: "For people, in Welsh or English following Accept-Language." },
            },
          },
        },
      },
      Provider: {
        type: "object",
        required: ["id", "name", "name_cy", "status", "validatedUntil", "activities"],
        properties: {
          id: { type: "string", format: "uuid" },
          name: { type: "string", description: "The provider's name (English, or the one name it uses)." },
          name_cy: { type: ["string", "null"], description: "The Welsh name, where it has a different one." },
          status: { type: "string", enum: ["pending", "changes_requested", "validated", "refused", "suspended"] },
          validatedUntil: { type: ["string", "null"], format: "date", description: "Last day of the validation period." },
          activities: { type: "array", items: { $ref: "#/components/schemas/ActivitySummary" } },
        },
      },
      CreditRequest: {
        type: "object",
        required: ["sessionId", "passport", "idempotencyKey"],
        properties: {
          sessionId: { type: "string", format: "uuid" },
          passport: { type: "string", description: "The QR code's address (…/p/<token>), the token, or the passport number (e.g. WF-7K3M-9Q2D)." },
          idempotencyKey: { type: "string", minLength: 8, maxLength: 100, description: "A UUID chosen once per scan." },
        },
      },
      CreditIssued: {
        type: "object",
        required: ["replayed", "credit", "child", "awardsReached"],
        properties: {
          replayed: { type: "boolean" },
          credit: {
            type: "object",
            required: ["id", "sessionId", "hours", "earnedOn"],
            properties: {
              id: { type: "string", format: "uuid" },
              sessionId: { type: "string", format: "uuid" },
              hours: { type: "number", multipleOf: 0.25 },
              earnedOn: { type: "string", format: "date" },
            },
          },
          child: {
            type: "object",
            required: ["givenName", "familyInitial", "totalHours"],
            description: "Enough to check the right card was scanned, and the child's new total.",
            properties: { givenName: { type: "string" }, familyInitial: { type: "string" }, totalHours: { type: "number" } },
          },
          awardsReached: {
            type: "array",
            description: "Awards this credit took the child to (empty on a retry): show them, it is a moment to celebrate.",
            items: {
              type: "object",
              required: ["thresholdHours", "name"],
              properties: { thresholdHours: { type: "integer" }, name: { type: "string", description: "In the language of Accept-Language." } },
            },
          },
        },
      },
      PublishedCount: {
        type: "object",
        required: ["value", "shown"],
        properties: {
          value: { type: "integer", description: "A multiple of 5, within 4 of the true count (0: fewer than 5)." },
          shown: { type: "string", description: "As published: the number as text.", examples: ["15", "0"] },
        },
      },
      EquityRow: {
        type: "object",
        required: [
          "key",
          "name",
          "enrolled",
          "enrolledShare",
          "fairShare",
          "active",
          "participationRate",
          "hours",
          "hoursPerEnrolled",
          "hoursPerActive",
          "medianHoursPerActive",
          "awards",
          "activeMostDeprived",
          "activeMostDeprivedShare",
          "activeShare",
        ],
        description: "One group. Shares and rates are fractions (0–1); null when hidden or not meaningful for the breakdown.",
        properties: {
          key: {
            type: ["string", "null"],
            description:
              'The group: "1"–"5" (quintile, 1 most deprived), "1"–"10" (decile), an LA code, a school or provider id, a category; null for outside Wales / not known (or no school).',
          },
          name: { type: ["object", "null"], properties: { en: { type: "string" }, cy: { type: "string" } } },
          enrolled: { oneOf: [{ $ref: "#/components/schemas/PublishedCount" }, { type: "null" }], description: "Null for provider and category breakdowns." },
          enrolledShare: { type: ["number", "null"] },
          fairShare: {
            type: ["number", "null"],
            description: "The area's share of LSOAs in the group, or of its children aged 5–14 when `benchmark` is `population`.",
          },
          population: {
            type: ["integer", "null"],
            description: "Children aged 5–14 living in the area's LSOAs of the group (imported figures), when `benchmark` is `population`.",
          },
          populationRate: {
            type: ["number", "null"],
            description: "Enrolled ÷ population: whole-area reports only (never over the API), null where enrolled is hidden.",
          },
          active: { $ref: "#/components/schemas/PublishedCount" },
          participationRate: { type: ["number", "null"] },
          hours: { type: ["number", "null"] },
          hoursPerEnrolled: { type: ["number", "null"] },
          hoursPerActive: { type: ["number", "null"] },
          medianHoursPerActive: { type: ["number", "null"] },
          awards: { oneOf: [{ $ref: "#/components/schemas/PublishedCount" }, { type: "null" }] },
          activeMostDeprived: {
            oneOf: [{ $ref: "#/components/schemas/PublishedCount" }, { type: "null" }],
            description: "Participants from quintiles 1–2 (provider and category breakdowns).",
          },
          activeMostDeprivedShare: { type: ["number", "null"] },
          activeShare: { type: ["number", "null"], description: "The group's share of all children who took part." },
        },
      },
      EquityReport: {
        type: "object",
        required: ["from", "to", "by", "scope", "benchmark", "noCredits", "rows", "total", "gap"],
        properties: {
          from: { type: "string", format: "date" },
          to: { type: "string", format: "date" },
          by: { type: "string", enum: ["quintile", "decile", "la", "school", "provider", "category"] },
          edition: { type: "string", enum: ["wimd2025", "wimd2019"], description: "The deprivation index the groups and the gap use." },
          domain: { type: ["string", "null"], description: "The WIMD domain whose derived quintiles the groups are, or null for the overall index." },
          scope: { type: "string", enum: ["provider"], description: "Always the token's provider over the API." },
          benchmark: {
            type: "string",
            enum: ["lsoas", "population"],
            description:
              "What the fair share is: the share of the area's LSOAs, or of its children aged 5–14 (imported figures covering every LSOA of the area).",
          },
          noCredits: { type: "boolean", description: "True when the published number of children who took part is 0 (none, or fewer than 5)." },
          internalUse: { type: "boolean", description: "Always false over the API: a custom period (coordinators only) is for internal use." },
          precision: {
            type: "object",
            description:
              "The disclosure control's rounding: counts within `count` children, hours within `hours` hours; derived figures only for groups of at least `minimumForDerived`.",
            properties: {
              method: { type: "string", enum: ["cell-key-random-rounding"] },
              base: { type: "integer" },
              count: { type: "number" },
              hours: { type: "number" },
              minimumForDerived: { type: "integer" },
            },
          },
          rows: { type: "array", items: { $ref: "#/components/schemas/EquityRow" } },
          total: { $ref: "#/components/schemas/EquityRow" },
          gap: {
            type: "object",
            description:
              "Quintile 1 against quintile 5: ratio (1 ÷ 5) and difference (1 − 5), for participation rate and hours per enrolled child; null when either side is hidden.",
            properties: {
              participationRatio: { type: ["number", "null"] },
              participationDifference: { type: ["number", "null"] },
              hoursRatio: { type: ["number", "null"] },
              hoursDifference: { type: ["number", "null"] },
              q1: { $ref: "#/components/schemas/RateWithInterval" },
              q5: { $ref: "#/components/schemas/RateWithInterval" },
              participationDifferenceInterval: {
                type: ["object", "null"],
                description: "95% interval of quintile 1's participation rate − quintile 5's (Newcombe's method, from the Wilson intervals).",
                properties: { low: { type: "number" }, high: { type: "number" } },
              },
              verdict: {
                type: ["string", "null"],
                enum: ["lower", "higher", "withinChance", null],
                description: "Quintile 1 took part less, more, or the interval of the difference includes 0 (too few children to tell).",
              },
            },
          },
        },
      },
      RateWithInterval: {
        type: ["object", "null"],
        description: "A participation rate (0–1) with its 95% Wilson score interval, from the published counts; null when a count is hidden.",
        properties: { rate: { type: "number" }, low: { type: "number" }, high: { type: "number" } },
      },
      PassportSummary: {
        type: "object",
        required: ["passportNumber", "givenName", "familyInitial", "totalHours"],
        description: "What staff see at a session: enough to check it is the right child, and their total.",
        properties: {
          passportNumber: { type: "string", examples: ["WF-7K3M-9Q2D"] },
          givenName: { type: "string" },
          familyInitial: { type: "string" },
          totalHours: { type: "number", multipleOf: 0.25, description: "All the child's active (not revoked) credits, in hours." },
        },
      },
      ClaimRequest: {
        type: "object",
        required: ["code", "childIds"],
        properties: {
          code: {
            type: "string",
            description: "The QR code's address (…/claim/<token>), the token, or the 8 digits shown under the screen's QR code (e.g. 4821 0937).",
          },
          childIds: {
            type: "array",
            minItems: 1,
            maxItems: 20,
            items: { type: "string", format: "uuid" },
            description: "The guardian's children who were there.",
          },
        },
      },
      ClaimResults: {
        type: "object",
        required: ["needsApproval", "results"],
        properties: {
          needsApproval: { type: "boolean", description: "Whether the activity's claims wait for the provider's approval." },
          results: {
            type: "array",
            description: "One per child id sent, in the order sent.",
            items: {
              type: "object",
              required: ["childId", "givenName", "outcome"],
              properties: {
                childId: { type: "string" },
                givenName: { type: ["string", "null"], description: "Null for an id that is not the guardian's child." },
                outcome: { type: "string", enum: ["credited", "pending", "already", "refused"] },
                hours: { type: "number", description: "credited: the hours this credit gave." },
                totalHours: { type: "number", description: "credited: the child's new total." },
                code: {
                  type: "string",
                  description:
                    "refused: why — CHILD_NOT_FOUND (not the guardian's child), CLAIM_REJECTED (the provider said no; see `reason`), CREDIT_REVOKED (the credit was taken back), or the code POST /credits gives for the same refusal (SESSION_NOT_OPEN, SESSION_CANCELLED, the caps, …).",
                },
                message: { type: "string", description: "refused: for people, following Accept-Language." },
                reason: { type: ["string", "null"], description: "refused: the provider's reason, when it gave one." },
              },
            },
          },
        },
      },
      ActivitySummary: {
        type: "object",
        required: ["id", "title_en", "title_cy"],
        properties: {
          id: { type: "string", format: "uuid" },
          title_en: { type: ["string", "null"] },
          title_cy: { type: ["string", "null"] },
        },
      },
    },
    responses: {
      Unauthorized: unauthorized,
      MethodNotAllowed: errorResponse("The address does not take this method; see the Allow header.", {
        code: "METHOD_NOT_ALLOWED",
        message: "This address does not accept that method.",
      }),
    },
  },
} as const;
