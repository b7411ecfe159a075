"""Make sure the administrator account `admin` exists and print how to sign in.

The password is CLUSTERBRIDGE_ADMIN_PASSWORD when set; otherwise one is generated the
first time, kept (readable by the owner only) in VAR_DIR, and printed on each run while
it is still the account's password.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from clusterbridge.env import env_str


class Command(BaseCommand):
    help = "Create or update the administrator `admin` and print its sign-in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        password_file = settings.VAR_DIR / "admin_password"
        given = env_str("CLUSTERBRIDGE_ADMIN_PASSWORD")
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        if not (user.is_staff and user.is_superuser and user.is_active):
            user.is_staff = user.is_superuser = user.is_active = True
            user.save(update_fields=["is_staff", "is_superuser", "is_active"])
        if given:
            if created or not user.check_password(given):
                user.set_password(given)
                user.save(update_fields=["password"])
            password_text = "(the value of CLUSTERBRIDGE_ADMIN_PASSWORD)"
        elif created or not user.has_usable_password():
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password)
            password_file.chmod(0o600)
            password_text = password
        elif password_file.exists() and user.check_password(password_file.read_text().strip()):
            password_text = password_file.read_text().strip()
        else:
            password_text = "(unchanged; set CLUSTERBRIDGE_ADMIN_PASSWORD to reset it)"
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrator sign-in: {settings.SITE_URL}/account/login/  "
                f"user: {username}  password: {password_text}"
            )
        )
