"""Attribute and document-variable types, each defined in one place.

``attribute_type(name)`` and ``variable_type(name)`` give a type's definition:
how a value is checked and stored, its label, its export columns with their
dictionary types, and its cells. The Qt layer adds one editor per type.
"""

from annotator.core.types.attributes import (
    ATTRIBUTE_TYPES,
    AttributeKind,
    Target,
    Where,
    attribute_type,
)
from annotator.core.types.dates import DATE_FORMS, check_date
from annotator.core.types.variables import VARIABLE_TYPES, VariableKind, variable_type

__all__ = [
    "ATTRIBUTE_TYPES",
    "DATE_FORMS",
    "VARIABLE_TYPES",
    "AttributeKind",
    "Target",
    "VariableKind",
    "Where",
    "attribute_type",
    "check_date",
    "variable_type",
]
