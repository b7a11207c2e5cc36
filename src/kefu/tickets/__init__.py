"""Ticket rules and actions: status machine, numbers, access checks, agent actions."""
