from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import is_instructor

from .dashboard import Audience, panels_for
from .health import REQUIRED_FOR_READY, last_worker_heartbeat, service_status


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


@never_cache
@require_GET
def readyz(request):
    """For load balancers: 503 only when this process cannot serve at all. A cache
    or broker outage is named under `degraded` but keeps it in rotation, since
    every web process shares it and taking them all out would be an outage."""
    status = service_status()
    ready = all(status[name] == "ok" for name in REQUIRED_FOR_READY)
    return JsonResponse(
        {
            "status": "ready" if ready else "unavailable",
            "degraded": sorted(name for name, value in status.items() if value != "ok"),
            "services": status,
        },
        status=200 if ready else 503,
    )


@login_required
def dashboard(request):
    audience = Audience.INSTRUCTOR if is_instructor(request.user) else Audience.LEARNER
    return render(
        request,
        "core/dashboard.html",
        {"panels": panels_for(request.user, audience), "audience": audience},
    )
