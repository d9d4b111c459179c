"""REST API v1 for cases: serializers shape, filters and pagination read, views call services."""
