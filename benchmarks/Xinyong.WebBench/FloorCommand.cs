using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SQLitePCL;
using Xinyong.Core.Commitments;
using Xinyong.Data.Database;
using Xinyong.Data.Platform;
using Xinyong.Data.Publication;
using Xinyong.Data.Search;

namespace Xinyong.WebBench;

/// <summary>
/// The floor under the public pages' throughput: a server with the web app's static-file middleware and routes that do
/// only parts of a page's work, so that scripts/bench-web.sh (<c>--app floor</c>) can say how much of a page's cost is
/// the database reads and how much is everything else, against the same static-file ceiling.
/// <list type="bullet">
///   <item><c>/floor/http/{id}</c>: routing and a short text answer, no database (the cost of a dynamic request).</item>
///   <item><c>/floor/subject/{id}</c>: <see cref="PublicRecords.SubjectPageAsync"/>, the subject page's reads exactly as
///   the page does them, answered with the number of records instead of the HTML.</item>
///   <item><c>/floor/prepared/{id}</c> (SQLite): the same statements (<see cref="PublicRecords.SubjectPageSql"/>) prepared
///   once per connection and stepped through every row and column without building objects: the least the page's
///   reads can cost on this database.</item>
///   <item><c>/floor/search?q=</c>: <see cref="SubjectSearch.SearchAsync"/> for a page of 20, answered with the count.</item>
/// </list>
/// </summary>
internal static class FloorCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? provider = null, db = null, urls = "http://127.0.0.1:5080", webroot = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--provider": provider = Value(); break;
                case "--db": db = Value(); break;
                case "--urls": urls = Value(); break;
                case "--webroot": webroot = Value(); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        if (provider is not ("sqlite" or "postgres")) throw new ArgumentException("--provider sqlite|postgres is required.");
        if (db is null) throw new ArgumentException("--db is required.");
        var connectionString = provider == "sqlite" && !db.Contains('=', StringComparison.Ordinal) ? $"Data Source={db}" : db;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = webroot ?? Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["Database:ConnectionString"] = connectionString,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(urls);
        builder.Services.AddXinyongData(builder.Configuration);

        var app = builder.Build();
        var database = app.Services.GetRequiredService<XinyongDatabase>();
        using var prepared = database.IsSqlite ? new PreparedSubjectReads(database) : null;

        app.UseStaticFiles();
        app.MapGet("/health", () => "ok");
        app.MapGet("/floor/http/{id:long}", (long id) => Results.Text(id.ToString(CultureInfo.InvariantCulture)));
        app.MapGet("/floor/subject/{id:long}", async (long id, PublicRecords records, CancellationToken ct) =>
        {
            var page = await records.SubjectPageAsync(id, Today, ct);
            if (page is null) return Results.NotFound();
            var s = page.Subject;
            var n = s.Licences.Count + s.Penalties.Count + s.CommitmentBreaches.Count + page.Commitments.Count + page.ListEntries.Count;
            return Results.Text(n.ToString(CultureInfo.InvariantCulture));
        });
        app.MapGet("/floor/prepared/{id:long}", (long id) =>
            prepared is null ? Results.NotFound() : Results.Text(prepared.Read(id, Today).ToString(CultureInfo.InvariantCulture)));
        app.MapGet("/floor/search", async (string? q, SubjectSearch search, CancellationToken ct) =>
        {
            var result = await search.SearchAsync(q, 1, 20, ct);
            return Results.Text(result.Items.Count.ToString(CultureInfo.InvariantCulture));
        });
        Console.WriteLine($"floor server on {urls} ({provider})");
        await app.RunAsync();
        return 0;
    }

    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow + ChinaOffset);

    /// <summary>
    /// Open SQLite connections, each with the subject page's statements prepared once; a request borrows one, binds the
    /// subject and the day, steps every statement to its end and touches every column's bytes.
    /// </summary>
    private sealed class PreparedSubjectReads(XinyongDatabase database) : IDisposable
    {
        private readonly ConcurrentBag<Lease> _idle = [];
        private readonly ConcurrentBag<Lease> _all = [];

        public long Read(long subjectId, DateOnly today)
        {
            if (!_idle.TryTake(out var lease))
            {
                lease = new Lease((SqliteConnection)database.Open());
                _all.Add(lease);
            }
            try
            {
                return lease.Read(subjectId, today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            finally
            {
                _idle.Add(lease);
            }
        }

        public void Dispose()
        {
            foreach (var lease in _all) lease.Dispose();
        }

        private sealed class Lease : IDisposable
        {
            private readonly SqliteConnection _conn;
            private readonly List<sqlite3_stmt> _statements = [];

            public Lease(SqliteConnection conn)
            {
                _conn = conn;
                var sql = PublicRecords.SubjectPageSql;
                while (!string.IsNullOrWhiteSpace(sql))
                {
                    Check(raw.sqlite3_prepare_v2(conn.Handle, sql, out var stmt, out var tail));
                    if (stmt is not null && !stmt.IsInvalid) _statements.Add(stmt);
                    sql = tail;
                }
            }

            public long Read(long subjectId, string today)
            {
                long bytes = 0;
                foreach (var stmt in _statements)
                {
                    Bind(stmt, "@subjectId", subjectId);
                    Bind(stmt, "@today", today);
                    Bind(stmt, "@on", today);
                    Bind(stmt, "@registered", CommitmentStatus.Registered);
                    int rc;
                    while ((rc = raw.sqlite3_step(stmt)) == raw.SQLITE_ROW)
                    {
                        var columns = raw.sqlite3_column_count(stmt);
                        for (var c = 0; c < columns; c++) bytes += raw.sqlite3_column_blob(stmt, c).Length;
                    }
                    raw.sqlite3_reset(stmt);
                    if (rc != raw.SQLITE_DONE) Check(rc);
                }
                return bytes;
            }

            private static void Bind(sqlite3_stmt stmt, string name, long value)
            {
                var i = raw.sqlite3_bind_parameter_index(stmt, name);
                if (i > 0) raw.sqlite3_bind_int64(stmt, i, value);
            }

            private static void Bind(sqlite3_stmt stmt, string name, string value)
            {
                var i = raw.sqlite3_bind_parameter_index(stmt, name);
                if (i > 0) raw.sqlite3_bind_text(stmt, i, value);
            }

            private void Check(int rc)
            {
                if (rc != raw.SQLITE_OK) throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(_conn.Handle).utf8_to_string()}", rc);
            }

            public void Dispose()
            {
                foreach (var stmt in _statements) stmt.Dispose();
                _conn.Dispose();
            }
        }
    }
}
