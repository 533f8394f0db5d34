using Xinyong.Core.Ingestion.Sources;

namespace Xinyong.Core.Checks;

/// <summary>One subject to check, as given: by code, by name, or both. <see cref="Row"/> counts from 1 (data rows).</summary>
public sealed record CheckInputRow(int Row, string? Code, string? Name);

/// <summary>
/// How names given without a code are accepted. A name is matched only when the best candidate scores at least
/// <see cref="AcceptScore"/> and no other subject comes within <see cref="AmbiguityMargin"/> of it; otherwise the row is
/// reported as not found or ambiguous, never passed. A name given beside a code that scores below
/// <see cref="NameMismatchScore"/> against the code's subject makes the row need review.
/// </summary>
public sealed record CheckMatchOptions
{
    public static readonly CheckMatchOptions Default = new();

    public double AcceptScore { get; init; } = 0.9;
    public double AmbiguityMargin { get; init; } = 0.02;
    public double NameMismatchScore { get; init; } = 0.8;

    public void Validate()
    {
        if (AcceptScore is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(AcceptScore), "AcceptScore must be in (0, 1].");
        if (AmbiguityMargin is < 0 or > 0.5) throw new ArgumentOutOfRangeException(nameof(AmbiguityMargin), "AmbiguityMargin must be in [0, 0.5].");
        if (NameMismatchScore is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(NameMismatchScore), "NameMismatchScore must be in [0, 1].");
    }
}

/// <summary>Reads a batch file (CSV in UTF-8 or GB18030, or .xlsx): a code column, a name column, or both.</summary>
public static class CheckInputFile
{
    public const int MaxRows = 100_000;

    private static readonly string[] CodeHeaders =
    [
        "统一社会信用代码", "社会信用代码", "信用代码", "代码", "证件号码", "组织机构代码", "注册号", "工商注册号", "code", "uscc", "credit_code",
        "cf_xdr_shxym", "xk_xdr_shxym",
    ];

    private static readonly string[] NameHeaders =
    [
        "名称", "企业名称", "单位名称", "主体名称", "市场主体名称", "相对人名称", "name", "subject_name", "cf_xdr_mc", "xk_xdr_mc",
    ];

    /// <summary>Reads every row. Rows with neither a code nor a name are kept (reported as not found), so row numbers line up.</summary>
    public static IReadOnlyList<CheckInputRow> Read(Stream stream, string? fileName)
    {
        using var reader = TableSources.Open(stream, fileName);
        var header = reader.Header.Select(h => (h ?? "").Trim().ToLowerInvariant()).ToList();
        var code = Find(header, CodeHeaders);
        var name = Find(header, NameHeaders);
        if (code < 0 && name < 0)
            throw new SourceFormatException("文件须有“统一社会信用代码”列或“名称”列（或两者）", "the file needs a code column (统一社会信用代码) or a name column (名称), or both");
        var rows = new List<CheckInputRow>();
        while (reader.Read())
        {
            var cells = reader.Current;
            var c = code >= 0 && code < cells.Count ? Clean(cells[code]) : null;
            var n = name >= 0 && name < cells.Count ? Clean(cells[name]) : null;
            if (c is null && n is null && cells.All(string.IsNullOrWhiteSpace)) continue;
            if (rows.Count == MaxRows)
                throw new SourceFormatException($"一次最多核查 {MaxRows:N0} 个主体，请拆分文件", $"at most {MaxRows:N0} subjects per batch; split the file");
            rows.Add(new CheckInputRow(rows.Count + 1, c, n));
        }
        return rows;
    }

    /// <summary>Reads a stored file and fingerprints it (SHA-256 of its bytes), so a run records exactly what it was given.</summary>
    public static (IReadOnlyList<CheckInputRow> Rows, string Sha256) ReadFile(string path, string? fileName)
    {
        string sha;
        using (var s = File.OpenRead(path)) sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(s));
        using var f = File.OpenRead(path);
        return (Read(f, fileName ?? path), sha);
    }

    private static int Find(List<string> header, string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            var i = header.IndexOf(candidate);
            if (i >= 0) return i;
        }
        return -1;
    }

    private static string? Clean(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
}
