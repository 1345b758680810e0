from django.contrib import admin

from riskatlas.apps.drafts.models import DraftItem, SourceDocument


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "version", "engine", "created_at", "created_by")
    search_fields = ("title",)


@admin.register(DraftItem)
class DraftItemAdmin(admin.ModelAdmin):
    list_display = ("kind", "quote", "status", "document", "decided_by", "decided_at")
    list_filter = ("kind", "status")
