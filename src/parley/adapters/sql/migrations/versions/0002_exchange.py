"""exchange lists, versions, approvals, priority rules, plans, reconciliations

Revision ID: 0002_exchange
Revises: 0001_foundation
Create Date: 2026-11-27 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_exchange"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('exchange_lists',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('direction', sa.String(length=16), nullable=False),
    sa.Column('required_agencies', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_lists')),
    sa.UniqueConstraint('name', name=op.f('uq_exchange_lists_name'))
    )
    op.create_table('exchange_plans',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('give_list', sa.String(length=200), nullable=False),
    sa.Column('give_version', sa.Integer(), nullable=False),
    sa.Column('receive_list', sa.String(length=200), nullable=False),
    sa.Column('receive_version', sa.Integer(), nullable=False),
    sa.Column('stages', sa.Integer(), nullable=False),
    sa.Column('max_per_stage', sa.Integer(), nullable=True),
    sa.Column('category_parity', sa.Boolean(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('mip_gap', sa.Float(), nullable=False),
    sa.Column('exchanged', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_plans'))
    )
    op.create_table('priority_rule_sets',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_priority_rule_sets'))
    )
    op.create_index(op.f('ix_priority_rule_sets_name'), 'priority_rule_sets', ['name'], unique=False)
    op.create_table('list_approvals',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('list_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('agency_code', sa.String(length=32), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_code'], ['agencies.code'], name=op.f('fk_list_approvals_agency_code_agencies')),
    sa.ForeignKeyConstraint(['list_id'], ['exchange_lists.id'], name=op.f('fk_list_approvals_list_id_exchange_lists')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_approvals'))
    )
    op.create_index(op.f('ix_list_approvals_list_id'), 'list_approvals', ['list_id'], unique=False)
    op.create_table('list_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('list_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entry_key', sa.String(length=200), nullable=False),
    sa.Column('valid_from', sa.Integer(), nullable=False),
    sa.Column('valid_to', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['exchange_lists.id'], name=op.f('fk_list_entries_list_id_exchange_lists')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_list_entries_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_entries'))
    )
    op.create_index('ix_list_entries_list_valid', 'list_entries', ['list_id', 'valid_from', 'valid_to'], unique=False)
    op.create_table('list_versions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('list_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('author_agency', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('released_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['list_id'], ['exchange_lists.id'], name=op.f('fk_list_versions_list_id_exchange_lists')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_versions')),
    sa.UniqueConstraint('list_id', 'version', name='uq_list_versions_list_ver')
    )
    op.create_index(op.f('ix_list_versions_list_id'), 'list_versions', ['list_id'], unique=False)
    op.create_table('plan_assignments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('record_id', sa.String(length=200), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('seriously_wounded', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['exchange_plans.id'], name=op.f('fk_plan_assignments_plan_id_exchange_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_assignments'))
    )
    op.create_index(op.f('ix_plan_assignments_plan_id'), 'plan_assignments', ['plan_id'], unique=False)
    op.create_table('plan_substitutions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('dropped', sa.String(length=200), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('replacement', sa.String(length=200), nullable=True),
    sa.Column('reduced', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['exchange_plans.id'], name=op.f('fk_plan_substitutions_plan_id_exchange_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_substitutions'))
    )
    op.create_index(op.f('ix_plan_substitutions_plan_id'), 'plan_substitutions', ['plan_id'], unique=False)
    op.create_table('reconciliations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('list_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('list_version', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['exchange_lists.id'], name=op.f('fk_reconciliations_list_id_exchange_lists')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reconciliations'))
    )
    op.create_index(op.f('ix_reconciliations_list_id'), 'reconciliations', ['list_id'], unique=False)
    op.create_table('reconciliation_rows',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('reconciliation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=True),
    sa.Column('raw', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('entry_key', sa.String(length=200), nullable=True),
    sa.Column('registry_record_id', sa.Integer(), nullable=True),
    sa.Column('probability', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['reconciliation_id'], ['reconciliations.id'], name=op.f('fk_reconciliation_rows_reconciliation_id_reconciliations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reconciliation_rows'))
    )
    op.create_index(op.f('ix_reconciliation_rows_reconciliation_id'), 'reconciliation_rows', ['reconciliation_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reconciliation_rows_reconciliation_id'), table_name='reconciliation_rows')
    op.drop_table('reconciliation_rows')
    op.drop_index(op.f('ix_reconciliations_list_id'), table_name='reconciliations')
    op.drop_table('reconciliations')
    op.drop_index(op.f('ix_plan_substitutions_plan_id'), table_name='plan_substitutions')
    op.drop_table('plan_substitutions')
    op.drop_index(op.f('ix_plan_assignments_plan_id'), table_name='plan_assignments')
    op.drop_table('plan_assignments')
    op.drop_index(op.f('ix_list_versions_list_id'), table_name='list_versions')
    op.drop_table('list_versions')
    op.drop_index('ix_list_entries_list_valid', table_name='list_entries')
    op.drop_table('list_entries')
    op.drop_index(op.f('ix_list_approvals_list_id'), table_name='list_approvals')
    op.drop_table('list_approvals')
    op.drop_index(op.f('ix_priority_rule_sets_name'), table_name='priority_rule_sets')
    op.drop_table('priority_rule_sets')
    op.drop_table('exchange_plans')
    op.drop_table('exchange_lists')
