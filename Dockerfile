# syntax=docker/dockerfile:1
# ECAR server image. TypeScript runs through tsx (a production dependency), so there is no build
# step: the image holds the sources, the migrations and the production node_modules.

ARG NODE_VERSION=20

# Production dependencies only. Install scripts stay on: esbuild (under tsx) checks its binary in one.
FROM node:${NODE_VERSION}-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
# Owned by root and read-only to the app user: a compromised process cannot rewrite its own code.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY drizzle ./drizzle
COPY src ./src
# The embedded PGlite database (no DATABASE_URL) keeps its files here; mount a volume to keep them.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# /readyz is 503 only when the database is unreachable; Redis down is 200 "degraded".
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# What `npm start` runs, without npm as PID 1: SIGTERM reaches node, which drains and closes cleanly.
CMD ["node", "--import", "tsx", "src/main.ts"]
