"""The demo exchange's data for `make demo`: teams, agents, customers, tickets."""
