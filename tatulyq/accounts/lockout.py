"""The account name django-axes counts login failures for."""


def lockout_username(request, credentials=None) -> str | None:
    """The e-mail as typed, trimmed and lower-cased: login ignores its case, so the
    failure count must too. (Axes would otherwise look for an "email" key, the user
    model's USERNAME_FIELD, which the login form does not send.)"""
    if credentials:
        value = credentials.get("username")
    else:
        value = getattr(request, "data", request.POST).get("username") if request else None
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower()
