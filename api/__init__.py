"""The web service: the REST API under /api/v1 and the pages people use."""
