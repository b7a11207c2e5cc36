"""Server-rendered pages: customer portal, agent inbox, dev mailbox, API docs."""
