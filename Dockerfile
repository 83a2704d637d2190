# Sepia: one container running `sepia serve` with an embedded SQLite database in /data.
# Build: docker build -t sepia .   Run: docker run -p 3234:3234 -v sepia-data:/data sepia
FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles its native addon at install time: it needs python3, make and g++.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    SEPIA_CONFIG=/app/sepia.config.json
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json sepia.config.json ./
COPY bin ./bin
COPY src ./src
COPY views ./views
COPY migrations ./migrations
# The image's config listens on all interfaces and keeps the database in the /data volume.
RUN node -e "const f='/app/sepia.config.json',c=JSON.parse(require('fs').readFileSync(f));c.listen={...c.listen,host:'0.0.0.0'};c.database={path:'/data/sepia.db'};require('fs').writeFileSync(f,JSON.stringify(c,null,2))" \
 && mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3234
# Exec form: node is PID 1 and receives SIGTERM itself, so `serve` shuts down gracefully.
ENTRYPOINT ["node", "bin/sepia.js"]
CMD ["serve"]
