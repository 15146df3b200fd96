# The studygraph CLI and API server; docker-compose.yml runs it against Neo4j.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md settings.py ./
COPY cli ./cli
COPY graph ./graph
COPY ingest ./ingest
COPY api ./api
COPY viz ./viz
RUN pip install . && useradd --create-home studygraph

USER studygraph
ENV STUDYGRAPH_DATA_DIR=/home/studygraph/.studygraph
EXPOSE 8000
ENTRYPOINT []
CMD ["studygraph", "--help"]
