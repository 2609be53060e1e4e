from django.db.models import QuerySet

from .models import ApiToken


def api_token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)
