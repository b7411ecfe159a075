"""The record of an import run: how far it got, so that an interrupted import resumes
instead of starting over, and so that two runs of one file never write at the same time."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FAILED = "failed", "Stopped (can resume)"
        DONE = "done", "Done"

    kind = models.CharField(max_length=64, help_text="e.g. calls, sheet:instruments")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the file's bytes.")
    file_name = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    # The cursor: every item of the file up to this position (topic number, row number) is
    # written; a resumed run starts after it.
    position = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["kind", "digest", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name or self.digest[:12]} ({self.get_status_display()})"
