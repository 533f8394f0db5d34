using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xinyong.Data.Database;

namespace Xinyong.WebBench;

/// <summary>
/// The load test's inputs, read back from the seeded database: <c>names.txt</c>, what people type into the public
/// search (exact names, the company form changed or left out, a one-character slip, brackets of the other width,
/// the trade name alone, former names, and names that match nothing), and <c>ids.txt</c>, random subject ids for the
/// subject page. One UTF-8 line each; scripts/bench-web.sh URL-encodes them.
/// </summary>
internal static class QueryFile
{
    private static readonly string[] Places = ["昆山", "苏州", "江苏"];
    private static readonly string[] Forms = ["股份有限公司", "有限责任公司", "有限公司"];
    private static readonly string[] TypoChars =
    [
        "华", "鑫", "宏", "泰", "恒", "瑞", "盛", "达", "博", "创", "通", "汇", "源", "丰", "隆", "佳", "美", "新", "金", "富",
        "昌", "锦", "凯", "利", "祥", "和", "嘉", "信", "德", "安", "海", "天", "正", "腾", "翔", "远", "耀", "明", "星", "辉",
        "电", "子", "科", "技", "贸", "易", "机", "械", "工", "程", "物", "流", "食", "品", "建", "材", "店", "部",
    ];
    private static readonly string[] MissIndustries = ["光学仪器", "海洋工程", "航空配件", "石墨烯", "游艇制造", "茶叶进出口", "风电设备", "区块链技术"];

    private sealed record Named(long Id, string Kind, string Name);

    public static async Task<int> RunAsync(SeedOptions o)
    {
        await WriteAsync(o);
        return 0;
    }

