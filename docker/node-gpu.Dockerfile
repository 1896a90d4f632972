# syntax=docker/dockerfile:1
# The depthstream node on an NVIDIA GPU: onnxruntime_gpu (Maven profile gpu) on CUDA 12 + cuDNN 9, the versions
# ONNX Runtime 1.23's GPU build links against. Build from the repository root, the build context:
#   docker build -f docker/node-gpu.Dockerfile -t depthstream-node-gpu .
#   docker run --rm --gpus all -p 9464:9464 -e DEPTHSTREAM_KAFKA_BOOTSTRAP_SERVERS=kafka:9092 depthstream-node-gpu
# Needs the NVIDIA Container Toolkit on the host. Same layout, user, health check and settings as
# docker/node.Dockerfile; depthstream.inference.provider is cuda here (DEPTHSTREAM_INFERENCE_PROVIDER=cpu undoes it).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -Pgpu -pl stream-app -am package \
 && mkdir /dist && tar -xzf stream-app/target/depthstream-node-*.tar.gz -C /dist --strip-components=1

# The JRE of the CPU image, copied onto the CUDA base.
FROM eclipse-temurin:17-jre AS jre

FROM nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
COPY --from=build /dist/ /opt/depthstream/
COPY --chmod=0755 docker/http-probe.sh /opt/depthstream/bin/http-probe
# cds/ writable by that user: the start script records its class-sharing archive there on the first run that serves,
# and a restart of the same container (restart: unless-stopped) maps it (README.md, "Running against a real cluster").
RUN groupadd --system --gid 10001 depthstream \
 && useradd --system --uid 10001 --gid 10001 --home-dir /opt/depthstream --no-create-home depthstream \
 && mkdir -p /opt/depthstream/cds && chown 10001:10001 /opt/depthstream/cds
USER 10001:10001
WORKDIR /opt/depthstream
ENV JAVA_OPTS="-XX:+UseG1GC -XX:G1HeapRegionSize=8m -XX:MaxRAMPercentage=75"
ENV DEPTHSTREAM_INFERENCE_PROVIDER=cuda
EXPOSE 9464
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
    CMD bin/http-probe "${DEPTHSTREAM_METRICS_PORT:-9464}" /health
ENTRYPOINT ["bin/depthstream-node"]
