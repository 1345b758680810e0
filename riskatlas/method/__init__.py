"""The assessment method, as plain Python on plain data: no Django, no database.

Taxonomy, likelihood and impact scales, estimative language, risk matrices, scoring,
Admiralty source grading and area security levels. Defaults live in ``data/`` as YAML files
that an organisation can change. The rated register of a document and its summary are in
``riskatlas.method.register``, which areas each risk counts towards in
``riskatlas.method.areas`` (both read place names, so they are not imported here).
"""

from riskatlas.method.grading import Grade, parse_grade
from riskatlas.method.levels import AreaLevel, area_level, security_levels
from riskatlas.method.matrix import Matrix, MatrixLevel, default_matrix, load_matrix
from riskatlas.method.scales import (
    Scale,
    ScalePoint,
    impact_scale,
    likelihood_from_probability,
    likelihood_from_words,
    likelihood_scale,
)
from riskatlas.method.scoring import Rating, RiskScores, score_risk
from riskatlas.method.taxonomy import Category, Taxonomy, default_taxonomy

__all__ = [
    "AreaLevel",
    "Category",
    "Grade",
    "Matrix",
    "MatrixLevel",
    "Rating",
    "RiskScores",
    "Scale",
    "ScalePoint",
    "Taxonomy",
    "area_level",
    "default_matrix",
    "default_taxonomy",
    "impact_scale",
    "likelihood_from_probability",
    "likelihood_from_words",
    "likelihood_scale",
    "load_matrix",
    "parse_grade",
    "score_risk",
    "security_levels",
]
