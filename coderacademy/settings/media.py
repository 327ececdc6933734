"""Where uploaded media is served from, for the Content-Security-Policy."""

from urllib.parse import urlsplit


def media_origins(
    *,
    bucket: str,
    custom_domain: str | None,
    endpoint_url: str | None,
    region: str | None,
) -> str:
    """The origins, as CSP sources, from which django-storages' S3 backend serves
    the bucket's files: the custom domain when one is set; otherwise the
    S3-compatible endpoint, addressed by path or with the bucket as a subdomain;
    otherwise AWS's global and regional virtual-hosted names."""
    if custom_domain:
        return f"https://{custom_domain}"
    if endpoint_url:
        endpoint = urlsplit(endpoint_url)
        origin = f"{endpoint.scheme}://{endpoint.netloc}"
        return f"{origin} {endpoint.scheme}://{bucket}.{endpoint.netloc}"
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return " ".join(origins)
