# The Node.js major of both stages: 24 (OCI Functions' default) or 22.
#   docker build --build-arg NODE_MAJOR=22 …
ARG NODE_MAJOR=24

# Build stage: install dev dependencies, type-check and bundle into dist/.
FROM fnproject/node:${NODE_MAJOR}-dev AS build
WORKDIR /function
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY test ./test
RUN npx tsc -p tsconfig.json --noEmit && node scripts/bundle.mjs

# Runtime stage: the self-contained bundles only, no node_modules.
FROM fnproject/node:${NODE_MAJOR}
WORKDIR /function
COPY --from=build /function/dist/ /function/dist/
ENTRYPOINT ["node", "dist/func.js"]
