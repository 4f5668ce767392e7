# camel-azureml-retrain as a container image. Build the jar first, then the image (README: Deployment):
#   npm ci && mvn -B package -DskipTests && docker build -t camel-azureml-retrain .
FROM eclipse-temurin:17-jre

RUN groupadd --system retrain \
 && useradd --system --gid retrain --home-dir /app --shell /usr/sbin/nologin retrain \
 && mkdir -p /data \
 && chown retrain:retrain /data

WORKDIR /app
COPY target/camel-azureml-retrain.jar /app/camel-azureml-retrain.jar
# The pipeline as an editable route file: mount your edited copy over /app/routes.
COPY routes/ /app/routes/
# Faster start-up (README: Faster start-up): a class data sharing archive of this jar on this JVM, written by a
# training run against the built-in emulator (no network, nothing kept) while the image is built; every start maps it.
RUN java -XX:ArchiveClassesAtExit=/app/camel-azureml-retrain.jsa -Xlog:cds=error -XX:MaxRAMPercentage=75 \
      -jar /app/camel-azureml-retrain.jar --cds-training --routes file:/app/routes/retrain.camel.yaml

# Run records and the model archive; keep /data on a volume so a restarted container resumes its run.
ENV RETRAIN_DATA_DIR=/data \
    RETRAIN_ARCHIVE_DIR=/data/models \
    CAMEL_MANAGEMENT_HOST=0.0.0.0
VOLUME ["/data"]
# Metrics and health (/observe/metrics, /observe/health) when CAMEL_MANAGEMENT_ENABLED=true.
EXPOSE 9876

USER retrain
# SIGTERM stops it gracefully: a run in flight stays recorded and resumes on the next start.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/camel-azureml-retrain.jsa", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/camel-azureml-retrain.jar", "--routes", "file:/app/routes/retrain.camel.yaml"]
