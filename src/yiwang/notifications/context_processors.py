from django.utils.functional import SimpleLazyObject

from yiwang.notifications.queries import unread_count


def inbox(request):
    """``unread_messages`` for the header; counted only when a template shows it."""
    user = getattr(request, "user", None)
    return {"unread_messages": SimpleLazyObject(lambda: unread_count(user))}
