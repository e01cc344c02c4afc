"""The language server (`coldcase lsp`): check's diagnostics as you type, explore's on save, and
definition, references, rename, hover, completion and document symbols for story files.

Only `server` imports pygls (the optional `lsp` extra); the rest reads the story with the loader.
"""
