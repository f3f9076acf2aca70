"""Cases (办件): applications, lifecycle, review workflow, deadlines, worklists."""
