using System.Globalization;
using System.Text;
using Xinyong.Identifiers;

namespace Xinyong.Data.Tests.Infrastructure;

/// <summary>Builds small department files in the national penalty format for tests.</summary>
public sealed class PenaltyFile
{
    public static readonly string[] StandardHeader =
    [
        "CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_XDR_ZZJG", "CF_FRDB", "CF_XDR_ZJLX", "CF_XDR_ZJHM", "CF_WSH", "CF_WFXW", "CF_SY", "CF_YJ",
        "CF_CFLB", "CF_NR", "CF_NR_FK", "CF_JDRQ", "CF_CFJG", "CF_CFJGDM",
    ];

    public const string Authority = "昆山市市场监督管理局";
    public static readonly string AuthorityCode = CreditCode.Create('1', '1', "320583", OrganizationCode.Create("01415136")).Value;

    public List<string> Header { get; } = [.. StandardHeader];
    public List<Dictionary<string, string?>> Rows { get; } = [];

    /// <summary>A valid penalty row for an enterprise; change fields afterwards to make it bad.</summary>
    public static Dictionary<string, string?> Row(string name, string uscc, string decisionNo, string date = "2026-11-10", string fine = "0.5") => new()
    {
        ["CF_XDR_MC"] = name,
        ["CF_XDR_LB"] = "法人及非法人组织",
        ["CF_XDR_SHXYM"] = uscc,
        ["CF_FRDB"] = "王建国",
        ["CF_WSH"] = decisionNo,
        ["CF_WFXW"] = "销售不符合食品安全标准的食品",
        ["CF_SY"] = "经查，当事人于2026年10月销售过期食品。",
        ["CF_YJ"] = "《中华人民共和国食品安全法》第一百二十四条",
        ["CF_CFLB"] = "警告;罚款",
        ["CF_NR"] = "警告，罚款人民币5000元",
        ["CF_NR_FK"] = fine,
        ["CF_JDRQ"] = date,
        ["CF_CFJG"] = Authority,
        ["CF_CFJGDM"] = AuthorityCode,
    };

    public PenaltyFile Add(Dictionary<string, string?> row)
    {
        Rows.Add(row);
        return this;
    }

    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(',', Header.Select(Quote)));
        foreach (var r in Rows) sb.AppendLine(string.Join(',', Header.Select(h => Quote(r.GetValueOrDefault(h)))));
        return sb.ToString();
    }

    public string WriteCsv(string dir, Encoding? encoding = null, string name = "penalties.csv")
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, ToCsv(), encoding ?? new UTF8Encoding(false));
        return path;
    }

    private static string Quote(string? v) => v is null ? "" : v.Contains(',') || v.Contains('"') ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;

    /// <summary>Deterministic valid credit codes in Kunshan.</summary>
    public static IReadOnlyList<string> Codes(int n, int seed = 7)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => CodeGenerator.NextCreditCode(rng, "320583").Value).ToList();
    }

    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A temporary directory removed at dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "xinyong-t-" + Guid.NewGuid().ToString("N"));

    public TempDir() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
