"""Writes of the programmes app. Every state change goes through a function here, which checks
the actor's permission and the transition table, and writes the audit log. The refusals they raise
are the kernel's (portal.core.exceptions)."""
