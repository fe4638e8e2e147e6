"""Writes of a project's plan, money, schedule and tasks. Each checks the actor's permission and the
state table, refuses bad input with a Chinese message at the field, and writes the audit log with
old → new values. Nothing is saved half-way: each write is one transaction."""
