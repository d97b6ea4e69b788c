# syntax=docker/dockerfile:1
# The secctx CLI as a container image:
#   docker build -t secctx .
#   docker run --rm -v "$PWD:/work:ro" secctx check .
# Built from the same npm package as `npm install -g secctx` (npm pack: the CLI and server bundles,
# no dependencies), on a base pinned to an exact tag; runs as a numeric non-root user.

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# prepack builds dist/cli.js and dist/server.js
RUN npm pack --pack-destination /tmp && mv /tmp/secctx-*.tgz /tmp/secctx.tgz

FROM node:20.20.2-bookworm-slim
COPY --from=build /tmp/secctx.tgz /tmp/secctx.tgz
RUN npm install --global --offline --no-audit --no-fund /tmp/secctx.tgz && rm /tmp/secctx.tgz && npm cache clean --force
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["secctx"]
CMD ["check", "."]
