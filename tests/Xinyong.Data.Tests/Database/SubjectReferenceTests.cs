using System.Data.Common;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Shouldly;
using Xinyong.Data.Tests.Infrastructure;
using Xinyong.Data.Tests.Ingestion;

namespace Xinyong.Data.Tests.Database;

/// <summary>
/// Every record names a subject that exists, and subjects are kept for good. SQLite checks the reference with its
/// foreign key; PostgreSQL once per statement (migrations 0015 and 0016), which is only as safe as the foreign key because no
/// subject can be deleted or change its id.
/// </summary>
public sealed class SubjectReferenceTests
{
    [Theory]
    [DatabaseProviders]
    public async Task InsertRecord_SubjectDoesNotExist_Refused(string provider)
    {
        var (p, _, subjectId) = await WithOneRecordAsync(provider);
        await using var _p = p;
        await using var conn = await p.Db.OpenAsync();

        var ex = await Should.ThrowAsync<DbException>(() => conn.ExecuteAsync(InsertCopyOf, new { subject = subjectId + 1000, key = "不存在的主体" }));
        if (provider == "postgres") ((PostgresException)ex).SqlState.ShouldBe(PostgresErrorCodes.ForeignKeyViolation);
        (await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM records")).ShouldBe(1);

        // The same statement naming the existing subject goes through.
        (await conn.ExecuteAsync(InsertCopyOf, new { subject = subjectId, key = "存在的主体" })).ShouldBe(1);
    }

    [Theory]
    [DatabaseProviders]
    public async Task UpdateRecord_ToSubjectThatDoesNotExist_Refused(string provider)
    {
        var (p, _, subjectId) = await WithOneRecordAsync(provider);
        await using var _p = p;
        await using var conn = await p.Db.OpenAsync();

        await Should.ThrowAsync<DbException>(() => conn.ExecuteAsync("UPDATE records SET subject_id = @s", new { s = subjectId + 1000 }));
        (await conn.ExecuteScalarAsync<long>("SELECT subject_id FROM records")).ShouldBe(subjectId);
    }

    [Theory]
    [DatabaseProviders]
    public async Task DeleteOrRenumberSubject_Refused(string provider)
    {
        var (p, _, subjectId) = await WithOneRecordAsync(provider);
        await using var _p = p;
        await using var conn = await p.Db.OpenAsync();
        // A subject no record names: the foreign keys alone would let it go.
        var lone = await conn.ExecuteScalarAsync<long>(
            "INSERT INTO subjects (kind, uscc, name, name_key, created_at, updated_at) VALUES ('legal', 'LONE', '孤立主体', '孤立主体', @t, @t) RETURNING id",
            new { t = DateTime.UtcNow });

        (await Should.ThrowAsync<DbException>(() => conn.ExecuteAsync("DELETE FROM subjects WHERE id = @lone", new { lone })))
            .Message.ShouldContain("cannot be deleted");
        await Should.ThrowAsync<DbException>(() => conn.ExecuteAsync("UPDATE subjects SET id = @n WHERE id = @lone", new { n = lone + 1000, lone }));
        (await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM subjects WHERE id IN (@lone, @subjectId)", new { lone, subjectId })).ShouldBe(2);

        // Other changes to a subject are still allowed.
        (await conn.ExecuteAsync("UPDATE subjects SET name = '孤立主体（更名）' WHERE id = @lone", new { lone })).ShouldBe(1);
    }

    /// <summary>
    /// A subject's identifiers and names refer to it as records do (PostgreSQL: checked per statement since migration
    /// 0016, where a per-row foreign key checked them before).
    /// </summary>
    [Theory]
    [DatabaseProviders]
    public async Task IdentifierOrName_SubjectDoesNotExist_Refused(string provider)
    {
        var (p, _, subjectId) = await WithOneRecordAsync(provider);
        await using var _p = p;
        await using var conn = await p.Db.OpenAsync();
        var missing = subjectId + 1000;
        var now = DateTime.UtcNow;

        var ex = await Should.ThrowAsync<DbException>(() => conn.ExecuteAsync(
            "INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('org', 'MA1X2Y3Z4', @missing, 'test')", new { missing }));
        if (provider == "postgres") ((PostgresException)ex).SqlState.ShouldBe(PostgresErrorCodes.ForeignKeyViolation);
        await Should.ThrowAsync<DbException>(() => conn.ExecuteAsync(
            "INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen) VALUES (@missing, '无此主体', '无此主体', false, @now)", new { missing, now }));
        await Should.ThrowAsync<DbException>(() => conn.ExecuteAsync("UPDATE subject_names SET subject_id = @missing", new { missing }));
        (await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM subject_identifiers WHERE subject_id = @missing", new { missing })).ShouldBe(0);
        (await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM subject_names WHERE subject_id = @missing", new { missing })).ShouldBe(0);

        // The same rows naming the existing subject go through, and the identifier is found by its value.
        (await conn.ExecuteAsync(
            "INSERT INTO subject_identifiers (scheme, value, subject_id, source) VALUES ('org', 'MA1X2Y3Z4', @subjectId, 'test')", new { subjectId })).ShouldBe(1);
        (await conn.ExecuteAsync(
            "INSERT INTO subject_names (subject_id, name, name_key, is_current, first_seen) VALUES (@subjectId, '曾用名', '曾用名', false, @now)", new { subjectId, now })).ShouldBe(1);
        (await conn.ExecuteScalarAsync<long>("SELECT subject_id FROM subject_identifiers WHERE value = 'MA1X2Y3Z4'")).ShouldBe(subjectId);
    }

    /// <summary>The ingest's bulk path: a COPY with one row naming a missing subject fails as a whole.</summary>
    [PostgresFact]
    public async Task CopyRecords_OneRowNamesMissingSubject_WholeCopyRefused()
    {
        var (p, _, subjectId) = await WithOneRecordAsync("postgres");
        await using var _p = p;
        await using var conn = (NpgsqlConnection)await p.Db.OpenAsync();

        var ex = await Should.ThrowAsync<PostgresException>(async () =>
        {
            await using var copy = await conn.BeginBinaryImportAsync(
                "COPY records (record_type, business_key, department_id, subject_id, version, content_hash, decision_number, decision_date, " +
                "authority_name, subject_name, submission_id, row_number, lag_working_days, data, first_received_at, received_at) FROM STDIN (FORMAT BINARY)");
            for (var i = 0; i < 3; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync("penalty", NpgsqlDbType.Text);
                await copy.WriteAsync("复制" + i, NpgsqlDbType.Text);
                await copy.WriteAsync(1L, NpgsqlDbType.Bigint);
                await copy.WriteAsync(i == 1 ? subjectId + 1000 : subjectId, NpgsqlDbType.Bigint);
                await copy.WriteAsync(1, NpgsqlDbType.Integer);
                await copy.WriteAsync("h", NpgsqlDbType.Text);
                await copy.WriteAsync("号" + i, NpgsqlDbType.Text);
                await copy.WriteAsync(new DateOnly(2026, 11, 1), NpgsqlDbType.Date);
                await copy.WriteAsync("机关", NpgsqlDbType.Text);
                await copy.WriteAsync("主体", NpgsqlDbType.Text);
                await copy.WriteAsync(1L, NpgsqlDbType.Bigint);
                await copy.WriteAsync((long)i, NpgsqlDbType.Bigint);
                await copy.WriteAsync(0, NpgsqlDbType.Integer);
                await copy.WriteAsync("{}", NpgsqlDbType.Json);
                await copy.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
        });
        ex.SqlState.ShouldBe(PostgresErrorCodes.ForeignKeyViolation);
        ex.MessageText.ShouldContain((subjectId + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM records")).ShouldBe(1);
    }

    /// <summary>A copy of the one stored record under a new business key, naming the given subject.</summary>
    private const string InsertCopyOf =
        """
        INSERT INTO records (record_type, business_key, department_id, subject_id, version, content_hash, decision_number, decision_date,
            authority_name, authority_code, amount, subject_name, submission_id, row_number, lag_working_days, data, first_received_at, received_at)
        SELECT record_type, @key, department_id, @subject, version, content_hash, decision_number, decision_date,
            authority_name, authority_code, amount, subject_name, submission_id, row_number, lag_working_days, data, first_received_at, received_at
        FROM records
        """;

    private static async Task<(TestPlatform P, long RecordId, long SubjectId)> WithOneRecordAsync(string provider)
    {
        var (p, dept) = await IngestTesting.StartAsync(provider);
        using var dir = new TempDir();
        var file = new PenaltyFile().Add(PenaltyFile.Row("昆山引用测试有限公司", IngestTesting.Codes[0], "昆市监罚〔2026〕1号"));
        (await IngestTesting.IngestAsync(p, dept, file.WriteCsv(dir.Path))).Accepted.ShouldBe(1);
        await using var conn = await p.Db.OpenAsync();
        var (id, subject) = await conn.QuerySingleAsync<(long, long)>("SELECT id, subject_id FROM records");
        return (p, id, subject);
    }
}
