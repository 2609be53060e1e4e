from django.db.models import QuerySet

from .models import ApiToken


def api_token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def user_exists_with_email(email: str) -> bool:
    from .models import User

    return User.objects.filter(email=(email or "").strip().lower()).exists()
