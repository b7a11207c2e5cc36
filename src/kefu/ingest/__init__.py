"""The one ingest pipeline every channel feeds. See docs/subsystems/ingest.md."""
