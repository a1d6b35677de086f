"""People who log in, and what they are to which organisation (memberships)."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onderwijsregio.organisations.models import Organisation, SchoolLocation


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with a login. The email address is the login name."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("voorkeurstaal"),
        max_length=5,
        choices=[("", _("zoals mijn browser")), ("nl", "Nederlands"), ("en", "English")],
        default="",
        blank=True,
    )
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(
        _("toegang tot beheer"), default=False, help_text=_("Mag inloggen op de beheeromgeving.")
    )
    is_synthetic = models.BooleanField(_("fictief (demo)"), default=False)
    date_joined = models.DateTimeField(_("aangemaakt"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def audit_label(self) -> str:
        """Staff are named by email (accountability); candidates only by account id (privacy)."""
        if self.is_staff or self.is_superuser:
            return self.email
        roles = set(self.memberships.values_list("role", flat=True))
        if roles and roles <= {Role.CANDIDATE}:
            return f"kandidaat-account {self.pk}"
        return self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    REGIONAL_TEAM = "regional_team", _("regioteam")
    BOARD_HR = "board_hr", _("HR schoolbestuur")
    SCHOOL_LEADER = "school_leader", _("schoolleider")
    INSTITUTE_STAFF = "institute_staff", _("medewerker lerarenopleiding")
    POOL_MEMBER = "pool_member", _("poollid")
    CANDIDATE = "candidate", _("kandidaat")


# Which kinds of organisation each role can hold a membership of.
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    Role.REGIONAL_TEAM: {Organisation.Kind.REGION},
    Role.BOARD_HR: {Organisation.Kind.BOARD, Organisation.Kind.EMPLOYER},
    Role.SCHOOL_LEADER: {Organisation.Kind.BOARD},
    Role.INSTITUTE_STAFF: {Organisation.Kind.INSTITUTE},
    Role.POOL_MEMBER: {Organisation.Kind.BOARD, Organisation.Kind.EMPLOYER},
    Role.CANDIDATE: {Organisation.Kind.REGION},
}


class Membership(models.Model):
    """A role a user holds at an organisation; all permissions derive from these."""

    user = models.ForeignKey(User, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    school_location = models.ForeignKey(
        SchoolLocation,
        verbose_name=_("schoolvestiging"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Alleen voor schoolleiders: de vestiging die zij leiden."),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    ended_at = models.DateTimeField(_("beëindigd"), null=True, blank=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(ended_at__isnull=True),
                name="one_active_membership_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def audit_label(self) -> str:
        return f"lidmaatschap {self.pk}: {self.get_role_display()} bij {self.organisation}, account {self.user_id}"
