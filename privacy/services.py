"""A learner deletes their account (GDPR art. 17, right to erasure).

Everything personal goes with the user row (attempts, enrolments, readiness,
class memberships, disputes with their rulings, notifications, email addresses,
second factors: all cascade), and so do the class invitations sent to the
learner's addresses. Graded answers stay in the ledger for item statistics,
detached from the person first (`grading.services.graded_responses_anonymise`):
a dispute holds the learner's own words and nothing counts it, so it goes the
way of the attempt it argued about, not of the anonymous answer.
"""

from __future__ import annotations

from django.db import transaction

from accounts.roles import is_privileged
from grading.services import graded_responses_anonymise
from privacy.selectors import invitations_addressed_to

STAFF_ACCOUNT = (
    "Instructor and administrator accounts are closed by an administrator, so "
    "the content they authored keeps an owner."
)
WRONG_PASSWORD = "That is not your password: your account was not deleted."


class AccountDeletionRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def may_delete_own_account(user) -> bool:
    return not is_privileged(user)


@transaction.atomic
def account_delete(*, user, password: str) -> int:
    """Delete `user` after checking `password`, anonymising their graded answers
    and deleting the class invitations sent to them first; returns how many
    ledger rows were kept anonymously. Raises `AccountDeletionRefused`
    (WRONG_PASSWORD, STAFF_ACCOUNT), deleting nothing."""
    if not may_delete_own_account(user):
        raise AccountDeletionRefused(STAFF_ACCOUNT)
    if not user.check_password(password):
        raise AccountDeletionRefused(WRONG_PASSWORD)
    kept = graded_responses_anonymise(learner=user)
    invitations_addressed_to(user).delete()
    user.delete()
    return kept
