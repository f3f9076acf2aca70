"""View decorators about who the user is."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from yiwang.accounts.models import VerificationLevel


def identity_required(template: str):
    """Logged in and at identity level 2 (实名核验); otherwise ``template`` (status 403) tells the
    user how to verify."""

    def decorate(view):
        @login_required
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.level < VerificationLevel.IDENTITY:
                return render(request, template, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
