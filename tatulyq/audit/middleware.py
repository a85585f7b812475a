from tatulyq.audit.context import acting_as


def client_address(request) -> str | None:
    # Behind a proxy, the proxy sets REMOTE_ADDR from X-Forwarded-For (gunicorn
    # --forwarded-allow-ips); we never trust the header ourselves.
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Makes the requesting user, membership and address known to `audit.record`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = _LazyRequestActor(request)
        with acting_as(actor):
            return self.get_response(request)


class _LazyRequestActor:
    """Reads the user and membership when an entry is written, after login and
    membership switching have happened in this very request."""

    def __init__(self, request):
        self._request = request

    @property
    def user(self):
        return getattr(self._request, "user", None)

    @property
    def membership(self):
        return getattr(self._request, "membership", None)

    @property
    def ip_address(self):
        return client_address(self._request)
