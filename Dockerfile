# syntax=docker/dockerfile:1
# Pasbort: build the Remix app and the server (build/server), then run it with production
# dependencies only. The server reads db/reference at start-up; the CLI scripts are
# TypeScript run by tsx (a production dependency) and need app/, db/ and tsconfig.json.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
COPY package.json package-lock.json tsconfig.json ./
COPY app ./app
COPY db ./db
# The CLI scripts (npm run db:migrate, npm run seed:demo) for `docker compose exec app …`.
COPY scripts ./scripts
# Without DATABASE_URL the app keeps PGlite in /app/.data/pglite: mount a volume on /app/.data.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# What `npm run serve` runs, without npm and sh in between: they do not pass SIGTERM on to
# the server, so `docker stop` would kill it without the clean shutdown that flushes PGlite.
CMD ["node", "--max-old-space-size=192", "build/server/server.js"]
