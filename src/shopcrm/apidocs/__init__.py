"""The API description (/openapi.json) and its docs pages (/docs, /redoc)."""
