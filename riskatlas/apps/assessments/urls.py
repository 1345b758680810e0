from django.urls import path

from riskatlas.apps.assessments.views import (
    citing,
    downloads,
    editing,
    evidence,
    imports,
    pages,
    several,
    starting,
    workflow,
)
from riskatlas.apps.audit.views import audit_log

app_name = "assessments"

urlpatterns = [
    path("", pages.assessment_list, name="list"),
    path("import/", imports.import_assessment, name="import"),
    path("new/", starting.new_assessment, name="new"),
    path("teams/<slug:team>/template/", starting.team_template, name="team_template"),
    path(
        "assessments/<slug:slug>/v<int:number>/register/import/",
        imports.import_register,
        name="register-import",
    ),
    path("assessments/<slug:slug>/", pages.assessment_detail, name="detail"),
    path("assessments/<slug:slug>/v<int:number>/", pages.assessment_detail, name="version"),
    path(
        "assessments/<slug:slug>/v<int:number>/map.geojson",
        pages.assessment_map,
        name="map",
    ),
    path(
        "assessments/<slug:slug>/v<int:number>/report.<str:fmt>",
        downloads.assessment_report,
        name="report",
    ),
]

# Editing, review and approval, versions, audit (views/editing.py, views/workflow.py, audit app).
V = "assessments/<slug:slug>/v<int:number>/"
urlpatterns += [
    path("workspace/", workflow.workspace, name="workspace"),
    path("workspace/overdue/", workflow.overdue, name="overdue"),
    path("audit/", audit_log, name="audit"),
    path("assessments/<slug:slug>/history/", workflow.history, name="history"),
    path("assessments/<slug:slug>/diff/<int:old>/<int:new>/", workflow.diff, name="diff"),
    path("assessments/<slug:slug>/new-version/", workflow.new_version, name="new_version"),
    path(V + "review/", workflow.review, name="review"),
    path(V + "review/<slug:action>/", workflow.transition, name="transition"),
    path(V + "edit/", editing.overview, name="edit"),
    path(V + "risks/<slug:key>/open-data/", evidence.judge_evidence, name="judge_evidence"),
    path(V + "edit/metadata/", editing.metadata, name="edit_metadata"),
    path(V + "edit/risks/levels/", editing.risk_levels, name="risk_levels"),
    path(V + "edit/risks/threat/", editing.risk_threat, name="risk_threat"),
    path(
        V + "edit/risks/measure-choices/", editing.risk_measure_choices, name="risk_measure_choices"
    ),
    path(V + "edit/risks/several/", several.several_risks, name="several_risks"),
    path(V + "edit/risks/<int:pk>/measures/", editing.risk_measures, name="risk_measures"),
    path(V + "edit/risks/<int:pk>/cite/", citing.cite_source, name="cite_source"),
    path(V + "edit/sources/about/", citing.source_about, name="source_about"),
    path(V + "edit/<slug:kind>/", editing.part_list, name="edit_parts"),
    path(V + "edit/<slug:kind>/new/", editing.part_edit, name="edit_part_new"),
    path(V + "edit/<slug:kind>/<int:pk>/", editing.part_edit, name="edit_part"),
    path(V + "edit/<slug:kind>/<int:pk>/delete/", editing.part_delete, name="edit_part_delete"),
]
