from django.conf import settings

from portal.core.navigation import menu_for


def portal(request):
    user = getattr(request, "user", None)
    context = {"site_name": settings.PORTAL_SITE_NAME}
    if user is not None and user.is_authenticated:
        context["main_menu"] = menu_for(user, request.path)
        context["idle_timeout_minutes"] = settings.PORTAL_IDLE_TIMEOUT_MINUTES
    return context
