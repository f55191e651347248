"""The account page: a person's roles and their API tokens, made and revoked here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .models import ApiToken, RoleGrant
from .tokens import issue_token, revoke


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What the token is for, for example the script that will use it",
    )


@login_required
@never_cache  # the response to making a token holds it, and must not be kept by the browser
@require_http_methods(["GET", "HEAD", "POST"])
def account_page(request: HttpRequest) -> HttpResponse:
    """Making a token answers with the page itself, the token in it: shown this once, it is
    never put in a URL or the session."""
    form = TokenForm(request.POST or None)
    made: tuple[ApiToken, str] | None = None
    if request.method == "POST" and form.is_valid():
        made = issue_token(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(request, "accounts/account.html", _context(request.user, form, made))


def _context(user: Any, form: TokenForm, made: tuple[ApiToken, str] | None) -> dict[str, Any]:
    return {
        "form": form,
        "grants": RoleGrant.objects.for_user(user).select_related("authority").order_by("role"),
        "tokens": ApiToken.objects.filter(user=user),
        "new_token": made[0] if made else None,
        "raw_token": made[1] if made else None,
    }


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    # Another person's token is not found, rather than forbidden: its existence is not theirs.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke(token)
    messages.success(request, f"Token “{token.name}” ({token.prefix}…) has been revoked.")
    return redirect("account")
