# syntax=docker/dockerfile:1
# The depthstream node on a CPU (onnxruntime). Build from the repository root, the build context:
#   docker build -f docker/node.Dockerfile -t depthstream-node .
#   docker run --rm -p 9464:9464 -e DEPTHSTREAM_KAFKA_BOOTSTRAP_SERVERS=kafka:9092 depthstream-node [--set key=value ...]
# The image is the node distribution (stream-app's `mvn package`: bin/, lib/, config/, models/) in /opt/depthstream,
# started by its own bin/depthstream-node, as on a robot. Settings: config/depthstream.properties < DEPTHSTREAM_*
# environment variables < --set arguments. JAVA_OPTS replaces the JVM options below. GPU: docker/node-gpu.Dockerfile.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -pl stream-app -am package \
 && mkdir /dist && tar -xzf stream-app/target/depthstream-node-*.tar.gz -C /dist --strip-components=1

FROM eclipse-temurin:17-jre
COPY --from=build /dist/ /opt/depthstream/
COPY --chmod=0755 docker/http-probe.sh /opt/depthstream/bin/http-probe
# A numeric non-root user, so Kubernetes' runAsNonRoot can verify it. cds/ is writable by that user: the start
# script records its class-sharing archive there on the first run that serves, and a restart of the same container
# (restart: unless-stopped) maps it (README.md, "Running against a real cluster").
RUN groupadd --system --gid 10001 depthstream \
 && useradd --system --uid 10001 --gid 10001 --home-dir /opt/depthstream --no-create-home depthstream \
 && mkdir -p /opt/depthstream/cds && chown 10001:10001 /opt/depthstream/cds
USER 10001:10001
WORKDIR /opt/depthstream
# G1 with 8 MiB regions keeps a frame an ordinary object (BENCHMARKS.md, "Tail latency"); the heap follows the
# container's memory limit.
ENV JAVA_OPTS="-XX:+UseG1GC -XX:G1HeapRegionSize=8m -XX:MaxRAMPercentage=75"
# Prometheus /metrics, /health (liveness) and /ready (depthstream.metrics.port).
EXPOSE 9464
# No curl in the JRE image: a bash /dev/tcp probe of /health on the metrics port.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD bin/http-probe "${DEPTHSTREAM_METRICS_PORT:-9464}" /health
ENTRYPOINT ["bin/depthstream-node"]
