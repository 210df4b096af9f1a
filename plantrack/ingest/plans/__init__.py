"""Plans the bureau publishes itself: the Excel plan template, its reader, the check and preview, and
publishing, undoing and replaying versions (see docs/DESIGN-plans.md)."""
