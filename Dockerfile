# syntax=docker/dockerfile:1
# ECAR server image: the TypeScript is compiled in a build stage; the image holds the compiled
# JavaScript, the migrations and the production node_modules (no compiler, no sources).

# Node 24, the current LTS (Node 20 has had no security releases since 2026-04-30). The tag follows
# 24.x: a rebuild picks up its security releases. CI tests on 24 too (.ci/run, NODE24_VERSION).
ARG NODE_VERSION=24

# Compiles src/ to dist/ with the project's own TypeScript (a dev dependency).
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only.
FROM node:${NODE_VERSION}-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-slim AS runtime
# The V8 heap limit is the process's memory budget: left unset, V8 sizes it from the host's memory
# (4 GB on a 23.5 GB host) and lets garbage pile up to match: peak RSS 310-347 MB against 190 MB with
# this limit at N = 100,000 (docs/performance.md). V8 would also shrink the young generation with the
# old one's limit; 16 MB semi-spaces keep its default. The in-process cache is held to a third of the
# heap (CACHE_L1_MAX_BYTES). Override with `-e NODE_OPTIONS=...` for a bigger budget.
# HOST=0.0.0.0: in a container the app must listen beyond loopback to be reached at all (the embedded
# default is loopback only); /metrics then needs METRICS_TOKEN, and compose publishes on 127.0.0.1.
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=16"
WORKDIR /app
# Owned by root and read-only to the app user: a compromised process cannot rewrite its own code.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json ./
COPY drizzle ./drizzle
# The embedded PGlite database (no DATABASE_URL) keeps its files here; mount a volume to keep them.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# /readyz is 503 only when the database is unreachable; Redis down is 200 "degraded".
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# What `npm start` runs, without npm as PID 1: SIGTERM reaches node, which drains and closes cleanly.
# The CLI in the image: `docker compose exec app node dist/cli/main.js <command>`.
CMD ["node", "dist/main.js"]
