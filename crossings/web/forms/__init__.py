"""Pages for people: the incident form, record lists and pages, the workflow, uploads."""
