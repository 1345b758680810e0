"""Writing audit entries from model signals, for assessment versions and all their parts,
and for any model with an ``audit_where()`` giving its team (the travel app's).

Every save and delete of an ``AssessmentVersion`` or a ``VersionPart`` model goes through
``pre_save``/``post_save``/``pre_delete``/``post_delete``; the values before the change are
read from the database, the values after from the instance. Entries are written in the same
transaction as the change, so a rolled-back import leaves no entries behind. (``bulk_create``
and ``QuerySet.update`` send no signals: the import's evidence rows are covered by the entry
of the version they belong to.)
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from riskatlas.apps.audit.context import current_actor


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's stored fields as JSON-safe values (foreign keys as ids)."""
    values = {f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields}
    loaded: dict[str, Any] = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    return loaded


def _describe(instance: models.Model, where: dict[str, Any]) -> str:
    """A short name for the object that needs no query: its id, title or name."""
    if _is_version(instance):
        return f"{where.get('assessment', '?')} v{where.get('version_number', '?')}"
    for attr in ("key", "code", "title", "name"):
        value = getattr(instance, attr, None)
        if value:
            return str(value)[:300]
    if instance._meta.model_name == "evidence":
        return f"on {instance.subject_kind} {instance.subject_id}"  # type: ignore[attr-defined]
    return f"{instance._meta.verbose_name} {instance.pk}"


def _is_version(instance: models.Model) -> bool:
    return instance._meta.label == "assessments.AssessmentVersion"


def _where(instance: models.Model) -> dict[str, Any]:
    """Team, assessment slug and version of the changed object (one query at most)."""
    from riskatlas.apps.assessments.models import AssessmentVersion

    audit_where = getattr(instance, "audit_where", None)
    if audit_where is not None:  # the models outside assessments (trips...) say their team
        where: dict[str, Any] = audit_where()
        return where
    if _is_version(instance):
        version: Any = instance
    else:
        version = instance._state.fields_cache.get("version")
    if version is not None and "assessment" in version._state.fields_cache:
        assessment = version.assessment
        return {
            "team_id": assessment.team_id,
            "assessment": assessment.slug,
            "version_id": version.pk,
            "version_number": version.number,
        }
    version_id = version.pk if version is not None else getattr(instance, "version_id", None)
    row = (
        AssessmentVersion.objects.filter(pk=version_id)
        .values_list("number", "assessment__slug", "assessment__team_id")
        .first()
    )
    if row is None:
        return {}
    return {
        "team_id": row[2],
        "assessment": row[1],
        "version_id": version_id,
        "version_number": row[0],
    }


def record(
    instance: models.Model,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    where: dict[str, Any] | None = None,
) -> None:
    from riskatlas.apps.audit.models import QUIET_FIELDS, AuditEntry

    if action == AuditEntry.Action.CHANGED and before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        if not changed - QUIET_FIELDS:
            return
    where = where if where is not None else _where(instance)
    actor = current_actor()
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    AuditEntry.objects.create(
        user=user,
        username=user.get_username() if user is not None else "",
        via=actor.via,
        action=action,
        object_type=str(instance._meta.verbose_name),
        object_id=instance.pk,
        object_key=_describe(instance, where),
        before=before,
        after=after,
        **where,
    )


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    stored = sender._base_manager.filter(pk=instance.pk).first() if instance.pk else None
    instance._audit_before = snapshot(stored) if stored is not None else None  # type: ignore[attr-defined]


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if kwargs.get("raw"):
        return
    before = getattr(instance, "_audit_before", None)
    action = "created" if created or before is None else "changed"
    record(instance, action, None if action == "created" else before, snapshot(instance))


def _before_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    instance._audit_where = _where(instance)  # type: ignore[attr-defined]


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    record(instance, "deleted", snapshot(instance), None, getattr(instance, "_audit_where", {}))


def audited_models() -> list[type[models.Model]]:
    from riskatlas.apps.assessments.models import AssessmentVersion, VersionPart

    return (
        [AssessmentVersion]
        + [m for m in apps.get_models() if issubclass(m, VersionPart) and not m._meta.abstract]
        # Models of other apps that say their team (travel: trips, travellers, approvals...).
        + [m for m in apps.get_models() if hasattr(m, "audit_where")]
    )


def connect() -> None:
    for model in audited_models():
        uid = f"audit-{model._meta.label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post-save")
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{uid}-pre-delete")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-post-delete")
