from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications.models import InboxMessage
from notifications.services import inbox_mark_read


def inbox(request):
    messages_list = InboxMessage.objects.filter(recipient=request.user)[:200]
    return render(request, "notifications/inbox.html", {"messages_list": messages_list})


@require_POST
def inbox_read(request):
    inbox_mark_read(user=request.user)
    return redirect("inbox")
