# depthstream stream-app image. Build from the repository root:
#   docker build -f docker/Dockerfile -t depthstream .
# The default build is CPU-only (onnxruntime); add --build-arg MAVEN_PROFILES=gpu for onnxruntime_gpu
# (needs CUDA 12 + cuDNN 9 in the runtime image, e.g. an nvidia/cuda base).
FROM maven:3.9-eclipse-temurin-17 AS build
ARG MAVEN_PROFILES=""
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests ${MAVEN_PROFILES:+-P$MAVEN_PROFILES} -pl stream-app -am package

FROM eclipse-temurin:17-jre
WORKDIR /opt/depthstream
# The node's runtime classpath only: no broker, Connect runtime, demo or benchmark jars.
COPY --from=build /src/stream-app/target/stream-app-*.jar lib/
COPY --from=build /src/stream-app/target/lib/ lib/
COPY config/ config/
COPY models/ models/
EXPOSE 9464
# Settings come from config/depthstream.properties, DEPTHSTREAM_* environment variables and --set key=value.
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:G1HeapRegionSize=8m", "-cp", "lib/*", "io.depthstream.streams.StreamApp", "--config", "config/depthstream.properties"]
