"""What people read: the evidence report (Markdown, HTML, CSV, terminal) and
the interactive HTML graph."""
