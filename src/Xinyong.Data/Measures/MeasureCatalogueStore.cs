using System.Security.Cryptography;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Lists;
using Xinyong.Core.Measures;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;
using Xinyong.Data.Departments;

namespace Xinyong.Data.Measures;

/// <summary>A stored catalogue version (the shipped one has Id 0 and is never stored).</summary>
public sealed record CatalogueVersion
{
    public long Id { get; init; }
    public string Version { get; init; } = default!;
    public DateOnly IssuedOn { get; init; }
    public int Measures { get; init; }
    public string? FileName { get; init; }
    public string? FileSha256 { get; init; }
    public string ImportedBy { get; init; } = default!;
    public DateTime ImportedAt { get; init; }
}

/// <summary>
/// The measure catalogue in force: the latest imported version, or the shipped starter catalogue while none has been
/// imported. Imports are whole new versions (never edits), audited, and kept so that past answers can be reproduced.
/// </summary>
public sealed class MeasureCatalogueStore(XinyongDatabase db, ListTypeCatalogue types, DepartmentStore departments, AuditLog audit, TimeProvider clock)
{
    private (long Id, MeasureCatalogue Catalogue)? _current;

    public ListTypeCatalogue Types => types;

    /// <summary>Department code to short name, for the spreadsheet.</summary>
    public async Task<IReadOnlyDictionary<string, string>> DepartmentNamesAsync(CancellationToken ct = default) =>
        (await departments.ListAsync(ct)).ToDictionary(d => d.Code, d => d.Name, StringComparer.Ordinal);

    public async Task<MeasureCatalogue> CurrentAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var latest = await conn.QueryFirstOrDefaultAsync<(long Id, string Definition)?>(
            "SELECT id, definition FROM measure_catalogues ORDER BY id DESC LIMIT 1");
        var id = latest?.Id ?? 0;
        if (_current is { } c && c.Id == id) return c.Catalogue;
        var codes = (await departments.ListAsync(ct)).Select(d => d.Code).ToList();
        var catalogue = latest is { } row ? MeasureCatalogue.Parse(row.Definition, types, codes) : MeasureCatalogue.LoadDefault(types, codes);
        _current = (id, catalogue);
        return catalogue;
    }

    public async Task<IReadOnlyList<CatalogueVersion>> VersionsAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<CatalogueVersion>(
            "SELECT id, version, issued_on, measures, file_name, file_sha256, imported_by, imported_at FROM measure_catalogues ORDER BY id DESC")).ToList();
    }

    /// <summary>Reads a catalogue spreadsheet and stores it as the version in force. Refused when invalid or the version label is taken.</summary>
    public async Task<MeasureCatalogue> ImportXlsxAsync(Stream xlsx, string fileName, string? version, DateOnly? issuedOn, Actor actor, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        await xlsx.CopyToAsync(buffer, ct);
        var sha = Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
        buffer.Position = 0;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        var label = string.IsNullOrWhiteSpace(version) ? $"{today:yyyy-MM-dd}-{sha[..8]}" : version.Trim();
        MeasureCatalogue catalogue;
        try
        {
            catalogue = MeasureCatalogueSheet.Read(buffer, label, issuedOn ?? today, types, await DepartmentNamesAsync(ct));
        }
        catch (Core.Ingestion.Sources.SourceFormatException e)
        {
            throw new RefusedException("not-a-spreadsheet", "文件无法读取：" + e.MessageZh, "The file cannot be read: " + e.MessageEn, RefusalKind.Invalid);
        }
        await StoreAsync(catalogue, fileName, sha, actor, ct);
        return catalogue;
    }

    public async Task StoreAsync(MeasureCatalogue catalogue, string? fileName, string? sha256, Actor actor, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var taken = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM measure_catalogues WHERE version = @v", new { v = catalogue.Version }, tx);
        if (taken > 0 || catalogue.Version == MeasureCatalogue.LoadDefault(types, (await departments.ListAsync(ct)).Select(d => d.Code).ToList()).Version)
        {
            throw new RefusedException("version-taken", $"清单版本号“{catalogue.Version}”已存在，请使用新的版本号。",
                $"Catalogue version '{catalogue.Version}' already exists; use a new label.", RefusalKind.Conflict);
        }
        var id = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO measure_catalogues (version, issued_on, measures, definition, file_name, file_sha256, imported_by, imported_at)
            VALUES (@Version, @IssuedOn, @count, @definition, @fileName, @sha256, @by, @at) RETURNING id
            """,
            new { catalogue.Version, catalogue.IssuedOn, count = catalogue.All.Count, definition = catalogue.ToJson(), fileName, sha256, by = actor.ToString(), at = clock.GetUtcNow().UtcDateTime }, tx);
        await audit.WriteAsync(actor, "measures.catalogue.import", "measure_catalogue", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { catalogue.Version, catalogue.IssuedOn, measures = catalogue.All.Count, fileName, sha256 }, conn, tx, ct);
        await tx.CommitAsync(ct);
        _current = (id, catalogue);
    }
}
