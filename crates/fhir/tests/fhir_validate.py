"""Validates FHIR JSON files with fhir.resources (PyPI), the models of the
FHIR R4B (4.3.0) release: every element name, type, cardinality, primitive
format and nested resource (Bundle entries, contained) is checked; unknown
elements are refused. R4B changed none of the resources the documents use
(Bundle, Composition, Patient, Practitioner, Organization, Encounter,
Condition, DocumentReference, Consent, RelatedPerson) from R4 4.0.1; see
docs/adr/0037.

fhir.resources does not evaluate invariants, so the R4 invariants of the
resources we write, and the JP-CLINS ones read from its IG pages, are
evaluated here with fhirpathpy (PyPI), resource by resource (the Bundle,
each entry, each contained resource).

Usage: fhir_validate.py FILE...  Exit 0 when every file is valid; 1 with
each file's problems on stderr otherwise; 2 when fhir.resources is missing.
Installed by scripts/setup.sh into ~/.cache/tsunagu/fhir-venv.
"""

import json
import sys

try:
    import fhir.resources
    from fhir.resources.R4B import get_fhir_model_class
    from fhirpathpy import evaluate
except ImportError as e:  # pragma: no cover - what the Rust test reports
    print(f"fhir.resources is not installed ({e}); run scripts/setup.sh", file=sys.stderr)
    sys.exit(2)


SECTIONS = "(section | section.repeat(section))"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"

# (resource type or None for any, key, expression, what it says). R4 4.0.1
# core invariants, then JP-CLINS's.
INVARIANTS = [
    (None, "dom-3", "contained.all(('#' + id) in %resource.descendants().reference)",
     "every contained resource is referenced from the resource"),
    ("Bundle", "bdl-7",
     "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl&resource.meta.versionId).isDistinct()",
     "fullUrls are unique"),
    ("Bundle", "bdl-9",
     "type = 'document' implies (identifier.system.exists() and identifier.value.exists())",
     "a document has an identifier"),
    # R4 says timestamp.hasValue(); fhirpathpy has no hasValue(), and in JSON
    # a timestamp without a value would be "_timestamp", so exists() is it.
    ("Bundle", "bdl-10", "type = 'document' implies (timestamp.exists())",
     "a document has a timestamp"),
    ("Bundle", "bdl-11", "type = 'document' implies entry.first().resource.is(Composition)",
     "a document's first entry is its Composition"),
    ("Composition", "cmp-1",
     SECTIONS + ".all(text.exists() or entry.exists() or section.exists())",
     "every section has text, entries or sub-sections"),
    ("Composition", "cmp-2", SECTIONS + ".all(emptyReason.empty() or entry.empty())",
     "a section with entries gives no emptyReason"),
    ("Consent", "ppc-1", "policy.exists() or policyRule.exists()",
     "a consent has a policy or a policy rule"),
    ("Consent", "ppc-4",
     "patient.exists() or scope.coding.where(system='" + CONSENT_SCOPE
     + "' and code='adr').exists().not()",
     "an advance directive names its patient"),
    ("Composition", "checkExist-CDASection-or-CompositionSection",
     "((section.code.coding.where(code = '200')).exists()) xor "
     "((section.code.coding.where(code = '300')).exists())",
     "JP-CLINS: a CDA section or a structured section, not both"),
    ("Bundle", "clins-identifier",
     "meta.profile.where($this.startsWith('http://jpfhir.jp/')).exists() implies "
     "identifier.value.matches('^[0-4][0-9][1-3][0-9]{7}\\\\^[0-9]{4}\\\\^[A-Za-z0-9]+$')",
     "JP-CLINS: the identifier is 医療機関番号10桁^西暦4桁^番号"),
]


def resources_in(resource):
    """The resource, its Bundle entries' resources and contained ones."""
    out = [resource]
    for e in resource.get("entry", []) if resource.get("resourceType") == "Bundle" else []:
        if isinstance(e, dict) and isinstance(e.get("resource"), dict):
            out.extend(resources_in(e["resource"]))
    for c in resource.get("contained", []):
        if isinstance(c, dict):
            out.extend(resources_in(c))
    return out


def invariant_problems(resource):
    problems = []
    for r in resources_in(resource):
        kind = r.get("resourceType")
        for only, key, expression, says in INVARIANTS:
            if only is not None and only != kind:
                continue
            try:
                result = evaluate(r, expression, {"resource": r})
            except Exception as e:
                problems.append(f"{kind}: {key} could not be evaluated: {e}")
                continue
            if result != [True]:
                problems.append(f"{kind}/{r.get('id', '?')}: {key} fails: {says}")
    return problems


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
    return invariant_problems(data)


def main(paths):
    failed = False
    for path in paths:
        problems = validate(path)
        if problems:
            failed = True
            for p in problems:
                print(f"{path}: {p}", file=sys.stderr)
        else:
            print(f"{path}: valid (fhir.resources {fhir.resources.__version__}, R4B models;"
                  f" {len(INVARIANTS)} invariants)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
