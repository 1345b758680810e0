"""The table of the cache the app processes share (settings.CACHES: the database unless
REDIS_URL is set); ``createcachetable`` makes it only when it is missing."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_jobs")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
