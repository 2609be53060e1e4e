"""People and their credentials. A user is global; what they may do in a company comes from
tenancy.Membership or tenancy.PartnerGrant."""

import hashlib

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.core.identifiers import mask_personnummer, normalize_personnummer


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password) if password else user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(
        _("e-mail"), unique=True, error_messages={"unique": _("A user with that e-mail already exists.")}
    )
    name = models.CharField(_("name"), max_length=150)
    # 12 digits (YYYYMMDDNNNC), see DOMAIN.md; blank when unknown.
    personnummer = models.CharField(_("personnummer"), max_length=12, blank=True, default="")
    # A personnummer is an identity, not a profile field: access is granted by it (PartnerGrant) only
    # once someone answerable has confirmed it. Until BankID login exists that is the TOTAL user of
    # the person's accounting firm (tenancy.services.user_personnummer_verify); changing the number
    # clears it (tenancy.services.user_profile_update).
    personnummer_verified_at = models.DateTimeField(_("personnummer confirmed"), null=True, blank=True)
    personnummer_verified_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True, default="")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["personnummer"],
                condition=~models.Q(personnummer=""),
                name="accounts_user_personnummer_unique",
                violation_error_message=_("A user with that personnummer already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the length check: "19900101-0017" is stored as "199001010017".
        self.email = (self.email or "").strip().lower()
        if self.personnummer:
            try:
                self.personnummer = normalize_personnummer(self.personnummer)
            except ValidationError as exc:
                raise ValidationError({"personnummer": exc.messages}) from exc
        super().clean_fields(exclude=exclude)

    @property
    def personnummer_masked(self) -> str:
        return mask_personnummer(self.personnummer)

    @property
    def personnummer_verified(self) -> bool:
        return bool(self.personnummer) and self.personnummer_verified_at is not None


class RevokedReason(models.TextChoices):
    USER = "user", _("Revoked by its owner")
    PASSWORD = "password", _("Password changed")
    DEACTIVATED = "deactivated", _("User deactivated")


def credential_check(user: "User") -> str:
    """A digest of the user's current password hash: a token remembers it at creation and stops
    working once the password changes by any path (reset, admin, `manage.py changepassword`)."""
    return hashlib.sha256(f"verksam.api_token|{user.password}".encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 of the secret is stored; the secret is shown once.

    A token is the person's, not a company's: it reaches every company the person may enter at the
    time of each request (access is resolved per request, so a deactivated membership or a revoked
    partner grant closes that company at once while the token keeps working in the others)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # written at most once a minute (accounts.services.user_for_token), to keep the hot path cheap
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=20, choices=RevokedReason.choices, blank=True, default="")
    credential_check = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def status(self) -> str:
        """ "active", "expired" or "revoked" (also when the password changed after its creation)."""
        if self.revoked_at is not None or self.credential_check != credential_check(self.user):
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "active"

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def revocation(self) -> str:
        """Why it was revoked (a RevokedReason value), or "" while it has not been."""
        if self.revoked_at is not None:
            return self.revoked_reason or RevokedReason.USER
        return RevokedReason.PASSWORD if self.status == "revoked" else ""

    @property
    def revocation_label(self) -> str:
        reason = self.revocation
        return str(RevokedReason(reason).label) if reason else ""
