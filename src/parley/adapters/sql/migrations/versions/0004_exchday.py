"""exchange day

Revision ID: 0004_exchday
Revises: 0003_merge_features
Create Date: 2026-12-06 03:25:11.056540
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_exchday'
down_revision: str | Sequence[str] | None = '0003_merge_features'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('checkin_flags',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('record_id', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('recorded', sa.JSON(), nullable=False),
    sa.Column('incoming', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['exchange_plans.id'], name=op.f('fk_checkin_flags_plan_id_exchange_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_flags'))
    )
    with op.batch_alter_table('checkin_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_flags_plan_id'), ['plan_id'], unique=False)

    op.create_table('manifest_seats',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('record_id', sa.String(length=200), nullable=False),
    sa.Column('vehicle_id', sa.String(length=100), nullable=False),
    sa.Column('place', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['exchange_plans.id'], name=op.f('fk_manifest_seats_plan_id_exchange_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manifest_seats')),
    sa.UniqueConstraint('plan_id', 'side', 'record_id', name='uq_manifest_seats_person')
    )
    with op.batch_alter_table('manifest_seats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_manifest_seats_plan_id'), ['plan_id'], unique=False)

    op.create_table('stage_checkins',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('record_id', sa.String(length=200), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('will_to_return', sa.String(length=3), nullable=False),
    sa.Column('fit_to_travel', sa.String(length=3), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['exchange_plans.id'], name=op.f('fk_stage_checkins_plan_id_exchange_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_checkins')),
    sa.UniqueConstraint('plan_id', 'side', 'record_id', name='uq_stage_checkins_person')
    )
    with op.batch_alter_table('stage_checkins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_checkins_plan_id'), ['plan_id'], unique=False)

    op.create_table('stage_closures',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('closed_by', sa.String(length=100), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imbalance_reason', sa.Text(), nullable=True),
    sa.Column('protocol_sha256', sa.String(length=64), nullable=False),
    sa.Column('protocol', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['exchange_plans.id'], name=op.f('fk_stage_closures_plan_id_exchange_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_closures')),
    sa.UniqueConstraint('plan_id', 'stage', name='uq_stage_closures_stage')
    )
    with op.batch_alter_table('stage_closures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_closures_plan_id'), ['plan_id'], unique=False)

    op.create_table('stage_incidents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['exchange_plans.id'], name=op.f('fk_stage_incidents_plan_id_exchange_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_incidents'))
    )
    with op.batch_alter_table('stage_incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_incidents_plan_id'), ['plan_id'], unique=False)

    op.create_table('stage_route_legs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('leg', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['exchange_plans.id'], name=op.f('fk_stage_route_legs_plan_id_exchange_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_route_legs'))
    )
    with op.batch_alter_table('stage_route_legs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_route_legs_plan_id'), ['plan_id'], unique=False)

    op.create_table('stage_vehicles',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('vehicle_id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('stretchers', sa.Integer(), nullable=False),
    sa.Column('medics', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['exchange_plans.id'], name=op.f('fk_stage_vehicles_plan_id_exchange_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_vehicles')),
    sa.UniqueConstraint('plan_id', 'vehicle_id', name='uq_stage_vehicles_plan')
    )
    with op.batch_alter_table('stage_vehicles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_vehicles_plan_id'), ['plan_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("stage_route_legs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stage_route_legs_plan_id"))
    op.drop_table("stage_route_legs")
    with op.batch_alter_table('stage_vehicles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_vehicles_plan_id'))

    op.drop_table('stage_vehicles')
    with op.batch_alter_table('stage_incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_incidents_plan_id'))

    op.drop_table('stage_incidents')
    with op.batch_alter_table('stage_closures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_closures_plan_id'))

    op.drop_table('stage_closures')
    with op.batch_alter_table('stage_checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_checkins_plan_id'))

    op.drop_table('stage_checkins')
    with op.batch_alter_table('manifest_seats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_manifest_seats_plan_id'))

    op.drop_table('manifest_seats')
    with op.batch_alter_table('checkin_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_flags_plan_id'))

    op.drop_table('checkin_flags')
