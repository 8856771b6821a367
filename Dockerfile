# syntax=docker/dockerfile:1
# Loket in a container: a static binary on distroless, run as a non-root user.
#
#   docker build -t loket .
#   docker run --env-file loket.env -p 8080:8080 loket
#
# See compose.yaml for Loket with its PostgreSQL, and docs/operations.md.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags "-s -w" -o /out/loket ./cmd/loket \
    && mkdir -p /out/spool

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/loket /usr/local/bin/loket
# Updates taken while PostgreSQL is unreachable are kept here until it is back
# (docs/operations.md); mount a volume on it so a restart keeps them.
COPY --from=build --chown=65532:65532 /out/spool /var/lib/loket/spool
# The console and /healthz, /readyz (and /metrics, and the webhook when
# LOKET_WEBHOOK_URL is set) are served here; put TLS in front (a reverse proxy).
ENV LOKET_HTTP_ADDR=0.0.0.0:8080 \
    LOKET_LOG_FORMAT=json \
    LOKET_SPOOL_DIR=/var/lib/loket/spool
EXPOSE 8080
USER nonroot:nonroot
# No HEALTHCHECK: distroless has no shell, curl or wget to run one. Let the
# orchestrator probe http://HOST:8080/healthz (liveness: the process is up) and
# /readyz (readiness: database reachable, index loaded); see docs/operations.md.
ENTRYPOINT ["/usr/local/bin/loket"]
CMD ["serve"]
