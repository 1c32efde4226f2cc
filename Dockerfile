# Container image for users who have Docker (or podman/buildah):
#   ./mvnw -DskipTests package
#   docker build -t lvs-control-plane:0.1.0-SNAPSHOT .
# Where no Docker engine runs (this project's build machines), image/build.sh makes
# the equivalent image from Debian's packages: see helm/README.md.
#
# The process runs as root by default: a director needs CAP_NET_ADMIN and CAP_NET_RAW
# in its effective set, which container runtimes grant only to UID 0 (added
# capabilities reach a non-root user's bounding set, not its effective set). Give it
# those two and drop the rest:
#   docker run --network host --cap-drop ALL --cap-add NET_ADMIN --cap-add NET_RAW \
#     --read-only --tmpfs /tmp --tmpfs /app/data lvs-control-plane:0.1.0-SNAPSHOT
# To try the API and UI without touching the host, run it unprivileged in dry-run:
#   docker run --user 10001 -p 8080:8080 lvs-control-plane:0.1.0-SNAPSHOT --lvs.dataplane=dry-run
FROM eclipse-temurin:17-jre-jammy

RUN groupadd --system --gid 10001 lvscp \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin lvscp \
 && mkdir -p /app/data /app/config \
 && chown 10001:10001 /app /app/data /app/config

WORKDIR /app
ARG JAR=target/lvs-control-plane-*.jar
COPY ${JAR} /app/lvs-control-plane.jar

ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
STOPSIGNAL SIGTERM
# exec form: java is PID 1 and gets SIGTERM itself (VRRP priority-0 advert on shutdown)
ENTRYPOINT ["java", "-jar", "/app/lvs-control-plane.jar"]
