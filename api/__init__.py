"""HTTP API over the concept graph (FastAPI); its routes arrive with the API issue."""
