"""Who changed what. Reviewed content (cases, lessons, exam questions and
blueprints) keeps Wagtail revisions and log entries, each with a user; the
command-line imports name theirs with `--actor EMAIL`, or run as the system user.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

SYSTEM_EMAIL = "system@coderacademy.invalid"
SYSTEM_NAME = "System (command line)"
UNKNOWN_ACTOR = "No account has the email {email!r}."


def system_user():
    """The inactive account, with no usable password, that imports run as when no
    actor is named; created the first time it is needed."""
    user, created = get_user_model().objects.get_or_create(
        email=SYSTEM_EMAIL, defaults={"is_active": False, "display_name": SYSTEM_NAME}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def actor_resolve(*, email: str | None):
    """The account named by `email`, or the system user when none is given;
    `LookupError` (message `UNKNOWN_ACTOR`) when no account has that email."""
    if not email:
        return system_user()
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        raise LookupError(UNKNOWN_ACTOR.format(email=email))
    return user


class ActorCommand(BaseCommand):
    """A management command that writes content and records who did it."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--actor",
            metavar="EMAIL",
            help=f"The account the import is recorded as (default: {SYSTEM_EMAIL}).",
        )

    def actor(self, options):
        try:
            return actor_resolve(email=options.get("actor"))
        except LookupError as error:
            raise CommandError(str(error)) from None


def revision_publisher_id(instance, revision) -> int | None:
    """The id of the user who published `revision` of `instance` (the approver,
    when a review workflow published it), from its publish log entry; None when
    it was not logged or `revision` is None."""
    from wagtail.log_actions import registry

    if revision is None:
        return None
    return (
        registry.get_logs_for_instance(instance)
        .filter(action="wagtail.publish", revision=revision)
        .values_list("user_id", flat=True)
        .first()
    )


def revision_published_before(instance, revision):
    """The revision of `instance` published last before `revision` (from the
    publish log), or None when `revision` is its first publish."""
    from wagtail.log_actions import registry

    entry = (
        registry.get_logs_for_instance(instance)
        .filter(action="wagtail.publish", revision__isnull=False)
        .exclude(revision=revision)
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return entry.revision if entry else None
