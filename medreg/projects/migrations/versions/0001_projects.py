"""Projects and their immutable versions.

Revision ID: 0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create projects and versions."""
    op.create_table(
        "projects",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner", sa.String(64), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("latest_version", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("project_id", sa.String(32), sa.ForeignKey("projects.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("step", sa.String(20), nullable=True),
        sa.Column("language", sa.String(2), nullable=False, server_default="en"),
        sa.Column("concept", sa.Text, nullable=True),
        sa.Column("context", sa.Text, nullable=True),
        sa.Column("answers", sa.JSON, nullable=True),
        sa.Column("markets", sa.JSON, nullable=True),
        sa.Column("classification", sa.JSON, nullable=True),
        sa.Column("purpose", sa.JSON, nullable=True),
        sa.Column("plans", sa.JSON, nullable=True),
        sa.Column("refinements", sa.JSON, nullable=True),
        sa.Column("engine", sa.String(100), nullable=True),
        sa.Column("model", sa.String(100), nullable=True),
        sa.Column("kb_version", sa.String(64), nullable=True),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("project_id", "number", name="uq_versions_project_number"),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("versions")
    op.drop_table("projects")
