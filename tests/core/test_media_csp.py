"""With media on S3-compatible storage, the Content-Security-Policy lets pages and
the Wagtail admin show the uploaded images: the origin of every URL the storage
gives is among the img-src sources."""

import importlib
import sys
from urllib.parse import urlsplit

import pytest
from storages.backends.s3 import S3Storage

BUCKET = "coderacademy-media"
STORES = {
    "aws, regional": {"AWS_S3_REGION_NAME": "eu-west-2"},
    "aws, no region set": {},
    "custom domain (a CDN)": {"AWS_S3_CUSTOM_DOMAIN": "media.coderacademy.example"},
    "s3-compatible endpoint": {"AWS_S3_ENDPOINT_URL": "https://minio.internal:9000"},
}


@pytest.fixture(params=STORES, ids=list(STORES))
def store(request, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DATABASE_URL", "postgres://user@db.invalid:5432/coderacademy")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
    for name, value in STORES[request.param].items():
        monkeypatch.setenv(name, value)
    monkeypatch.delitem(sys.modules, "coderacademy.settings.production", raising=False)
    production = importlib.import_module("coderacademy.settings.production")
    storage = S3Storage(
        bucket_name=BUCKET,
        access_key="AKIAEXAMPLEEXAMPLE00",
        secret_key="example",
        region_name=production.AWS_S3_REGION_NAME,
        custom_domain=production.AWS_S3_CUSTOM_DOMAIN,
        endpoint_url=production.AWS_S3_ENDPOINT_URL,
        querystring_auth=production.AWS_QUERYSTRING_AUTH,
    )
    yield production, storage
    sys.modules.pop("coderacademy.settings.production", None)


def image_sources(policy: str) -> list[str]:
    directive = next(d for d in policy.split(";") if d.strip().startswith("img-src"))
    return directive.split()[1:]


def allowed(url: str, sources: list[str]) -> bool:
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin in sources


def test_uploaded_images_are_allowed_on_pages_and_in_the_admin(store):
    production, storage = store
    url = storage.url("original_images/chest-x-ray.png")
    assert url.startswith(("https://", "http://"))
    assert allowed(url, image_sources(production.CONTENT_SECURITY_POLICY))
    assert allowed(url, image_sources(production.CONTENT_SECURITY_POLICY_ADMIN))


def test_without_a_bucket_images_come_from_the_site_alone(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DATABASE_URL", "postgres://user@db.invalid:5432/coderacademy")
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    monkeypatch.delitem(sys.modules, "coderacademy.settings.production", raising=False)
    production = importlib.import_module("coderacademy.settings.production")
    sys.modules.pop("coderacademy.settings.production", None)
    assert image_sources(production.CONTENT_SECURITY_POLICY) == ["'self'", "data:"]
