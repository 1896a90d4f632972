# syntax=docker/dockerfile:1
# A Kafka Connect worker (distributed mode) with the depthstream sensor sources installed as an isolated plugin.
# Build from the repository root, the build context:
#   docker build -f docker/connect.Dockerfile -t depthstream-connect .
#   docker run --rm -p 8083:8083 -e CONNECT_BOOTSTRAP_SERVERS=kafka:9092 depthstream-connect
# Worker settings come from CONNECT_* environment variables (docker/connect-entrypoint.sh lists the defaults), or
# from a mounted file: a command such as `/opt/kafka/bin/connect-distributed.sh /etc/worker.properties` runs as it
# is (docker/compose.yaml does that). Connectors are created through the REST API on port 8083. JAVA_OPTS is passed to the JVM (as KAFKA_OPTS, after
# Kafka's own KAFKA_HEAP_OPTS, default -Xms256M -Xmx2G, so an -Xmx in JAVA_OPTS wins).
# The image carries the project's synthetic sample drive (LiDAR, RGB-D and vSLAM files written by drive-tools'
# sample-drive command, seed 7, 30 frames per sensor) in /opt/depthstream/sample-drive, read-only, which the
# connectors in docker/connect/*.json play; mount another drive over it to play your own.

# The Kafka version of the build (the parent pom's kafka.version): the worker runs the Connect API the plugin was
# compiled against.
ARG KAFKA_VERSION=4.3.1

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -Psample-drive -pl connectors,tools/drive-tools -am package \
 && mkdir /plugins && cd /plugins && jar xf /src/connectors/target/depthstream-kafka-connect-depthstream-*.zip

FROM apache/kafka:${KAFKA_VERSION}
USER root
# plugin.path: each directory below it is one plugin with a class loader of its own.
COPY --from=build /plugins/ /opt/depthstream/connect-plugins/
# The bundled sample drive (-Psample-drive: tools/drive-tools/target/sample-drive), owned by the worker's user.
COPY --from=build --chown=appuser:appuser /src/tools/drive-tools/target/sample-drive/ /opt/depthstream/sample-drive/
COPY --chmod=0755 docker/connect-entrypoint.sh /opt/depthstream/bin/connect-entrypoint
COPY --chmod=0755 docker/http-probe.sh /opt/depthstream/bin/http-probe
# apache/kafka's own non-root user.
USER appuser
EXPOSE 8083
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD /opt/depthstream/bin/http-probe 8083 /
ENTRYPOINT ["/opt/depthstream/bin/connect-entrypoint"]
CMD []
