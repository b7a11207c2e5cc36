"""Workflow: business-hours calendars, SLA clocks, assignment (issue #8).

See docs/subsystems/sla.md. Kept import-light: `kefu.tickets.actions` imports
`kefu.work.triggers`, so nothing here may import the ticket actions at module level.
"""
