from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views import login_elsewhere
from core import views as core_views

from .api import api

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("codes/", include("codesets.urls")),
    path("practice/", include("case_studies.urls")),
    path("learn/", include("courses.urls")),
    path("exams/", include("exams.urls")),
    path("readiness/", include("readiness.urls")),
    path("account/privacy/", include("privacy.urls")),
    path("account/", include("accounts.urls")),
    path("classes/", include("cohorts.urls")),
    path("gradebook/", include("gradebook.urls")),
    path("disputes/", include("disputes.urls")),
    path("item-analysis/", include("item_analysis.urls")),
    path("notifications/", include("notifications.urls")),
    path("billing/", include("billing.urls")),
    # Every way in is allauth's (rate limits, email verification, TOTP): the other
    # login forms, ahead of the URLs that would serve them.
    path("admin/login/", login_elsewhere),
    path("django-admin/login/", login_elsewhere),
    path("_util/login/", login_elsewhere),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
