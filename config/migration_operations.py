"""Migration operations Django does not ship."""

from django.db.migrations.operations.base import Operation
from django.db.migrations.operations.special import RunPython


class RenameConstraint(Operation):
    """Rename a model's constraint, keeping it: on PostgreSQL one `ALTER TABLE … RENAME
    CONSTRAINT` (no scan, no lock beyond the moment); elsewhere (SQLite) the constraint is
    dropped and added again, which rebuilds the table there.

    Django has RenameIndex but no counterpart for constraints: removing and adding a CHECK
    constraint on PostgreSQL validates every row again, and a unique constraint is rebuilt."""

    reversible = True

    def __init__(self, model_name: str, old_name: str, new_name: str):
        self.model_name = model_name
        self.old_name = old_name
        self.new_name = new_name

    def deconstruct(self):
        kwargs = {"model_name": self.model_name, "old_name": self.old_name}
        kwargs["new_name"] = self.new_name
        return self.__class__.__name__, [], kwargs

    def state_forwards(self, app_label, state):
        self._rename_in_state(app_label, state, self.old_name, self.new_name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._rename(app_label, schema_editor, from_state, to_state, self.old_name, self.new_name)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._rename(app_label, schema_editor, from_state, to_state, self.new_name, self.old_name)

    def describe(self):
        return f"Rename constraint {self.old_name} on {self.model_name} to {self.new_name}"

    @property
    def migration_name_fragment(self):
        return f"rename_{self.old_name.lower()}_{self.new_name.lower()}"

    def _rename_in_state(self, app_label, state, old, new):
        model_state = state.models[app_label, self.model_name.lower()]
        renamed = []
        for constraint in model_state.options["constraints"]:
            if constraint.name == old:
                constraint = constraint.clone()
                constraint.name = new
            renamed.append(constraint)
        model_state.options["constraints"] = renamed
        state.reload_model(app_label, self.model_name.lower(), delay=True)

    def _rename(self, app_label, schema_editor, from_state, to_state, old, new):
        from_model = from_state.apps.get_model(app_label, self.model_name)
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, to_model):
            return
        if schema_editor.connection.vendor == "postgresql":
            quote = schema_editor.quote_name
            schema_editor.execute(
                f"ALTER TABLE {quote(to_model._meta.db_table)} "
                f"RENAME CONSTRAINT {quote(old)} TO {quote(new)}"
            )
            return
        (before,) = [c for c in from_model._meta.constraints if c.name == old]
        (after,) = [c for c in to_model._meta.constraints if c.name == new]
        schema_editor.remove_constraint(from_model, before)
        schema_editor.add_constraint(to_model, after)


def rename_postgres_leftovers(old_table: str, new_table: str, *, like_columns=()) -> RunPython:
    """After a table rename, what PostgreSQL still names after the old table and Django looks
    up by the new one: the id sequence, and the `_like` index of each varchar column that has
    an index (Django computes that index's name from the table when it drops it, and would
    silently leave the old one behind). Foreign keys, primary keys and the like Django finds
    by introspection, so their old names may stay. Nothing to do on other databases."""

    def rename(old: str, new: str):
        def run(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            quote = schema_editor.quote_name
            schema_editor.execute(
                f"ALTER SEQUENCE IF EXISTS {quote(old + '_id_seq')} "
                f"RENAME TO {quote(new + '_id_seq')}"
            )
            for column in like_columns:
                before = schema_editor._create_index_name(old, [column], suffix="_like")
                after = schema_editor._create_index_name(new, [column], suffix="_like")
                schema_editor.execute(
                    f"ALTER INDEX IF EXISTS {quote(before)} RENAME TO {quote(after)}"
                )

        return run

    return RunPython(rename(old_table, new_table), rename(new_table, old_table))
