from .models import Certification, Domain


def certification_list():
    return Certification.objects.prefetch_related("domains")


def domains_for(certification_slug: str):
    return Domain.objects.filter(certification__slug=certification_slug)
