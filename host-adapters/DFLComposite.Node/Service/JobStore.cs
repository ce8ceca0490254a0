using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace DFLComposite.Node.Service;

/// <summary>One job as the node keeps it.</summary>
internal sealed record JobRecord(
    string Id, long Seq, string Kind, string Spec, string State, string? Stage, double Fraction, string? Message, string? Preview, double? Eta,
    IReadOnlyList<string> Results, string? Error, int? ExitCode, int? Pid, DateTimeOffset Created, DateTimeOffset? Started, DateTimeOffset? Finished);

/// <summary>Job states as the API reports them.</summary>
internal static class JobStates
{
    public const string Queued = "queued", Running = "running", Done = "done", Failed = "failed", Cancelled = "cancelled";

    public static bool Finished(string state) => state is Done or Failed or Cancelled;
}

/// <summary>
/// The node's job store: SQLite in WAL mode in the state folder, so queued and running jobs survive a crash or a
/// restart of the node (specs, states, progress, results, errors and each job's event log). A connection per call;
/// SQLite serialises writers.
/// </summary>
internal sealed class JobStore
{
    private readonly string _connection;

    public JobStore(string folder)
    {
        Directory.CreateDirectory(folder);
        File = Path.Combine(folder, "jobs.db");
        _connection = new SqliteConnectionStringBuilder { DataSource = File, Cache = SqliteCacheMode.Private, Pooling = true, DefaultTimeout = 30 }.ToString();
        using SqliteConnection c = Open();
        Execute(c, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS jobs(
              id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT NOT NULL, spec TEXT NOT NULL, state TEXT NOT NULL,
              stage TEXT, fraction REAL NOT NULL DEFAULT 0, message TEXT, preview TEXT, eta REAL,
              results TEXT NOT NULL DEFAULT '[]', error TEXT, exit_code INTEGER, pid INTEGER,
              created TEXT NOT NULL, started TEXT, finished TEXT);
            CREATE TABLE IF NOT EXISTS events(job TEXT NOT NULL, n INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY(job, n));
            """);
    }

    public string File { get; }

    public JobRecord Add(string kind, string spec)
    {
        // letters and digits only: ids go into URLs, file names and the panel's element ids as they are
        string id = "j" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        using SqliteConnection c = Open();
        Execute(c, "INSERT INTO jobs(id, seq, kind, spec, state, created) VALUES($id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs), $kind, $spec, 'queued', $now)",
            ("$id", id), ("$kind", kind), ("$spec", spec), ("$now", Now()));
        return Get(id)!;
    }

    public JobRecord? Get(string id)
    {
        using SqliteConnection c = Open();
        return Query(c, "SELECT * FROM jobs WHERE id = $id", ("$id", id)).FirstOrDefault();
    }

    public IReadOnlyList<JobRecord> List(int limit = 200)
    {
        using SqliteConnection c = Open();
        return Query(c, "SELECT * FROM jobs ORDER BY seq DESC LIMIT $n", ("$n", limit));
    }

    /// <summary>Queued jobs in submission order.</summary>
    public IReadOnlyList<JobRecord> Queued()
    {
        using SqliteConnection c = Open();
        return Query(c, "SELECT * FROM jobs WHERE state = 'queued' ORDER BY seq");
    }

    /// <summary>Jobs marked running (after a crash of the node: the ones to resume).</summary>
    public IReadOnlyList<JobRecord> Running()
    {
        using SqliteConnection c = Open();
        return Query(c, "SELECT * FROM jobs WHERE state = 'running' ORDER BY seq");
    }

    public void Started(string id, int pid)
    {
        using SqliteConnection c = Open();
        Execute(c, "UPDATE jobs SET state = 'running', pid = $pid, started = COALESCE(started, $now), error = NULL, exit_code = NULL WHERE id = $id", ("$id", id), ("$pid", pid), ("$now", Now()));
    }

    /// <summary>Back to the head of the queue (a job that was running when the node died).</summary>
    public void Requeue(string id)
    {
        using SqliteConnection c = Open();
        Execute(c, "UPDATE jobs SET state = 'queued', pid = NULL, seq = (SELECT COALESCE(MIN(seq), 1) - 1 FROM jobs) WHERE id = $id", ("$id", id));
    }

    public void Progress(string id, string stage, double fraction, string message, string? preview, double? eta)
    {
        using SqliteConnection c = Open();
        Execute(c, "UPDATE jobs SET stage = $stage, fraction = $f, message = $m, preview = COALESCE($p, preview), eta = $eta WHERE id = $id",
            ("$id", id), ("$stage", stage), ("$f", fraction), ("$m", message), ("$p", preview), ("$eta", eta));
    }

    public void Finish(string id, string state, IReadOnlyList<string> results, string? error, int? exitCode)
    {
        using SqliteConnection c = Open();
        Execute(c, "UPDATE jobs SET state = $state, results = $r, error = $e, exit_code = $code, pid = NULL, finished = $now, eta = NULL, fraction = CASE WHEN $state = 'done' THEN 1 ELSE fraction END WHERE id = $id",
            ("$id", id), ("$state", state), ("$r", JsonSerializer.Serialize(results)), ("$e", error), ("$code", exitCode), ("$now", Now()));
    }

    public long AddEvent(string id, string json)
    {
        using SqliteConnection c = Open();
        using SqliteCommand cmd = Command(c, "INSERT INTO events(job, n, json) VALUES($id, (SELECT COALESCE(MAX(n), 0) + 1 FROM events WHERE job = $id), $json) RETURNING n",
            ("$id", id), ("$json", json));
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<string> Events(string id)
    {
        using SqliteConnection c = Open();
        using SqliteCommand cmd = Command(c, "SELECT json FROM events WHERE job = $id ORDER BY n", ("$id", id));
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    /// <summary>How many jobs there are (for tests: a rejected job leaves the store unchanged).</summary>
    public long Count()
    {
        using SqliteConnection c = Open();
        using SqliteCommand cmd = Command(c, "SELECT COUNT(*) FROM jobs");
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connection);
        c.Open();
        using SqliteCommand pragma = Command(c, "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;");
        pragma.ExecuteNonQuery();
        return c;
    }

    private static void Execute(SqliteConnection c, string sql, params (string Name, object? Value)[] args)
    {
        using SqliteCommand cmd = Command(c, sql, args);
        cmd.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection c, string sql, params (string Name, object? Value)[] args)
    {
        SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach ((string name, object? value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    private static List<JobRecord> Query(SqliteConnection c, string sql, params (string Name, object? Value)[] args)
    {
        using SqliteCommand cmd = Command(c, sql, args);
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<JobRecord>();
        while (r.Read())
        {
            string? S(string col) => r.IsDBNull(r.GetOrdinal(col)) ? null : r.GetString(r.GetOrdinal(col));
            DateTimeOffset? T(string col) => S(col) is { } t ? DateTimeOffset.Parse(t, CultureInfo.InvariantCulture) : null;
            int? I(string col) => r.IsDBNull(r.GetOrdinal(col)) ? null : r.GetInt32(r.GetOrdinal(col));
            list.Add(new JobRecord(
                S("id")!, r.GetInt64(r.GetOrdinal("seq")), S("kind")!, S("spec")!, S("state")!, S("stage"), r.GetDouble(r.GetOrdinal("fraction")), S("message"), S("preview"),
                r.IsDBNull(r.GetOrdinal("eta")) ? null : r.GetDouble(r.GetOrdinal("eta")),
                JsonSerializer.Deserialize<string[]>(S("results") ?? "[]") ?? [], S("error"), I("exit_code"), I("pid"), T("created")!.Value, T("started"), T("finished")));
        }

        return list;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
}
