from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .dashboard import panels_for
from .health import last_worker_heartbeat, service_status


@never_cache
@require_GET
def healthz(request):
    status = service_status()
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "degraded",
            "services": status,
            "worker_heartbeat": last_worker_heartbeat(),
        },
        status=200 if healthy else 503,
    )


@login_required
def dashboard(request):
    return render(request, "core/dashboard.html", {"panels": panels_for(request.user)})
