# syntax=docker/dockerfile:1
# The hub's image: compiled JavaScript on a supported Node LTS, production dependencies only, run
# as the unprivileged `node` user. One image for every role: `node hub/src/server.js` (the
# default) and `node hub/src/worker.js`, and the CLIs as `node hub/src/cli/NAME.js`.
# Build stage and runtime share the Node line and Debian release, so native modules (argon2)
# built or fetched in the first run in the second.
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /src
# Manifests first, so the npm ci layer is rebuilt only when dependencies change.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY hub/package.json hub/
COPY devices/package.json devices/
COPY dashboard/package.json dashboard/
COPY console/package.json console/
COPY handheld/package.json handheld/
# Everything, dev dependencies included: vite builds the pages and tsc compiles the hub.
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
# The pages the hub serves (/, /console/, /handheld/), then the hub compiled into /out with its
# production dependencies (scripts/build-hub.sh).
RUN npm run build
RUN --mount=type=cache,target=/root/.npm bash scripts/build-hub.sh /out

FROM node:${NODE_VERSION}-bookworm-slim
WORKDIR /app
# Owned by root and read-only to the hub: the process cannot change its own code.
COPY --from=build /out /app
# @wh/shared resolves to its compiled .js files (the `wh-compiled` export condition).
ENV NODE_OPTIONS=--conditions=wh-compiled
# Without it a container would serve on its own loopback only.
ENV HTTP_HOST=0.0.0.0
USER node
EXPOSE 3000
# /ready of this process, on the port its settings give (hub/src/healthcheck.ts). A worker needs
# HUB_ROLES=worker and METRICS_PORT set for it to have one.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "hub/src/healthcheck.js"]
# node itself as the command, no npm in between, so SIGTERM reaches the hub and it shuts down in
# order; run with an init (compose's `init: true`, `docker run --init`) to reap children.
CMD ["node", "hub/src/server.js"]
