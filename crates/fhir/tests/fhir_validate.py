"""Validates FHIR JSON files with fhir.resources (PyPI), the models of the
FHIR R4B (4.3.0) release: every element name, type, cardinality, primitive
format and nested resource (Bundle entries, contained) is checked; unknown
elements are refused. R4B changed none of the resources the documents use
(Bundle, Composition, Patient, Practitioner, Organization, Encounter,
Condition, DocumentReference, Consent, RelatedPerson) from R4 4.0.1; see
docs/adr/0036.

Usage: fhir_validate.py FILE...  Exit 0 when every file is valid; 1 with
each file's problems on stderr otherwise; 2 when fhir.resources is missing.
Installed by scripts/setup.sh into ~/.cache/tsunagu/fhir-venv.
"""

import json
import sys

try:
    import fhir.resources
    from fhir.resources.R4B import get_fhir_model_class
except ImportError as e:  # pragma: no cover - what the Rust test reports
    print(f"fhir.resources is not installed ({e}); run scripts/setup.sh", file=sys.stderr)
    sys.exit(2)


def validate(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    kind = data.get("resourceType")
    if not isinstance(kind, str):
        return ["no resourceType"]
    try:
        model = get_fhir_model_class(kind)
    except Exception as e:  # unknown resource type
        return [f"unknown resourceType {kind!r}: {e}"]
    try:
        model.model_validate(data)
    except Exception as e:
        return [str(e)]
    return []


def main(paths):
    failed = False
    for path in paths:
        problems = validate(path)
        if problems:
            failed = True
            for p in problems:
                print(f"{path}: {p}", file=sys.stderr)
        else:
            print(f"{path}: valid (fhir.resources {fhir.resources.__version__}, R4B models)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
