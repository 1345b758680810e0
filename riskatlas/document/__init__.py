"""The assessment interchange format (YAML + JSON Schema): reading with line numbers,
validating, normalising, writing and comparing documents. Pure Python."""

from riskatlas.document.diff import Change, diff_documents
from riskatlas.document.normalise import normalise
from riskatlas.document.problems import DocumentError, Problem
from riskatlas.document.schema import assessment_schema
from riskatlas.document.validation import Validation, load_document, validate_file, validate_text
from riskatlas.document.yaml_lines import dump

__all__ = [
    "Change",
    "DocumentError",
    "Problem",
    "Validation",
    "assessment_schema",
    "diff_documents",
    "dump",
    "load_document",
    "normalise",
    "validate_file",
    "validate_text",
]
