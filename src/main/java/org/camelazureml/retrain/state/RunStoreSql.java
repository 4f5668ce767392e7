package org.camelazureml.retrain.state;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Every SQL statement of {@link JdbcRunStore}, for one table prefix: the schema migrations and the queries. PostgreSQL
 * dialect (jsonb, partial unique index, {@code ON CONFLICT}, advisory locks). Table names come from a validated prefix;
 * every value is a bind parameter.
 */
final class RunStoreSql {

    /** Unquoted PostgreSQL identifier characters; the length leaves room for the longest suffix within 63 bytes. */
    private static final Pattern TABLE_PREFIX = Pattern.compile("[a-z_][a-z0-9_]{0,39}");
    private static final String RUNNING = "'" + RunStatus.RUNNING.name() + "'";

    /** First key of the advisory lock that serialises schema migrations (the second is the table's). */
    private static final int MIGRATION_LOCK_NAMESPACE = 0x52_54_52_4E;

    /** One schema change: applied once, in order, and recorded in the schema-version table. */
    record Migration(int version, String description, List<String> statements) {
    }

    final String runs;
    final String schemaVersion;

    RunStoreSql(String tablePrefix) {
        if (tablePrefix == null || !TABLE_PREFIX.matcher(tablePrefix).matches()) {
            throw new IllegalArgumentException("run store table prefix must be 1 to 40 of a-z, 0-9 and _ (not starting"
                    + " with a digit), e.g. " + JdbcRunStore.DEFAULT_TABLE_PREFIX + "; got '" + tablePrefix + "'");
        }
        this.runs = tablePrefix + "runs";
        this.schemaVersion = tablePrefix + "schema_version";
    }

    // --- schema ------------------------------------------------------------------------------------------------

    /** The ordered migrations. Append a new one for each change; never edit one that has shipped. */
    List<Migration> migrations() {
        return List.of(
                new Migration(1, "runs table", List.of(
                        "CREATE TABLE " + runs + " ("
                                + " pipeline text NOT NULL,"
                                + " run_id text NOT NULL,"
                                + " status text NOT NULL,"
                                + " step text,"
                                + " job_id text,"
                                + " owner text,"
                                + " created_at timestamptz,"
                                + " updated_at timestamptz NOT NULL,"
                                + " record jsonb NOT NULL,"
                                + " CONSTRAINT " + runs + "_pkey PRIMARY KEY (pipeline, run_id))",
                        // At most one run in flight per pipeline, whichever node inserts it: this is what makes begin atomic.
                        "CREATE UNIQUE INDEX " + runs + "_one_running ON " + runs + " (pipeline) WHERE status = " + RUNNING,
                        "CREATE INDEX " + runs + "_newest ON " + runs + " (pipeline, created_at DESC NULLS LAST)")));
    }

    /** Held until the migrating transaction ends, so nodes starting at once migrate one after the other. */
    String lockMigrations() {
        return "SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK_NAMESPACE + ", " + schemaVersion.hashCode() + ")";
    }

    String createSchemaVersionTable() {
        return "CREATE TABLE IF NOT EXISTS " + schemaVersion + " ("
                + " version integer PRIMARY KEY,"
                + " description text NOT NULL,"
                + " applied_at timestamptz NOT NULL DEFAULT now())";
    }

    String currentVersion() {
        return "SELECT coalesce(max(version), 0) FROM " + schemaVersion;
    }

    String recordVersion() {
        return "INSERT INTO " + schemaVersion + " (version, description) VALUES (?, ?)";
    }

    // --- runs --------------------------------------------------------------------------------------------------

    /** Parameters: pipeline, run id, status, step, job id, owner, created at, updated at, record (JSON text). */
    String insertRun() {
        return "INSERT INTO " + runs + " (pipeline, run_id, status, step, job_id, owner, created_at, updated_at, record)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)";
    }

    /** {@link #insertRun()}, or when the run is recorded already, replace it: one statement, atomic. */
    String upsertRun() {
        return insertRun() + " ON CONFLICT (pipeline, run_id) DO UPDATE SET"
                + " status = EXCLUDED.status, step = EXCLUDED.step, job_id = EXCLUDED.job_id, owner = EXCLUDED.owner,"
                + " created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, record = EXCLUDED.record";
    }

    String findRun() {
        return "SELECT record FROM " + runs + " WHERE pipeline = ? AND run_id = ?";
    }

    String listRuns() {
        return "SELECT record FROM " + runs + " WHERE pipeline = ?"
                + " ORDER BY created_at DESC NULLS LAST, run_id DESC LIMIT ?";
    }

    String unfinishedRun() {
        return "SELECT record FROM " + runs + " WHERE pipeline = ? AND status = " + RUNNING;
    }

    /**
     * Parameters: claiming owner, stamp, the stamp as the record's JSON writes it (a JSON string), stale-before, pipeline, run id.
     * The columns and the record's JSON change together, so a later read of the record agrees with the columns.
     */
    String claimRun() {
        return "UPDATE " + runs + " AS r SET owner = c.owner, updated_at = c.stamp,"
                + " record = r.record || jsonb_build_object('owner', c.owner, 'updatedAt', c.stamp_json)"
                + " FROM (SELECT ?::text AS owner, ?::timestamptz AS stamp, ?::jsonb AS stamp_json,"
                + " ?::timestamptz AS stale_before) AS c"
                + " WHERE r.pipeline = ? AND r.run_id = ? AND r.status = " + RUNNING
                + " AND (r.owner = c.owner OR r.updated_at < c.stale_before)";
    }
}
