using Dapper;
using Npgsql;
using Shouldly;
using Xinyong.Data.Database;
using Xinyong.Data.Tests.Infrastructure;

namespace Xinyong.Data.Tests.Database;

/// <summary>The hand-written binary COPY encoder, read back by PostgreSQL itself: every value must arrive as written.</summary>
public sealed class PgCopyWriterTests
{
    private const string Table =
        "CREATE TEMP TABLE copied (n INT, t TEXT, j TEXT, i INT, b BIGINT, d DATE, ts TIMESTAMPTZ, amount NUMERIC(18,6), free NUMERIC)";

    private const string Copy = "COPY copied (n, t, j, i, b, d, ts, amount, free) FROM STDIN (FORMAT BINARY)";

    private static readonly decimal[] Decimals =
    [
        0m, 1m, -1m, 1.1m, 0.0001m, 0.000001m, -0.5m, 10000m, 9999.9999m, 12345.678901m, 100000000m, 1.10m,
        123456789012.345678m, 79228162514264337593543950335m, -79228162514264337593543950335m, 0.0000000000000000000000000001m,
    ];

    [PostgresFact]
    public async Task Numeric_EveryDecimal_ArrivesExactly()
    {
        await using var conn = await OpenAsync();
        await conn.ExecuteAsync(Table);
        var values = Decimals;
        using (var copy = PgCopyWriter.Begin(conn, Copy))
        {
            for (var i = 0; i < values.Length; i++)
            {
                copy.StartRow(9);
                copy.Int4(i);
                for (var k = 0; k < 6; k++) copy.Null();
                copy.Null();
                copy.Numeric(values[i]);
            }
            copy.Complete();
        }

        var back = (await conn.QueryAsync<(int N, string Text)>("SELECT n, free::text FROM copied ORDER BY n")).ToList();
        back.Count.ShouldBe(values.Length);
        foreach (var (n, text) in back)
        {
            // The server's text of the numeric is the invariant text of the decimal, scale included (1.10 stays 1.10).
            text.ShouldBe(values[n].ToString(System.Globalization.CultureInfo.InvariantCulture), $"row {n}");
        }
    }

    [PostgresFact]
    public async Task Row_EveryType_ArrivesAsWritten()
    {
        await using var conn = await OpenAsync();
        await conn.ExecuteAsync(Table);
        var at = new DateTime(2026, 12, 3, 6, 7, 8, DateTimeKind.Utc).AddTicks(1230);
        var longText = string.Concat(Enumerable.Repeat("昆山市市场监督管理局行政处罚决定书", 10_000)); // larger than the writer's block
        using (var copy = PgCopyWriter.Begin(conn, Copy))
        {
            copy.StartRow(9);
            copy.Int4(1);
            copy.Text("昆市监罚〔2026〕31号\u001f\"引号\"");
            copy.Utf8("{\"CF_WSH\":\"文号\"}"u8);
            copy.Int4(-42);
            copy.Int8(long.MaxValue);
            copy.Date(new DateOnly(1949, 10, 1));
            copy.TimestampTz(at);
            copy.Numeric(0.5m);
            copy.Null();
            for (var i = 2; i <= 1_000; i++)
            {
                copy.StartRow(9);
                copy.Int4(i);
                copy.Text(i == 500 ? longText : "行" + i);
                copy.Null();
                copy.Int4(i);
                copy.Int8(-i);
                copy.Date(new DateOnly(2026, 1, 1).AddDays(i));
                copy.TimestampTz(at.AddSeconds(i));
                copy.Numeric(i / 8m);
                copy.Null();
            }
            copy.Complete();
        }

        // Dates and times compared on the server (the platform registers its own DateTime handling with Dapper).
        var first = await conn.QuerySingleAsync<(string T, string J, int I, long B, string D, bool SameTime, decimal Amount)>(
            "SELECT t, j, i, b, d::text, ts = @at, amount FROM copied WHERE n = 1", new { at });
        first.T.ShouldBe("昆市监罚〔2026〕31号\u001f\"引号\"");
        first.J.ShouldBe("{\"CF_WSH\":\"文号\"}");
        (first.I, first.B).ShouldBe((-42, long.MaxValue));
        first.D.ShouldBe("1949-10-01");
        first.SameTime.ShouldBeTrue();
        first.Amount.ShouldBe(0.5m);
        (await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM copied")).ShouldBe(1_000);
        (await conn.ExecuteScalarAsync<string>("SELECT t FROM copied WHERE n = 500")).ShouldBe(longText);
        (await conn.ExecuteScalarAsync<decimal>("SELECT amount FROM copied WHERE n = 999")).ShouldBe(999 / 8m);
        (await conn.ExecuteScalarAsync<string>("SELECT d::text FROM copied WHERE n = 999")).ShouldBe(new DateOnly(2026, 1, 1).AddDays(999).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        (await conn.ExecuteScalarAsync<bool>("SELECT ts = @t FROM copied WHERE n = 999", new { t = at.AddSeconds(999) })).ShouldBeTrue();
    }

    [PostgresFact]
    public async Task Complete_KeyAlreadyStored_ThrowsAndTheConnectionGoesOn()
    {
        await using var conn = await OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP TABLE keyed (k TEXT PRIMARY KEY)");
        await conn.ExecuteAsync("INSERT INTO keyed VALUES ('a')");

        var ex = Should.Throw<PostgresException>(() =>
        {
            using var copy = PgCopyWriter.Begin(conn, "COPY keyed (k) FROM STDIN (FORMAT BINARY)");
            copy.StartRow(1);
            copy.Text("b");
            copy.StartRow(1);
            copy.Text("a");
            copy.Complete();
        });
        ex.SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
        (await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM keyed")).ShouldBe(1);

        // Disposed without Complete: the copy is cancelled and nothing is stored.
        using (var copy = PgCopyWriter.Begin(conn, "COPY keyed (k) FROM STDIN (FORMAT BINARY)"))
        {
            copy.StartRow(1);
            copy.Text("c");
        }
        (await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM keyed")).ShouldBe(1);
    }

    [PostgresFact]
    public async Task TimestampTz_NotUtc_Refused()
    {
        await using var conn = await OpenAsync();
        await conn.ExecuteAsync(Table);
        using var copy = PgCopyWriter.Begin(conn, Copy);
        copy.StartRow(9);
        copy.Int4(1);
        Should.Throw<ArgumentException>(() => copy.TimestampTz(new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Local)));
    }

    private static async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(Environment.GetEnvironmentVariable(TestPlatform.PostgresVariable) + ";Database=postgres");
        await conn.OpenAsync();
        return conn;
    }
}
