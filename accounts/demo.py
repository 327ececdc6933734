"""Local demo accounts, listed in the README. Never created by production settings."""

from dataclasses import dataclass

from .roles import Role

DEMO_PASSWORD = "practice-coding-2026"
# A fixed, published TOTP secret so that demo instructors can log in; add it to any
# authenticator app, or run `make totp EMAIL=...` to print the current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPCODERACADEMYDEMO"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    role: Role


DEMO_ACCOUNTS = [
    DemoAccount("learner@demo.coderacademy.test", "Dana Learner", Role.LEARNER),
    DemoAccount("learner2@demo.coderacademy.test", "Sam Learner", Role.LEARNER),
    DemoAccount("instructor@demo.coderacademy.test", "Ira Instructor", Role.INSTRUCTOR),
    DemoAccount("reviewer@demo.coderacademy.test", "Rene Reviewer", Role.INSTRUCTOR),
    DemoAccount(
        "admin@demo.coderacademy.test", "Alex Administrator", Role.ADMINISTRATOR
    ),
]


def demo_user(role: Role):
    """The first demo account of `role`, as its user (once the demo is loaded)."""
    from django.contrib.auth import get_user_model

    email = next(account.email for account in DEMO_ACCOUNTS if account.role == role)
    return get_user_model().objects.get(email=email)
