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
                description: "Stable, machine-readable: UNAUTHORIZED, NOT_FOUND, METHOD_NOT_ALLOWED or INTERNAL_ERROR.",
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
