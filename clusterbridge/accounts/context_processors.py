from clusterbridge.accounts import roles as role_checks


def roles(request):
    user = getattr(request, "user", None)
    return {
        "is_editor": bool(user and role_checks.is_editor(user)),
        "is_admin": bool(user and role_checks.is_admin(user)),
        "is_cluster_manager": bool(user and role_checks.is_cluster_manager(user)),
    }
