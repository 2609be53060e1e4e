from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "verksam.cards"
    label = "cards"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from verksam.partners.selectors import BadgeSource, badge_source_register
        from verksam.tenancy.permissions import Perm

        from .selectors import attested_not_booked_counts

        # the firm's Mina samarbeten: attested card purchases still to book, per customer (one query)
        badge_source_register(
            BadgeSource(
                "card_purchases",
                _("Card purchases not booked"),
                attested_not_booked_counts,
                Perm.EXPENSES_VIEW_ALL,
                "web:cards_portal",
            )
        )
