"""Fast validation of OpenAPI documents that agrees with openapi-spec-validator.

`fast.validate_fast` checks a document against the official JSON Schema of its version
with jsonschema-rs (`schemas`) and runs openapi-spec-validator's semantic checks in one
walk (`semantic`, `values`). `swaggertools.validate` chooses between it and
openapi-spec-validator itself, and also uses `refsites` (every `$ref` must resolve) and
`samebody` (when an output's validation can build on the input's).
"""