    public static async Task WriteAsync(SeedOptions o)
    {
        List<Named> subjects;
        List<string> former;
        if (o.Provider == DatabaseProvider.Sqlite)
        {
            await using var conn = new SqliteConnection($"Data Source={o.Target};Mode=ReadOnly");
            await conn.OpenAsync();
            subjects = (await conn.QueryAsync<Named>("SELECT id AS Id, kind AS Kind, name AS Name FROM subjects WHERE kind <> 'natural_person' ORDER BY id")).AsList();
            former = (await conn.QueryAsync<string>("SELECT name FROM subject_names WHERE is_current = 0 ORDER BY subject_id")).AsList();
        }
        else
        {
            await using var conn = new NpgsqlConnection(o.Target);
            await conn.OpenAsync();
            subjects = (await conn.QueryAsync<Named>("SELECT id AS Id, kind AS Kind, name AS Name FROM subjects WHERE kind <> 'natural_person' ORDER BY id")).AsList();
            former = (await conn.QueryAsync<string>("SELECT name FROM subject_names WHERE NOT is_current ORDER BY subject_id")).AsList();
        }
        if (subjects.Count == 0) throw new InvalidOperationException("The database holds no subjects: seed it first.");

        var rng = new Random(o.Seed ^ 0x0ae7);
        var bracketed = subjects.Where(s => s.Name.Contains('（', StringComparison.Ordinal)).ToList();
        var individual = subjects.Where(s => s.Kind == "individual_business").ToList();
        var categories = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>(o.QueryCount);
        while (names.Count < o.QueryCount)
        {
            var (category, query) = Next(rng, subjects, bracketed, individual, former);
            if (query is null || query.Length < 2) continue;
            names.Add(query);
            categories[category] = categories.GetValueOrDefault(category) + 1;
        }
        Directory.CreateDirectory(o.Queries);
        var utf8 = new UTF8Encoding(false);
        await File.WriteAllLinesAsync(Path.Combine(o.Queries, "names.txt"), names, utf8);
        var ids = Enumerable.Range(0, o.QueryCount).Select(_ => subjects[rng.Next(subjects.Count)].Id.ToString(CultureInfo.InvariantCulture));
        await File.WriteAllLinesAsync(Path.Combine(o.Queries, "ids.txt"), ids, utf8);
        ConsoleProgress.Say($"query files in {o.Queries}: names.txt ({names.Count:N0}: {string.Join(", ", categories.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}"))}), ids.txt ({o.QueryCount:N0} random ids of {subjects.Count:N0} searchable subjects)");
    }

    private static (string Category, string? Query) Next(Random rng, List<Named> subjects, List<Named> bracketed, List<Named> individual, List<string> former)
    {
        var s = subjects[rng.Next(subjects.Count)].Name;
        var r = rng.Next(100);
        return r switch
        {
            < 30 => ("exact", s),
            < 40 => ("form changed", ChangeForm(s, rng)),
            < 50 => ("form removed", StripForm(s) is var core && core != s ? core : null),
            < 65 => ("one-character slip", Typo(s, rng)),
            < 70 => ("bracket width", bracketed.Count == 0 ? null : bracketed[rng.Next(bracketed.Count)].Name.Replace('（', '(').Replace('）', ')')),
            < 75 => ("place moved into brackets", MovePlace(s, rng)),
            < 85 => ("trade name only", TradeName(s)),
            < 90 => ("former name", former.Count == 0 ? null : former[rng.Next(former.Count)]),
            < 95 => ("individual business exact", individual.Count == 0 ? null : individual[rng.Next(individual.Count)].Name),
            _ => ("no match", string.Concat(Places[rng.Next(Places.Length)], TypoChars[rng.Next(20)], TypoChars[rng.Next(20)], MissIndustries[rng.Next(MissIndustries.Length)], "有限公司")),
        };
    }

    private static string? ChangeForm(string name, Random rng)
    {
        var form = Forms.FirstOrDefault(f => name.EndsWith(f, StringComparison.Ordinal));
        if (form is null) return null;
        var other = Forms.Where(f => f != form).ToArray()[rng.Next(2)];
        return string.Concat(name.AsSpan(0, name.Length - form.Length), other);
    }

    private static string StripForm(string name)
    {
        var form = Forms.FirstOrDefault(f => name.EndsWith(f, StringComparison.Ordinal));
        return form is null ? name : name[..^form.Length];
    }

    /// <summary>One character of the name (not the place or the form) replaced, dropped, or swapped with its neighbour.</summary>
    private static string? Typo(string name, Random rng)
    {
        var start = Places.Any(p => name.StartsWith(p, StringComparison.Ordinal)) ? 2 : 0;
        var end = StripForm(name).Length;
        if (end - start < 3) return null;
        var i = start + rng.Next(end - start - 1);
        var chars = name.ToCharArray();
        switch (rng.Next(5))
        {
            case < 3:
                var c = TypoChars[rng.Next(TypoChars.Length)][0];
                if (c == chars[i]) return null;
                chars[i] = c;
                return new string(chars);
            case 3:
                return name.Remove(i, 1);
            default:
                if (chars[i] == chars[i + 1]) return null;
                (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                return new string(chars);
        }
    }

    /// <summary>"昆山华泰电子科技有限公司" typed as "华泰电子科技(昆山)有限公司", in either bracket width.</summary>
    private static string? MovePlace(string name, Random rng)
    {
        var moved = RowRewriter.Bracketed(name);
        return moved is null ? null : rng.Next(2) == 0 ? moved : moved.Replace('（', '(').Replace('）', ')');
    }

    /// <summary>The trade name and industry without place or form: what people type most.</summary>
    private static string? TradeName(string name)
    {
        var core = StripForm(name);
        var bracket = core.IndexOf('（', StringComparison.Ordinal);
        if (bracket > 0) core = core[..bracket];
        var place = Places.FirstOrDefault(p => core.StartsWith(p, StringComparison.Ordinal));
        if (place is not null) core = core[place.Length..];
        return core.Length >= 2 ? core : null;
    }
}
