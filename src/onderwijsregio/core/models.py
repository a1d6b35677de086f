"""Shared kernel models: the append-only audit log and the progress of long-running jobs."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly(_("Auditgebeurtenissen kunnen niet worden gewijzigd."))

    def delete(self):
        raise AuditLogIsAppendOnly(_("Auditgebeurtenissen kunnen niet worden verwijderd."))


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEvent(models.Model):
    """One thing someone did (or read) in the platform.

    Append-only: the model refuses updates and deletes, and a database trigger (migration 0002)
    refuses them for anyone who bypasses the ORM. `organisation_id` is a plain integer, not a
    foreign key, because the kernel may not depend on the organisations app and because the
    event must outlive the organisation it names.
    """

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        # The log outlives the people in it: deleting a user (erasure) leaves their events as they
        # were (actor_label keeps who it was), and the append-only trigger would refuse SET_NULL.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("actor (tekst)"), max_length=255, blank=True)
    action = models.CharField(_("actie"), max_length=100, db_index=True)
    object_type = models.CharField(_("objecttype"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    organisation_id = models.BigIntegerField(_("organisatie-id"), null=True, blank=True, db_index=True)
    personal_data_read = models.BooleanField(_("inzage persoonsgegevens"), default=False, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditlog")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AuditLogIsAppendOnly(_("Auditgebeurtenissen kunnen niet worden gewijzigd."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly(_("Auditgebeurtenissen kunnen niet worden verwijderd."))


class Job(models.Model):
    """A long-running piece of work (an import, a forecast) and how far it has come.

    The work itself runs as a Django task on the worker; this row is what a page polls and what
    `manage.py job_status` prints, so users see progress whatever the task backend is.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("bezig")
        SUCCEEDED = "succeeded", _("klaar")
        FAILED = "failed", _("mislukt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("soort"), max_length=100)
    label = models.CharField(_("omschrijving"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("totaal"), default=0)
    done = models.PositiveIntegerField(_("gedaan"), default=0)
    message = models.CharField(_("melding"), max_length=500, blank=True)
    result = models.JSONField(_("resultaat"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gestart door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_id = models.BigIntegerField(_("organisatie-id"), null=True, blank=True, db_index=True)
    task_result_id = models.CharField(_("taak-id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("taak")
        verbose_name_plural = _("taken")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")) | models.Q(total=0), name="job_done_within_total"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}
