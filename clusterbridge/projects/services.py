"""The write door of projects: the pages, the spreadsheet import and revert call it."""

from django.core.exceptions import ValidationError

from clusterbridge.accounts.roles import is_admin, require_verified
from clusterbridge.core.services import ModelService, register
from clusterbridge.projects.models import Project, Visibility

# What an unconfirmed account is told it cannot do yet (roles.require_verified).
PUBLISH = "publish a project"


class ProjectService(ModelService[Project]):
    """A new project belongs to the person who adds it; it may be handed to a cluster only
    by a manager of that cluster (or an administrator), whatever the path."""

    model = Project

    def initialise(self, obj: Project, user) -> None:
        if user is not None and user.is_authenticated:
            obj.owner = user

    def prepare(self, obj: Project, user, changed: set[str], *, note: str = "", author=None):
        # A public project speaks to others: an unconfirmed account keeps its projects private.
        published = obj.visibility == Visibility.PUBLIC and (
            obj.pk is None or "visibility" in changed
        )
        if published and user is not None:
            require_verified(user, PUBLISH)
        cluster = obj.owner_cluster if obj.owner_cluster_id else None
        if "owner_cluster" not in changed or cluster is None or user is None:
            return
        if not (is_admin(user) or cluster.is_managed_by(user)):
            raise ValidationError(
                {"owner_cluster": f"You do not manage the cluster “{cluster.name}”."}
            )


projects = register(ProjectService())
