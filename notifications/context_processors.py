from notifications.models import InboxMessage


def inbox(request):
    if not request.user.is_authenticated:
        return {}
    # One query per page; lazy so pages that do not render the header pay nothing.
    return {"inbox_unread": lambda: InboxMessage.objects.filter(recipient=request.user, read_at__isnull=True).count()}
