"""Indexes that let pages answer from the first rows of an index (issue 10, item 16).

A search on a common surname (600,000 records of one spelling) must not read and sort every
match to show the first page: these composite indexes hold the records in the order the
search shows them, per spelling and per cross-script key, so each query stops after a page.
"""

from sqlalchemy import Index

from parley.adapters.sql.tables import SourceRecord

SEARCH_BY_NAME = Index("ix_source_records_name_order", SourceRecord.family_name,
                       SourceRecord.given_name, SourceRecord.id)
SEARCH_BY_KEY = Index("ix_source_records_key_order", SourceRecord.family_key,
                      SourceRecord.family_name, SourceRecord.given_name, SourceRecord.id)
