"""Insider-threat controls (issue #9 point 6): masked customer fields, reasoned and audited
reveals, the export permission, and the unusual-access alert with its throttle.

See docs/subsystems/insider-controls.md.
"""
