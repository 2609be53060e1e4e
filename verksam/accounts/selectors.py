from django.db.models import QuerySet

from .models import ApiToken


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first, with the user loaded (a token's status reads it)."""
    return ApiToken.objects.filter(user=user).select_related("user")


def user_exists_with_email(email: str) -> bool:
    from .models import User

    return User.objects.filter(email=(email or "").strip().lower()).exists()
