"""The answers every operation can give besides its own, added to the OpenAPI schema after
drf-spectacular builds it (POSTPROCESSING_HOOKS), so that schema and behaviour agree:

- 400: a query parameter or body the operation does not take, or a value it refuses (every
  operation refuses unknown parameters);
- 413 and 415, for operations that take a body: a body over the size limit, a content type the
  operation does not parse;
- 503: the database unreachable, with Retry-After (config.errors.server_error).

An operation that documents one of these itself keeps its own description."""

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}

COMMON = {
    "400": "The request is not valid: `detail` says why, `errors` per field.",
    "503": "The service is temporarily unavailable (its database is unreachable); retry after "
    "the number of seconds in Retry-After.",
}
WITH_BODY = {
    "413": "The request body is too large.",
    "415": "The request's Content-Type is not one this operation reads.",
}
METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}


def document_common_errors(result, generator, request, public):
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            extra = {**COMMON, **(WITH_BODY if "requestBody" in operation else {})}
            for status, description in extra.items():
                responses.setdefault(status, {"content": ERROR, "description": description})
            operation["responses"] = dict(sorted(responses.items()))
    return result
