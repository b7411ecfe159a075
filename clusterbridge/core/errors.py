"""Error pages: JSON for the API, HTML for people."""

from django.http import JsonResponse
from django.shortcuts import render


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": f"Nothing is at {request.path}."}, status=404)
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "You may not do this."}, status=403)
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def server_error(request):
    if _wants_json(request):
        return JsonResponse({"detail": "Server error; it has been logged."}, status=500)
    return render(request, "errors/500.html", status=500)
