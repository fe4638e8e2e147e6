"""The notification centre and the user's e-mail choices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.notifications.forms import EmailChoicesForm
from portal.notifications.models import EMAIL_DEFAULT, EmailPreference, Kind, Notification
from portal.notifications.services import mark_read, set_email_choices


@login_required
def notification_list_view(request):
    notes = Notification.objects.filter(user=request.user)
    if request.GET.get("unread"):
        notes = notes.filter(read_at__isnull=True)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "unread_only": bool(request.GET.get("unread"))})


@login_required
@require_POST
def notification_open_view(request, pk):
    try:
        note = Notification.objects.get(pk=pk, user=request.user)
    except Notification.DoesNotExist:
        raise Http404("通知不存在。")
    mark_read(request.user, [note.pk])
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all_view(request):
    count = mark_read(request.user)
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("notifications:list")


@login_required
def notification_settings_view(request):
    choices = {
        **EMAIL_DEFAULT,
        **dict(EmailPreference.objects.filter(user=request.user).values_list("kind", "enabled")),
    }
    form = EmailChoicesForm(request.POST or None, kinds=Kind.choices, initial_choices=choices)
    if request.method == "POST" and form.is_valid():
        set_email_choices(request.user, form.cleaned_data)
        messages.success(request, "通知设置已保存。")
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form, "email": request.user.email})
