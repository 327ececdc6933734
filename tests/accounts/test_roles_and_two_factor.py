import subprocess
import sys

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_ACCOUNTS, DEMO_TOTP_SECRET
from accounts.management.commands.create_demo_accounts import REFUSED_IN_PRODUCTION
from accounts.roles import Role, assign_role

pytestmark = pytest.mark.django_db


def test_roles_exist_from_the_data_migration():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Learner", "Instructor", "Administrator"} <= names
    instructor = Group.objects.get(name="Instructor")
    assert instructor.permissions.filter(codename="access_admin").exists()
    assert not Group.objects.get(name="Learner").permissions.exists()


def test_instructor_without_two_factor_is_sent_to_turn_it_on(client, instructor):
    client.force_login(instructor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/totp/activate/")


def test_learner_made_instructor_mid_session_must_turn_on_two_factor(
    learner_client, learner
):
    assert learner_client.get("/dashboard/").status_code == 200
    assign_role(learner, Role.INSTRUCTOR)
    for path in ["/dashboard/", "/api/exams/"]:
        response = learner_client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith("/accounts/2fa/totp/activate/"), path


def test_instructor_with_two_factor_reaches_the_wagtail_admin(instructor_client):
    response = instructor_client.get("/admin/")
    assert response.status_code == 200
    assert "wagtail" in response.content.decode().lower()


def test_instructor_is_not_a_superuser(instructor):
    assert not instructor.is_superuser


def test_learner_cannot_reach_the_wagtail_admin(learner_client):
    for path in ["/admin/", "/admin/pages/", "/admin/images/"]:
        response = learner_client.get(path)
        assert response.status_code == 302, path
        assert not response.url.startswith("/admin/"), path


def test_learner_may_turn_on_two_factor_but_need_not(learner_client):
    assert learner_client.get("/dashboard/").status_code == 200
    assert learner_client.get("/accounts/2fa/").status_code == 200


def test_demo_accounts_are_created_idempotently_with_two_factor_for_staff(settings):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    call_command("create_demo_accounts")
    call_command("create_demo_accounts")
    for account in DEMO_ACCOUNTS:
        has_totp = Authenticator.objects.filter(
            user__email=account.email, type=Authenticator.Type.TOTP
        ).count()
        assert has_totp == (0 if account.role == "Learner" else 1)
    assert DEMO_TOTP_SECRET


def test_demo_accounts_are_refused_when_not_allowed(settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(CommandError, match=REFUSED_IN_PRODUCTION):
        call_command("create_demo_accounts")


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "coderacademy.settings.production",
    "SECRET_KEY": "x9!k2-" * 12,
    "DATABASE_URL": "postgres://coderacademy@db.internal/coderacademy",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "ALLOWED_HOSTS": "coderacademy.example",
    "EMAIL_HOST": "smtp.example",
    "PATH": "/usr/bin:/bin",
}


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=env, capture_output=True, text=True
    )


def test_production_check_deploy_is_clean_when_configured():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
