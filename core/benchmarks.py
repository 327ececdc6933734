"""Endpoints that exist for `make bench` only: they answer where the
`BENCHMARK_ENDPOINTS` setting is on (development, tests, the benchmarks) and 404
everywhere else, production always included."""

from functools import wraps

from django.conf import settings
from django.http import Http404


def benchmark_only(view):
    """`view`, answering 404 (as if it did not exist) unless benchmark endpoints
    are on."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.BENCHMARK_ENDPOINTS:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
