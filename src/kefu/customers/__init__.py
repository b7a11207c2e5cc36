"""Customers: who they are and how they sign in to the portal."""
