"""Project writes, called by the pages and the API alike; every one goes through history."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from clusterbridge.accounts.roles import require_verified
from clusterbridge.core import history
from clusterbridge.projects.models import Project, Visibility

PUBLISH = "publish a project"


def _check_publishing(form, user) -> None:
    """A public project speaks to others: an unconfirmed account keeps its projects private."""
    if form.instance.visibility == Visibility.PUBLIC:
        require_verified(user, PUBLISH)


@transaction.atomic
def create(form, *, user) -> Project:
    if not Project.user_can_create(user):
        raise PermissionDenied("Sign in to add a project.")
    _check_publishing(form, user)
    project = form.save(commit=False)
    project.owner = user
    history.save_form(form, user=user, message="Project added")
    return project


@transaction.atomic
def update(form, *, user) -> Project:
    history.check_can_change(Project.objects.get(pk=form.instance.pk), user)
    _check_publishing(form, user)
    history.save_form(form, user=user)
    return form.instance


@transaction.atomic
def delete(project: Project, *, user) -> None:
    history.check_can_change(project, user)
    history.soft_delete(project, user=user)
