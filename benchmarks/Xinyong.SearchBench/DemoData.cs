using System.Reflection;
using Xinyong.Core.Demo;
using Xinyong.Core.Search;

namespace Xinyong.SearchBench;

/// <summary>
/// The demo generator's subjects (src/Xinyong.Core/Demo/DemoSubjects.cs, internal to Core, reached by reflection so
/// the benchmark uses exactly the names the demo data has), plus renames: 5% of enterprises get a new name and keep
/// the generated one as former name.
/// </summary>
internal sealed class DemoData
{
    public const byte Enterprise = 0;
    public const byte Individual = 1;
    public const byte Person = 2;

    /// <summary>Brand characters for new names; the same pool as the generator's trade names.</summary>
    public static readonly string BrandPool = "华鑫宏泰恒瑞盛达博创通汇源丰隆佳美新金富昌锦凯利祥和嘉信德安海天正腾翔远耀明星辉东方中亚欧联合众永久长城成科智慧精诚立峰晟昊宇航振兴旺顺益荣晨光润泽伟杰俊豪卓越优特力威强坤乾元亨聚鼎晶银宝奥捷迅驰骏弘扬茂森林青春阳思维道名品尚雅致臻铭睿灵逸畅悦欣乐康健吉福喜万千百盈鹏飞龙凤麒麟虹彩蓝绿云峻岭川江河湖港湾桥际环球胜友邦协";

    private DemoData(byte[] kind, string[] name, string[] code, Dictionary<int, string> renamed)
    {
        Kind = kind;
        Name = name;
        Code = code;
        Renamed = renamed;
    }

    public int Count => Kind.Length;
    public byte[] Kind { get; }

    /// <summary>The generated (first) name; for renamed subjects their former name.</summary>
    public string[] Name { get; }

    public string[] Code { get; }

    /// <summary>Subject index -> current name, for renamed subjects.</summary>
    public Dictionary<int, string> Renamed { get; }

    public string CurrentName(int i) => Renamed.TryGetValue(i, out var n) ? n : Name[i];

    public static DemoData Create(int count, int seed)
    {
        var type = typeof(DemoDataGenerator).Assembly.GetType("Xinyong.Core.Demo.DemoSubjects", throwOnError: true)!;
        var subjects = type.GetMethod("Create", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [count, seed])!;
        T Get<T>(string property) => (T)type.GetProperty(property)!.GetValue(subjects)!;
        var kind = Get<byte[]>("Kind");
        var name = Get<string[]>("Name");
        var code = Get<string[]>("Code");

        var rng = new Random(seed + 7);
        var taken = new HashSet<string>(name, StringComparer.Ordinal);
        var renamed = new Dictionary<int, string>();
        for (var i = 0; i < count; i++)
        {
            if (kind[i] != Enterprise || rng.Next(20) != 0) continue;
            var key = MatchKey.Parse(name[i]);
            var at = name[i].IndexOf(key.Core, StringComparison.Ordinal);
            if (at < 0) continue;
            string next;
            do
            {
                // A new trade name, same place, industry and form: 昆山恒达机械制造有限公司 -> 昆山瑞祥机械制造有限公司.
                var brandLength = key.Core.Length > 5 ? 3 : 2;
                next = string.Concat(name[i].AsSpan(0, at), Brand(rng, brandLength), name[i].AsSpan(at + brandLength));
            }
            while (!taken.Add(next));
            renamed[i] = next;
        }
        return new DemoData(kind, name, code, renamed);
    }

    public static string Brand(Random rng, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = BrandPool[rng.Next(BrandPool.Length)];
        return new string(chars);
    }
}

/// <summary>A search query made from a subject's name, and the subject it should find.</summary>
internal sealed record Query(string Text, long SubjectId, string Variant, string TargetName);

/// <summary>
/// Queries as people type them: exact, another company form, no form, place spelled differently or left out,
/// extra spaces and full-width brackets, one wrong / missing / extra character, a former name.
/// </summary>
internal sealed class QuerySet
{
    private static readonly string[] Variants = ["exact", "form swapped", "form left out", "place varied", "spaces/width", "typo", "same-sound typo", "missing char", "extra char", "former name"];
    private static readonly int[] Weights = [15, 12, 10, 10, 8, 10, 8, 10, 7, 10];
    private const string TypoPool = "大达华化新兴鑫金宏红恒衡泰太瑞锐盛胜博波创窗通同汇会源元丰风隆龙佳家美梅富福昌长科技机电子贸易商服务工程建设";

