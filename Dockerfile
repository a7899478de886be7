# The download service as a container image: `docker build -t factsheet .`
#
#   docker run -p 8000:8000 -v factsheet-data:/data factsheet
#
# The release being served and the clinic cache live on the /data volume, so every
# container (or worker process) that mounts it serves the same release and shares one
# clinic cache; the image itself holds only the code, fonts, layouts and content. Publish
# a new release into the volume with
#
#   docker run --rm -v factsheet-data:/data factsheet factsheet release --releases /data/releases
#
# (running containers switch to it within 2 s). Runs as an unprivileged user; /healthz
# answers 200 "ok <release id>" once a release is being served; one access-log line per
# request goes to stdout. See docs/deploy.md.
FROM python:3.11-slim-bookworm

# curl for the health check. Nothing else from apt: every font is in fonts/ (Noto Naskh
# Arabic and Noto Sans Devanagari included), and every wheel is prebuilt: no compilers.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /app --uid 10001 factsheet
WORKDIR /app
COPY --chown=factsheet:factsheet pyproject.toml README.md LICENSE ./
COPY --chown=factsheet:factsheet factsheet ./factsheet
COPY --chown=factsheet:factsheet layouts ./layouts
COPY --chown=factsheet:factsheet fonts ./fonts
COPY --chown=factsheet:factsheet content ./content
# Editable: layouts, fonts and content are found beside the package (factsheet/publish/files.py).
RUN pip install --no-cache-dir -e . \
 && mkdir -p /data && chown factsheet:factsheet /data

USER factsheet
VOLUME ["/data"]
EXPOSE 8000
ENV WORKERS=2
HEALTHCHECK --interval=30s --timeout=3s --start-period=120s \
  CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
# --content: the content baked into the image makes the first release when /data has none.
CMD ["sh", "-c", "exec factsheet serve --host 0.0.0.0 --port 8000 --workers \"$WORKERS\" --releases /data/releases --cache /data/cache --content /app/content --access-log"]
