# Televent in one image: `docker run -p 3000:3000 -v televent-data:/data televent`
# (embedded PGlite in /data), or pass DATABASE_URL for PostgreSQL.

# The web app (web/, Vite + React) is built with the dev dependencies, in a stage of its own.
FROM node:22-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY web ./web
RUN npm run build:web

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# `npm ci` runs the `prepare` step (scripts/prepare.js): it bundles src/ into dist/ and initialises
# the embedded database's template there; it finds no Vite here and skips the web build, whose
# web/dist comes from the stage above.
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=web /app/web/dist ./web/dist
RUN mkdir -p /data && chown node:node /data
USER node
ENV API_HOST=0.0.0.0 API_PORT=3000 DATA_DIR=/data
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/televent.js", "serve"]