    public List<Query> Items { get; } = [];

    /// <summary>Characters of the demo names by reading: the same-sound characters a pinyin input method offers.</summary>
    private Dictionary<int, List<char>> _homophones = [];

    public static QuerySet Create(DemoData data, int count, int seed)
    {
        var rng = new Random(seed);
        var set = new QuerySet();
        var seen = new HashSet<char>();
        for (var i = 0; i < data.Count; i += 7) foreach (var c in data.Name[i]) seen.Add(c);
        set._homophones = seen.Where(c => ChineseReadings.Sound(c) != 0).GroupBy(ChineseReadings.Sound).ToDictionary(g => g.Key, g => g.ToList());
        var renamed = data.Renamed.Keys.ToArray();
        while (set.Items.Count < count)
        {
            var variant = Pick(rng);
            int i;
            if (variant == "former name")
            {
                i = renamed[rng.Next(renamed.Length)];
                set.Items.Add(new Query(data.Name[i], i + 1, variant, data.Name[i]));
                continue;
            }
            do i = rng.Next(data.Count); while (data.Kind[i] == DemoData.Person);
            var name = data.CurrentName(i);
            var text = set.Vary(name, variant, rng);
            if (text is null) continue;
            set.Items.Add(new Query(text, i + 1, variant, name));
        }
        return set;
    }

    private static string Pick(Random rng)
    {
        var r = rng.Next(Weights.Sum());
        for (var v = 0; v < Weights.Length; v++)
        {
            if ((r -= Weights[v]) < 0) return Variants[v];
        }
        return Variants[0];
    }

    private string? Vary(string name, string variant, Random rng)
    {
        var key = MatchKey.Parse(name);
        var at = name.IndexOf(key.Core, StringComparison.Ordinal);
        switch (variant)
        {
            case "exact":
                return name;
            case "form swapped":
                if (name.EndsWith("有限责任公司", StringComparison.Ordinal)) return name[..^6] + "有限公司";
                if (name.EndsWith("股份有限公司", StringComparison.Ordinal)) return name[..^6] + "有限公司";
                if (name.EndsWith("有限公司", StringComparison.Ordinal)) return name[..^4] + "有限责任公司";
                return null;
            case "form left out":
                return key.Form == 0 || at < 0 ? null : name[..(at + key.Core.Length)];
            case "place varied":
                if (at <= 0) return null;
                if (name.StartsWith("昆山", StringComparison.Ordinal) && !name.StartsWith("昆山市", StringComparison.Ordinal)) return "昆山市" + name[2..];
                return name[at..];
            case "spaces/width":
                var chars = name.Select(c => c == '(' ? '（' : c == ')' ? '）' : c).ToList();
                chars.Insert(1 + rng.Next(chars.Count - 1), ' ');
                chars.Insert(1 + rng.Next(chars.Count - 1), '\u3000');
                return new string(chars.ToArray());
            case "same-sound typo":
                if (at < 0) return null;
                var spot = at + rng.Next(key.Core.Length);
                if (!_homophones.TryGetValue(ChineseReadings.Sound(name[spot]), out var alike)) return null;
                var others = alike.Where(c => c != name[spot]).ToList();
                if (others.Count == 0) return null;
                return string.Concat(name.AsSpan(0, spot), others[rng.Next(others.Count)].ToString(), name.AsSpan(spot + 1));
            case "typo":
            case "missing char":
            case "extra char":
                if (at < 0 || key.Core.Length < 3) return null;
                var pos = at + rng.Next(key.Core.Length);
                var c2 = TypoPool[rng.Next(TypoPool.Length)];
                if (variant == "typo")
                {
                    if (c2 == name[pos]) return null;
                    return string.Concat(name.AsSpan(0, pos), c2.ToString(), name.AsSpan(pos + 1));
                }
                if (variant == "missing char") return name.Remove(pos, 1);
                return name.Insert(pos, c2.ToString());
            default:
                return name;
        }
    }
}
