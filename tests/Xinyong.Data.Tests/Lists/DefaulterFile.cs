using System.Globalization;
using System.Text;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Identifiers;

namespace Xinyong.Data.Tests.Lists;

/// <summary>A court's push of judgment defaulters (seed 003: 18,417 in three batches) as CSV or .xlsx, with the court's own headings.</summary>
public sealed class DefaulterFile
{
    public static readonly string[] Header = ["被执行人姓名/名称", "统一社会信用代码", "身份证号码", "失信被执行人行为具体情形", "认定依据", "案号", "执行依据文号", "发布时间"];

    public const string Basis = "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条第（一）项";

    public List<string?[]> Rows { get; } = [];

    public static string PersonId(int i) => ResidentId.Create("320583", new DateOnly(1960, 1, 1).AddDays(i % 15000), i % 1000).Value;

    /// <summary>n defaulters: every third an enterprise, the rest natural persons; all valid.</summary>
    public static DefaulterFile Generate(int n, int seed = 3, string date = "2026-11-18")
    {
        var f = new DefaulterFile();
        var codes = Infrastructure.PenaltyFile.Codes(n / 3 + 1, seed);
        for (var i = 0; i < n; i++)
        {
            var company = i % 3 == 0;
            f.Rows.Add([
                company ? $"昆山第{i}号贸易有限公司" : $"被执行人{i}",
                company ? codes[i / 3] : null,
                company ? null : PersonId(i + seed * 100_000),
                "有履行能力而拒不履行生效法律文书确定义务",
                Basis,
                $"(2026)苏0583执{10000 + i}号",
                $"(2025)苏0583民初{20000 + i}号",
                date,
            ]);
        }
        return f;
    }

    public byte[] ToCsv(Encoding encoding)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CsvText.Line(Header));
        foreach (var r in Rows) sb.AppendLine(CsvText.Line(r));
        return encoding.GetBytes(sb.ToString());
    }

    public byte[] ToXlsx()
    {
        var ms = new MemoryStream();
        using (var w = new XlsxTableWriter(ms, "失信被执行人", Header))
        {
            foreach (var r in Rows) w.WriteRow(r);
        }
        return ms.ToArray();
    }

    public static string Text(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
