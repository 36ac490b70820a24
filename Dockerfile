# SpaceAudit as a Docker Space (sdk: docker, app_port: 7860, hf_oauth: true) or behind
# docker-compose. Set DATABASE_URL as a Space secret; without it the embedded PostgreSQL is
# used, which lives only as long as the container's disk.
FROM swift:6.3-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpq-dev libmicrohttpd-dev libssl-dev libyaml-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
# The Swift runtime and Foundation are linked in, so the runtime image needs only C libraries.
RUN swift build -c release --static-swift-stdlib --product spaceaudit

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpq5 libmicrohttpd12 libssl3 libyaml-0-2 libcurl4 libxml2 postgresql ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/.build/release/spaceaudit /usr/local/bin/spaceaudit
COPY sql /usr/share/spaceaudit/sql
COPY web /usr/share/spaceaudit/web
# HF runs Docker Spaces as uid 1000; the embedded cluster (no DATABASE_URL) lives in /data.
RUN useradd -m -u 1000 spaceaudit && mkdir -p /data && chown spaceaudit /data
USER spaceaudit
ENV SPACEAUDIT_HOME=/usr/share/spaceaudit SPACEAUDIT_DATA_DIR=/data/spaceaudit PORT=7860
EXPOSE 7860
HEALTHCHECK CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/7860 || exit 1"]
CMD ["spaceaudit", "serve"]
