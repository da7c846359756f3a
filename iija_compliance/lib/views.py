"""Decorators the site's pages share."""

from functools import wraps

from django.views.decorators.cache import never_cache


def private_page(view):
    """For pages behind a secret link: not cached, not indexed. The site-wide
    "same-origin" referrer policy keeps the link from other sites; "no-referrer" would
    also make browsers send "Origin: null" with the page's own forms, which CSRF refuses."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = never_cache(view)(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper
