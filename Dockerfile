# paylink in a container: a static binary on distroless, run as a non-root user,
# with the SQLite database, uploaded files and certificates in the /data volume.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) --build-arg COMMIT=$(git rev-parse --short HEAD) -t paylink .
#   docker run -d -p 8080:8080 -v paylink-data:/data -e PAYLINK_PUBLIC_URL=https://pay.example.com paylink
#
# See README.md, "Deploying".

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
ARG COMMIT=""
# modernc.org/sqlite is pure Go: no cgo, so the binary runs on an image without libc.
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/paylink/paylink/internal/cli.Version=${VERSION} -X github.com/paylink/paylink/internal/cli.Commit=${COMMIT}" \
      -o /out/paylink ./cmd/paylink && \
    mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/paylink /usr/local/bin/paylink
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
# Listen on every interface of the container; no demo data in a real database.
ENV PAYLINK_ADDR=0.0.0.0:8080 \
    PAYLINK_DATABASE_URL=sqlite:/data/paylink.db \
    PAYLINK_DEMO=false
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["/usr/local/bin/paylink", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/paylink"]
CMD ["serve"]
