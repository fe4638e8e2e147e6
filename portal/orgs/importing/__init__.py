"""Bulk import of organisations and user accounts from Excel or CSV.

parse.py reads a file into rows keyed by field name; validate.py checks every row and reports
each problem in Chinese with its row number; write.py applies a clean batch in one transaction,
updating what exists (by 机构代码 / 用户名) instead of duplicating it."""
