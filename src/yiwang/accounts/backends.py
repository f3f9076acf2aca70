"""Log in with a username, a phone number or an ID number (looked up by blind index)."""

from django.contrib.auth.backends import ModelBackend

from yiwang.accounts.models import User
from yiwang.core.crypto import blind_index


def find_user_by_identifier(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    user = User.objects.filter(username=identifier).first()
    if user is None and identifier.isdigit() and len(identifier) == 11:
        user = User.objects.filter(phone_index=blind_index("phone", identifier)).first()
    if user is None and len(identifier) in (15, 18):
        user = User.objects.filter(id_number_index=blind_index("id_number", identifier)).first()
    return user


class MultiIdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user_by_identifier(username)
        if user is None:
            User().set_password(password or "")  # same work as a real check: no timing oracle
            return None
        if user.check_password(password or "") and self.user_can_authenticate(user) and not user.closed_at:
            return user
        return None
