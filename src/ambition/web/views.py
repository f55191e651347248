"""The one page of the ground floor: "Your work", where the staff pages are grouped so
that the navigation keeps to one line. It names pages by URL name and asks permissions
through `user.has_perm`, so it imports no app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .context import work_links


@require_safe
@login_required
def work(request: HttpRequest) -> HttpResponse:
    return render(request, "web/work.html", {"links": work_links(request.user)})
