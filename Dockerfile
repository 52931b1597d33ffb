# syntax=docker/dockerfile:1
# avatar-fleet images, one target each (README, "Run it with Docker Compose"):
#   docker build --target api        -t avatar-fleet/api .          Helidon API node, JRE 25, port 8089
#   docker build --target worker-gpu -t avatar-fleet/worker-gpu .   worker, CUDA 12 + cuDNN 9, TensorFlow -Pgpu, port 8090
#   docker build --target worker-cpu -t avatar-fleet/worker-cpu .   worker, CPU TensorFlow, port 8090
# Every RUN step that builds or lays out the application calls a script under ops/docker/;
# ops/deploy-check runs the same scripts (no Docker engine needed) and starts what they lay out.
# Settings: none of the nodes' defaults is changed here, except the worker's bind address (0.0.0.0: a
# container is reached through its own network namespace). JAVA_OPTS sizes the heap from the container's
# memory limit; a worker keeps most of its limit for TensorFlow's and libwebrtc's native memory.

ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-25
ARG JRE_IMAGE=eclipse-temurin:25-jre-noble
ARG CUDA_IMAGE=nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04
ARG NODE_IMAGE=node:22-bookworm-slim

# ---------------------------------------------------------------- build stages
# why: the worker jar carries face-api's pretrained face detector and landmark weights, from the npm package
# pinned in ops/face-models (docs/landmarks.md), and the API jar livekit-client's browser build for the dashboard's
# try-it page (ops/dashboard-vendor); npm ci runs here, so the Maven stages need no npm (the builds' own install
# scripts then find node_modules current and skip)
FROM ${NODE_IMAGE} AS face-models
WORKDIR /src
COPY ops/face-models/ ops/face-models/
RUN ops/face-models/install
COPY ops/dashboard-vendor/ ops/dashboard-vendor/
RUN ops/dashboard-vendor/install

FROM ${MAVEN_IMAGE} AS source
WORKDIR /src
# why: the reactor needs every module's pom (ops/testkit and ops/devroom are test dependencies of api and worker)
COPY pom.xml ./
COPY config/ config/
COPY common/ common/
COPY api/ api/
COPY worker/ worker/
COPY ops/testkit/ ops/testkit/
COPY ops/devroom/ ops/devroom/
COPY ops/docs/ ops/docs/
COPY ops/bench/ ops/bench/
COPY ops/lib/java.sh ops/lib/java.sh
COPY ops/docker/ ops/docker/
COPY --from=face-models /src/ops/face-models/ ops/face-models/
COPY --from=face-models /src/ops/dashboard-vendor/ ops/dashboard-vendor/

FROM source AS build-cpu
# why: the layouts copy jars out of ~/.m2, so they run in the same step as the build that fills the cache mount
RUN --mount=type=cache,target=/root/.m2 \
    ops/docker/build.sh \
    && ops/docker/layout.sh api /out/api \
    && ops/docker/layout.sh worker /out/worker

FROM source AS build-gpu
RUN --mount=type=cache,target=/root/.m2 \
    ops/docker/build.sh -Pgpu \
    && ops/docker/layout.sh worker /out/worker

FROM ${JRE_IMAGE} AS jre

# ---------------------------------------------------------------- api
FROM ${JRE_IMAGE} AS api
LABEL org.opencontainers.image.title="avatar-fleet api" \
      org.opencontainers.image.description="API node: the bitHuman expression-avatar HTTP API for the whole fleet"
# why: tini forwards SIGTERM to the JVM and reaps any child process; -s (subreaper) keeps that true under
# compose's "init: true", where docker-init is PID 1
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --create-home --home-dir /home/avatarfleet avatarfleet
COPY --from=build-cpu /out/api /app
USER 10001:10001
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8089
# why: /ready is 200 with a free slot; healthcheck.sh also counts 503 at_capacity as healthy (a full fleet works)
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["/app/bin/healthcheck.sh", "/ready"]
ENTRYPOINT ["/usr/bin/tini", "-s", "--", "/app/bin/entrypoint.sh"]

# ---------------------------------------------------------------- worker (CPU)
FROM ${JRE_IMAGE} AS worker-cpu
LABEL org.opencontainers.image.title="avatar-fleet worker (CPU)" \
      org.opencontainers.image.description="Worker node: claims launches, renders avatars with TensorFlow on the CPU, publishes to LiveKit"
# why: libwebrtc's native library links PulseAudio's client, udev, D-Bus and X11 (readelf NEEDED) and
# Bytedeco's OpenCV loads its highgui, which links GTK 2 (a running worker's /proc/PID/maps), though no
# sound server or display is ever used (ops/deploy-check compares this list with what a worker loads)
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini libpulse0 libudev1 libdbus-1-3 \
       libx11-6 libxfixes3 libxrandr2 libxcomposite1 libgtk2.0-0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --create-home --home-dir /home/avatarfleet avatarfleet
COPY --from=build-cpu /out/worker /app
USER 10001:10001
# why: glibc's per-thread arenas grow a WebRTC worker's RSS by megabytes per session (README)
ENV WORKER_HOST=0.0.0.0 \
    MALLOC_ARENA_MAX=2 \
    JAVA_OPTS="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8090
# why: the model is built and warmed before /ready turns 200
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 CMD ["/app/bin/healthcheck.sh", "/ready"]
ENTRYPOINT ["/usr/bin/tini", "-s", "--", "/app/bin/entrypoint.sh"]

# ---------------------------------------------------------------- worker (GPU)
FROM ${CUDA_IMAGE} AS worker-gpu
LABEL org.opencontainers.image.title="avatar-fleet worker (GPU)" \
      org.opencontainers.image.description="Worker node: claims launches, renders avatars with TensorFlow on CUDA 12 / cuDNN 9, publishes to LiveKit"
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
# why: TensorFlow's GPU build dlopens the CUDA 12 runtime, cuBLAS, cuFFT, cuSOLVER, cuSPARSE and cuDNN 9,
# which this base image carries; fontconfig is what the JRE image had for Java 2D; the rest as for worker-cpu
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini fontconfig libpulse0 libudev1 libdbus-1-3 \
       libx11-6 libxfixes3 libxrandr2 libxcomposite1 libgtk2.0-0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --create-home --home-dir /home/avatarfleet avatarfleet
COPY --from=build-gpu /out/worker /app
USER 10001:10001
ENV WORKER_HOST=0.0.0.0 \
    MALLOC_ARENA_MAX=2 \
    JAVA_OPTS="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8090
HEALTHCHECK --interval=15s --timeout=5s --start-period=300s --retries=3 CMD ["/app/bin/healthcheck.sh", "/ready"]
ENTRYPOINT ["/usr/bin/tini", "-s", "--", "/app/bin/entrypoint.sh"]
