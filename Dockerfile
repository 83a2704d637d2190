# Sepia in a container: the single executable (`npm run build`) on a slim Debian, running `sepia serve` as a
# non-root user with the database in the /data volume.
# Build: docker build -t sepia .   Run: docker run -p 3234:3234 -v sepia-data:/data sepia
# Admin commands: docker exec CONTAINER sepia instances list

# The build stage: the full Node image has what better-sqlite3 compiles its addon with when no prebuilt one
# matches (python3, make, g++) and the strip the build uses. The executable is made of this stage's Node.
FROM node:20-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build \
 && node -e "const fs=require('fs'),c=JSON.parse(fs.readFileSync('sepia.config.json'));c.listen={...c.listen,host:'0.0.0.0'};c.database={path:'/data/sepia.db'};fs.writeFileSync('container.config.json',JSON.stringify(c,null,2))"

# The final stage: no Node, no npm, no compiler, no sources; the executable needs only glibc and libstdc++, which
# the base image has (Node brings its own CA certificates for crawling over https).
FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --create-home --home-dir /home/sepia --shell /usr/sbin/nologin sepia \
 && mkdir -p /data \
 && chown sepia:sepia /data
COPY --from=build /src/dist/sepia /usr/local/bin/sepia
# The image's configuration listens on all interfaces and keeps the database in the /data volume.
COPY --from=build /src/container.config.json /etc/sepia/sepia.config.json
ENV SEPIA_CONFIG=/etc/sepia/sepia.config.json
USER sepia
# The SQLite addon is written to ~/.cache/sepia at the first start (with a read-only root filesystem, mount a
# tmpfs on /home/sepia/.cache).
WORKDIR /home/sepia
VOLUME /data
EXPOSE 3234
# Exec form: sepia is PID 1 and receives SIGTERM itself; it stops its workers gracefully within 20 s, so give
# `docker stop` more than its default 10 s (docker stop -t 25, or stop_grace_period in compose).
ENTRYPOINT ["/usr/local/bin/sepia"]
CMD ["serve"]
