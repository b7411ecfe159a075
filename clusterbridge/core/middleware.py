import uuid

from clusterbridge.core.request_context import request_id_scope


class RequestIdMiddleware:
    """Gives each request an id (shown in the X-Request-ID header and kept in history)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_id_scope(uuid.uuid4()) as request_id:
            request.id = request_id
            response = self.get_response(request)
        response["X-Request-ID"] = str(request_id)
        return response
