using Xinyong.Core.Auditing;
using Xinyong.Core.Commitments;
using Xinyong.Core.Ingestion;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Data.Subjects;

namespace Xinyong.Data.Commitments;

/// <summary>A row the import refused, with the spreadsheet row number and the reason in both languages.</summary>
public sealed record CommitmentImportError(long Row, string Code, string Field, string Zh, string En);

public sealed record CommitmentImportResult(long Read, long Created, long Unchanged, IReadOnlyList<CommitmentImportError> Errors)
{
    public long Rejected => Errors.Select(e => e.Row).Distinct().LongCount();
}

/// <summary>
/// Registers commitments from a department's file (CSV, .xlsx or JSON, read by the ingestion's readers). Each row is
/// registered on its own, so one bad row does not stop the others; a row with a commitment number (承诺编号) already
/// registered by the department is counted as unchanged, so a file can be sent again.
/// </summary>
public sealed class CommitmentImport(CommitmentStore store, SubjectStore subjects)
{
    private static readonly Dictionary<string, string[]> Headings = new()
    {
        ["kind"] = ["承诺类型", "kind", "CN_LX"],
        ["code"] = ["统一社会信用代码", "主体代码", "证件号码", "code", "CN_XDR_SHXYM"],
        ["name"] = ["承诺主体名称", "主体名称", "name", "CN_XDR_MC"],
        ["content"] = ["承诺内容", "content", "CN_NR"],
        ["matter"] = ["承诺事项", "办理事项", "matter", "CN_SX"],
        ["madeOn"] = ["承诺日期", "madeOn", "CN_RQ"],
        ["dueOn"] = ["履约期限", "dueOn", "CN_QX"],
        ["key"] = ["承诺编号", "承诺书编号", "编号", "businessKey", "CN_BH"],
        ["legalBasis"] = ["承诺依据", "legalBasis", "CN_YJ"],
    };

    private static readonly string[] RequiredColumns = ["kind", "code", "content", "madeOn"];

    public async Task<CommitmentImportResult> ImportAsync(Stream file, string fileName, long departmentId, string channel, Actor actor, bool publish,
        CancellationToken ct = default)
    {
        ITableReader reader;
        try
        {
            reader = TableSources.Open(file, fileName);
        }
        catch (SourceFormatException ex)
        {
            return new CommitmentImportResult(0, 0, 0, [new CommitmentImportError(0, "file-format", "file", ex.MessageZh, ex.MessageEn)]);
        }
        using var _ = reader;
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < reader.Header.Count; i++)
        {
            var h = reader.Header[i].Trim();
            var field = Headings.FirstOrDefault(kv => kv.Value.Contains(h, StringComparer.OrdinalIgnoreCase)).Key;
            if (field is not null) columns.TryAdd(field, i);
        }
        var missing = RequiredColumns.Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            var names = string.Join("、", missing.Select(m => Headings[m][0]));
            return new CommitmentImportResult(0, 0, 0, [new CommitmentImportError(1, "missing-columns", string.Join(",", missing),
                $"缺少必需的列：{names}", $"Required columns are missing: {string.Join(", ", missing)}")]);
        }
        long read = 0, created = 0, unchanged = 0;
        var errors = new List<CommitmentImportError>();
        while (reader.Read())
        {
            ct.ThrowIfCancellationRequested();
            read++;
            var row = reader.RowNumber;
            string? Cell(string field) => columns.TryGetValue(field, out var i) && i < reader.Current.Count && !string.IsNullOrWhiteSpace(reader.Current[i])
                ? reader.Current[i]!.Trim() : null;
            void Error(string code, string field, string zh, string en) => errors.Add(new CommitmentImportError(row, code, field, zh, en));

            var kindText = Cell("kind");
            var kind = kindText is null ? null : store.Kinds.IdOf(kindText);
            if (kind is null)
            {
                Error("unknown-kind", "kind", $"未知的承诺类型“{kindText}”", $"Unknown commitment kind '{kindText}'");
                continue;
            }
            var code = Cell("code");
            var subject = code is null ? null : await subjects.FindByCodeAsync(code, ct);
            if (subject is null)
            {
                Error("unknown-subject", "code", $"平台上没有代码为“{code}”的主体（{Cell("name")}）", $"No subject with code '{code}' ({Cell("name")}) on the platform");
                continue;
            }
            if (!TryDate(Cell("madeOn"), out var madeOn))
            {
                Error("bad-date", "madeOn", $"承诺日期“{Cell("madeOn")}”无法识别", $"Commitment date '{Cell("madeOn")}' is not a date");
                continue;
            }
            DateOnly? dueOn = null;
            if (Cell("dueOn") is { } dueText)
            {
                if (!TryDate(dueText, out var d))
                {
                    Error("bad-date", "dueOn", $"履约期限“{dueText}”无法识别", $"Due date '{dueText}' is not a date");
                    continue;
                }
                dueOn = d;
            }
            try
            {
                var (_, isNew) = await store.RegisterAsync(new CommitmentDraft(kind, subject.Id, departmentId, Cell("content"), Cell("matter"), madeOn, dueOn, channel,
                    Cell("legalBasis"), Cell("key")), actor, publish, ct);
                if (isNew) created++;
                else unchanged++;
            }
            catch (CommitmentRefusedException ex)
            {
                Error(ex.Refusal.Code, ex.Refusal.Field, ex.Refusal.Zh, ex.Refusal.En);
            }
        }
        return new CommitmentImportResult(read, created, unchanged, errors);
    }

    private static bool TryDate(string? text, out DateOnly date)
    {
        date = default;
        return text is not null && RowValidator.TryParseDate(text, out date);
    }
}
