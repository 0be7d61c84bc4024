"""identity resolution: links, judgements, conflicts, runs, person redirects, list policies

Revision ID: 0002_identity
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_identity"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('resolution_runs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('engine', sa.String(length=16), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('max_record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resolution_runs'))
    )
    op.create_table('identity_conflicts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('record_ids', sa.JSON(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('raised_by_run', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=100), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_identity_conflicts_person_id_persons')),
    sa.ForeignKeyConstraint(['raised_by_run'], ['resolution_runs.id'], name=op.f('fk_identity_conflicts_raised_by_run_resolution_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_conflicts')),
    sa.UniqueConstraint('fingerprint', name=op.f('uq_identity_conflicts_fingerprint'))
    )
    with op.batch_alter_table('identity_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_conflicts_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_conflicts_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_conflicts_state'), ['state'], unique=False)

    op.create_table('person_redirects',
    sa.Column('old_person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('new_person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('redirected_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['new_person_id'], ['persons.id'], name=op.f('fk_person_redirects_new_person_id_persons')),
    sa.ForeignKeyConstraint(['old_person_id'], ['persons.id'], name=op.f('fk_person_redirects_old_person_id_persons')),
    sa.PrimaryKeyConstraint('old_person_id', name=op.f('pk_person_redirects'))
    )
    with op.batch_alter_table('person_redirects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_redirects_new_person_id'), ['new_person_id'], unique=False)

    op.create_table('source_list_policies',
    sa.Column('source_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('duplicate_free', sa.Boolean(), nullable=False),
    sa.Column('set_by', sa.String(length=100), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_source_list_policies_source_id_sources')),
    sa.PrimaryKeyConstraint('source_id', name=op.f('pk_source_list_policies'))
    )
    op.create_table('identity_judgements',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('left_record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('right_record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('actor_agency', sa.String(length=32), nullable=False),
    sa.Column('match_probability', sa.Float(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('retracted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retracted_by', sa.String(length=100), nullable=True),
    sa.Column('retraction_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['left_record_id'], ['source_records.id'], name=op.f('fk_identity_judgements_left_record_id_source_records')),
    sa.ForeignKeyConstraint(['right_record_id'], ['source_records.id'], name=op.f('fk_identity_judgements_right_record_id_source_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_judgements'))
    )
    with op.batch_alter_table('identity_judgements', schema=None) as batch_op:
        batch_op.create_index('ix_identity_judgements_pair', ['left_record_id', 'right_record_id'], unique=False)

    op.create_table('identity_links',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('left_record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('right_record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('match_probability', sa.Float(), nullable=False),
    sa.Column('match_weight', sa.Float(), nullable=False),
    sa.Column('field_weights', sa.JSON(), nullable=False),
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('scored_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['left_record_id'], ['source_records.id'], name=op.f('fk_identity_links_left_record_id_source_records')),
    sa.ForeignKeyConstraint(['right_record_id'], ['source_records.id'], name=op.f('fk_identity_links_right_record_id_source_records')),
    sa.ForeignKeyConstraint(['run_id'], ['resolution_runs.id'], name=op.f('fk_identity_links_run_id_resolution_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_links')),
    sa.UniqueConstraint('left_record_id', 'right_record_id', name='uq_identity_links_pair')
    )
    with op.batch_alter_table('identity_links', schema=None) as batch_op:
        batch_op.create_index('ix_identity_links_probability', ['match_probability'], unique=False)
        batch_op.create_index('ix_identity_links_right', ['right_record_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('identity_links', schema=None) as batch_op:
        batch_op.drop_index('ix_identity_links_right')
        batch_op.drop_index('ix_identity_links_probability')

    op.drop_table('identity_links')
    with op.batch_alter_table('identity_judgements', schema=None) as batch_op:
        batch_op.drop_index('ix_identity_judgements_pair')

    op.drop_table('identity_judgements')
    op.drop_table('source_list_policies')
    with op.batch_alter_table('person_redirects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_redirects_new_person_id'))

    op.drop_table('person_redirects')
    with op.batch_alter_table('identity_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_conflicts_state'))
        batch_op.drop_index(batch_op.f('ix_identity_conflicts_person_id'))
        batch_op.drop_index(batch_op.f('ix_identity_conflicts_kind'))

    op.drop_table('identity_conflicts')
    op.drop_table('resolution_runs')
