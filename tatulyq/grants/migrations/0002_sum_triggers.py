"""On PostgreSQL the database itself refuses tranches adding up to more than their
agreement, and agreements adding up to more than their topic's budget.

These are sums over rows, which a CHECK constraint cannot express. The services check
them first (with the parent row locked) to give a clear message; the triggers stop any
other code path. (SQLite, the laptop default, relies on the services.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION grants_tranches_within_agreement() RETURNS trigger AS $$
DECLARE
    ceiling numeric;
    total numeric;
BEGIN
    SELECT amount INTO ceiling FROM grants_grantagreement WHERE id = NEW.agreement_id;
    SELECT COALESCE(SUM(amount), 0) INTO total FROM grants_tranche WHERE agreement_id = NEW.agreement_id;
    IF total > ceiling THEN
        RAISE EXCEPTION 'tranches of agreement % add up to %, more than its %', NEW.agreement_id, total, ceiling
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER grants_tranche_sum AFTER INSERT OR UPDATE ON grants_tranche
    FOR EACH ROW EXECUTE FUNCTION grants_tranches_within_agreement();

CREATE OR REPLACE FUNCTION grants_agreements_within_topic() RETURNS trigger AS $$
DECLARE
    ceiling numeric;
    total numeric;
    scheduled numeric;
BEGIN
    SELECT budget_total INTO ceiling FROM grants_topic WHERE id = NEW.topic_id;
    SELECT COALESCE(SUM(amount), 0) INTO total FROM grants_grantagreement WHERE topic_id = NEW.topic_id;
    IF total > ceiling THEN
        RAISE EXCEPTION 'agreements on topic % add up to %, more than its budget %', NEW.topic_id, total, ceiling
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT COALESCE(SUM(amount), 0) INTO scheduled FROM grants_tranche WHERE agreement_id = NEW.id;
    IF scheduled > NEW.amount THEN
        RAISE EXCEPTION 'agreement % is smaller than its tranches (%)', NEW.id, scheduled
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER grants_agreement_sum AFTER INSERT OR UPDATE OF amount, topic_id ON grants_grantagreement
    FOR EACH ROW EXECUTE FUNCTION grants_agreements_within_topic();
"""
DROP = """
DROP TRIGGER IF EXISTS grants_tranche_sum ON grants_tranche;
DROP FUNCTION IF EXISTS grants_tranches_within_agreement();
DROP TRIGGER IF EXISTS grants_agreement_sum ON grants_grantagreement;
DROP FUNCTION IF EXISTS grants_agreements_within_topic();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
