"""`swaggertools diff OLD NEW`: what an MES upgrade changes, breaks, and does to the rules.

Both files are opened like every command opens a spec (`pipeline.open_spec`: same
loader, limits and `$ref` policy), read into one comparison model whatever their
version (`model`, `read`), paired operation by operation in layers (`match`), compared
family by family (`kinds/`), and graded by configured levels, the ignore file and the
consumers file (`engine`). Formats render the one `DiffResult` (`formats/`).
"""
