"""Per-area message catalogues: each module defines MESSAGES = {key: (zh-Hans, en)}.

`kefu.i18n` merges every module here into its CATALOG at import, so an area adds its
strings in its own file; duplicate keys are an error.
"""
