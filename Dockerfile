FROM node:20-bookworm-slim
WORKDIR /app

# Manifests first, so the npm ci layer is rebuilt only when dependencies change.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY hub/package.json hub/
COPY devices/package.json devices/
COPY dashboard/package.json dashboard/
COPY console/package.json console/
COPY handheld/package.json handheld/
# Dev dependencies included on purpose: the hub runs its TypeScript through tsx, a devDependency.
RUN npm ci

COPY . .
# The pages the hub serves: the floor screen at /, the console at /console/ and the handheld app
# at /handheld/.
RUN npm run build

# Without it `docker run` alone would serve on the container's loopback only.
ENV HTTP_HOST=0.0.0.0
EXPOSE 3000
# node itself as the command (no npm or tsx CLI in between), so SIGTERM reaches the hub and it
# shuts down in order; run with an init (compose's `init: true`) to reap children.
CMD ["node", "--import", "tsx", "hub/src/server.ts"]
