"""Issue a personal API token for automation: `clusterbridge create_token USER [--name N]`.

Only the key goes to standard output (so a script can capture it); it is shown this once,
as on the tokens page — the database keeps its hash."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clusterbridge.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Issue a new API token for USER (user name or e-mail address) and print its key."

    def add_arguments(self, parser):
        parser.add_argument("user", help="user name or e-mail address of the token's owner")
        parser.add_argument(
            "--name", default="command line", help="what the token is for (default: %(default)s)"
        )

    def handle(self, *args, user: str, name: str, **options):
        name = name.strip()
        if not name or len(name) > ApiToken._meta.get_field("name").max_length:
            raise CommandError("Give the token a name of 1 to 100 characters (--name).")
        owner = self._find(user)
        _, key = ApiToken.issue(owner, name)
        self.stdout.write(key)

    def _find(self, identifier: str):
        from allauth.account.utils import filter_users_by_email

        User = get_user_model()
        found = list(User.objects.filter(username=identifier, is_active=True))
        if not found and "@" in identifier:
            found = [u for u in filter_users_by_email(identifier) if u.is_active]
        if len(found) != 1:
            raise CommandError(
                f"No single active account has the user name or e-mail “{identifier}”."
            )
        return found[0]
