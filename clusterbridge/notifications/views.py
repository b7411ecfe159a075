from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clusterbridge.notifications import services
from clusterbridge.notifications.models import Notification


@login_required
def inbox(request):
    mine = Notification.objects.filter(recipient=request.user)
    page = Paginator(mine, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": mine.filter(read_at__isnull=True).count()},
    )


@require_POST
@login_required
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("notification") if i.isdigit()]
    if not ids and not request.POST.get("all"):
        messages.info(request, "Select the notifications to mark, or mark all.")
        return redirect("notifications:inbox")
    count = services.mark_read(request.user, None if request.POST.get("all") else ids)
    messages.success(request, f"{count} notification(s) marked as read.")
    return redirect("notifications:inbox")
