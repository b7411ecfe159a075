"""A person with something in every panel of My ClusterBridge and in every part of
"download my data"."""

from clusterbridge.alerts import services as alert_services
from clusterbridge.alerts.models import SavedSearch
from clusterbridge.clusters import services as cluster_services
from clusterbridge.clusters.models import Cluster
from clusterbridge.funding.models import Instrument
from clusterbridge.projects.models import Project, Visibility


def give_a_bit_of_everything(user, admin, n: int = 1) -> None:
    from clusterbridge.accounts.models import ApiToken

    for i in range(n):
        alert = SavedSearch(name=f"Drone calls {i}", query=f"q=drone{i}")
        alert_services.save_alert(alert, user=user)
    for instrument in Instrument.objects.order_by("pk")[:n]:
        alert_services.watch(instrument, user=user)
    for cluster in Cluster.objects.public().order_by("pk")[:n]:
        cluster_services.grant_manager(cluster, admin, user)
    for i in range(n):
        name = f"Adriatic Drone Cluster {i}"
        if not Cluster.all_objects.filter(name=name).exists():  # names are unique
            cluster_services.propose(user, {"name": name})
        Project.objects.create(name=f"Drone {i}", owner=user, visibility=Visibility.PRIVATE)
        ApiToken.issue(user, f"script {i}")
