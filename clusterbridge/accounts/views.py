"""Pages of a person's own account. Sign-up, sign-in, e-mail addresses, password and
two-factor authentication are allauth's views (urls.py), with the site's templates."""

import json

from allauth.account import views as allauth_views
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from clusterbridge.accounts import adapter, dashboard, services
from clusterbridge.accounts.forms import DeleteAccountForm, TokenForm
from clusterbridge.accounts.models import ApiToken


class LoginView(allauth_views.LoginView):
    """allauth's sign-in; a locked-out attempt answers 429 Too Many Requests."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", code=adapter.LOCKED_OUT):
            response.status_code = 429
        return response


@login_required
def my_clusterbridge(request):
    panels = [
        (panel, render_to_string(panel.template, context, request=request))
        for panel, context in dashboard.panels_for(request)
    ]
    unverified = (
        EmailAddress.objects.filter(user=request.user, verified=False)
        .order_by("-primary", "email")
        .first()
    )
    return render(
        request, "accounts/my_clusterbridge.html", {"panels": panels, "unverified": unverified}
    )


@login_required
def tokens(request):
    new_key = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, new_key = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": request.user.api_tokens.all(), "new_key": new_key},
        status=201 if new_key else 200,
    )


@require_POST
@login_required
def revoke_token(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, f"The token “{token.name}” was revoked.")
    return redirect("tokens")


@never_cache
@require_GET
@login_required
def download_data(request):
    data = services.export_personal_data(request.user)
    day = timezone.localdate().isoformat()
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="clusterbridge-{request.user.pk}-{day}.json"'
    )
    return response


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, "Your account was deleted.")
            return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form})
