using Xinyong.Core.Search;
using Xinyong.Core.Subjects;

namespace Xinyong.Core.Tests.Search;

public sealed class NameIndexTests
{
    private static IndexedName Name(long id, string name, bool current = true, SubjectKind kind = SubjectKind.LegalPerson) =>
        new(id, kind, current, MatchKey.Parse(name));

    private static readonly IndexedName[] Names =
    [
        Name(1, "昆山恒达机械制造有限公司"),
        Name(2, "昆山恒达机械制造有限责任公司"),
        Name(3, "昆山恒大机械制造有限公司"),
        Name(4, "苏州华鑫餐饮管理有限公司"),
        Name(5, "苏州新华鑫电子科技有限公司"),
        Name(5, "苏州华鑫电子有限公司", current: false),
        Name(6, "昆山市玉山镇张伟小吃店", kind: SubjectKind.IndividualBusiness),
        Name(7, "张伟", kind: SubjectKind.NaturalPerson),
        Name(8, "昆山恒达精密模具有限公司"),
        Name(9, "昆山恒达有限公司"),
        Name(10, "昆山恒泰有限公司"),
    ];

    private static readonly NameIndex Index = NameIndex.Build(Names);

    [Fact]
    public void Build_LeavesOutNaturalPersons()
    {
        Index.Count.ShouldBe(Names.Length - 1);
        Index.Search("张伟").Hits.ShouldAllBe(h => h.SubjectId != 7);
        Index.Search("张伟").Hits.ShouldContain(h => h.SubjectId == 6);
    }

    [Fact]
    public void Search_ExactName_RanksExactThenFormVariantThenTypo()
    {
        var r = Index.Search("昆山恒达机械制造有限公司", take: 10);

        r.Hits.Select(h => h.SubjectId).Take(3).ShouldBe([1L, 2L, 3L]);
        r.Hits[2].Match.ReasonZh.ShouldBe("名称相近（相差1个同音字）");
        r.Hits[0].Match.Kind.ShouldBe(MatchKind.Exact);
        r.Hits[1].Match.Kind.ShouldBe(MatchKind.SameName);
        r.Hits[2].Match.Kind.ShouldBe(MatchKind.Similar);
        r.Hits.ShouldNotContain(h => h.SubjectId == 4);
    }

    [Theory]
    [InlineData("昆山恒达机械制造有限公司", 1L)]
    [InlineData("昆山恒达机械制造有限责任公司", 2L)]
    [InlineData("恒达机械制造有限公司", 1L)]
    [InlineData("昆山市 恒达机械制造（有限公司）", 1L)]
    [InlineData("苏州华鑫餐饮管理有限公司", 4L)]
    [InlineData("苏州华鑫餐饮管里有限公司", 4L)]
    [InlineData("苏州华鑫餐管理有限公司", 4L)]
    [InlineData("苏州华鑫餐饮餐管理有限公司", 4L)]
    [InlineData("华鑫餐饮管理", 4L)]
    [InlineData("苏州华鑫电子有限公司", 5L)]
    [InlineData("玉山镇张伟小吃店", 6L)]
    [InlineData("恒达精密模具", 8L)]
    [InlineData("昆山恒大有限公司", 9L)]
    [InlineData("蘇州華鑫餐飲管理有限公司", 4L)]
    public void Search_Variants_FindTheSubjectFirst(string query, long expected) =>
        Index.Search(query).Hits[0].SubjectId.ShouldBe(expected);

    [Fact]
    public void Search_FormerName_SaysSo()
    {
        var hit = Index.Search("苏州华鑫电子有限公司").Hits[0];

        hit.IsCurrentName.ShouldBeFalse();
        hit.Match.FormerName.ShouldBeTrue();
        hit.Match.Kind.ShouldBe(MatchKind.Exact);
        hit.Match.ReasonZh.ShouldBe("与曾用名一致");
    }

    [Fact]
    public void Search_OneSubjectWithTwoMatchingNames_AppearsOnceWithItsBest()
    {
        var r = Index.Search("华鑫电子", take: 10);
        r.Hits.Count(h => h.SubjectId == 5).ShouldBe(1);
    }

    [Fact]
    public void Search_Paging_SkipsAndCounts()
    {
        var all = Index.Search("恒达", take: 100);
        var page2 = Index.Search("恒达", skip: 1, take: 1);

        all.Total.ShouldBe(all.Hits.Count);
        all.Total.ShouldBeGreaterThanOrEqualTo(3);
        page2.Total.ShouldBe(all.Total);
        page2.Hits.Single().SubjectId.ShouldBe(all.Hits[1].SubjectId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("有限公司")]
    [InlineData("完全无关的名字")]
    public void Search_NothingUseful_FindsNothing(string query) => Index.Search(query).Hits.ShouldBeEmpty();

    [Fact]
    public void With_RenamedSubject_FindsNewAndFormerName()
    {
        var renamed = Index.With([4], [Name(4, "苏州华鑫食品有限公司"), Name(4, "苏州华鑫餐饮管理有限公司", current: false)]);

        var byNew = renamed.Search("苏州华鑫食品有限公司").Hits[0];
        byNew.SubjectId.ShouldBe(4);
        byNew.Match.Kind.ShouldBe(MatchKind.Exact);
        var byOld = renamed.Search("苏州华鑫餐饮管理有限公司").Hits[0];
        byOld.SubjectId.ShouldBe(4);
        byOld.Match.FormerName.ShouldBeTrue();
        renamed.Count.ShouldBe(Index.Count + 1);
        // The original index is unchanged.
        Index.Search("苏州华鑫食品有限公司").Hits.ShouldNotContain(h => h.SubjectId == 4 && h.Match.Kind == MatchKind.Exact);
    }

    [Fact]
    public void With_NewSubjectsThenCompact_KeepsEveryLiveName()
    {
        var changed = Index.With([], [Name(99, "太仓新港物流有限公司")]).With([1], [Name(1, "昆山恒达重工有限公司")]);
        var compact = changed.Compact();

        foreach (var index in new[] { changed, compact })
        {
            index.Search("太仓新港物流有限公司").Hits[0].SubjectId.ShouldBe(99);
            index.Search("昆山恒达重工有限公司").Hits[0].SubjectId.ShouldBe(1);
            index.Search("昆山恒达机械制造有限公司").Hits[0].SubjectId.ShouldBe(2);
        }
        compact.Count.ShouldBe(changed.Count);
        compact.PendingCount.ShouldBe(0);
        changed.CountSubjects().ShouldBe(Index.CountSubjects() + 1);
        compact.CountSubjects().ShouldBe(changed.CountSubjects());
    }

    [Fact]
    public void Search_ManyCommonNames_TotalIsLowerBoundAndFast()
    {
        var names = Enumerable.Range(1, 5000).Select(i => Name(i, $"苏州{(char)('甲' + (i % 300))}{(char)('乙' + (i / 300))}科技有限公司")).ToList();
        var index = NameIndex.Build(names);
        var options = NameMatchOptions.Default with { MaxCandidates = 100 };

        var r = index.Search("科技有限公司", options: options);

        r.TotalIsLowerBound.ShouldBeTrue();
        r.Total.ShouldBeLessThanOrEqualTo(100);
    }
}

/// <summary>
/// The index must find every name the matcher calls exact, same, similar or containing the query: candidate
/// generation reads only some pair lists, so it is checked here against scoring every name.
/// </summary>
public sealed class NameIndexCompletenessTests
{
    private const string Brands = "华鑫宏泰恒瑞盛达博创通汇源丰隆佳美新金富昌锦凯利祥和嘉信德安海天正";
    private static readonly string[] Industries = ["科技", "电子科技", "机械制造", "精密机械", "贸易", "国际贸易", "企业管理咨询", "园林绿化工程", "食品", "物流"];
    private static readonly string[] Places = ["昆山", "苏州", "江苏", "昆山市", ""];
    private static readonly string[] Forms = ["有限公司", "有限责任公司", "股份有限公司", ""];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Search_FindsEveryNameTheMatcherAccepts(bool layered)
    {
        var rng = new Random(11);
        var names = new List<(long Id, string Name)>();
        for (var i = 1; i <= 6000; i++)
        {
            var brand = new string(Enumerable.Range(0, rng.Next(1, 4)).Select(_ => Brands[rng.Next(Brands.Length)]).ToArray());
            names.Add((i, Places[rng.Next(Places.Length)] + brand + Industries[rng.Next(Industries.Length)] + Forms[rng.Next(Forms.Length)]));
        }
        var indexed = names.Select(n => new IndexedName(n.Id, SubjectKind.LegalPerson, true, MatchKey.Parse(n.Name))).ToList();
        // Layered: most names in the base block, the rest added later, and some subjects replaced by themselves.
        var index = layered
            ? NameIndex.Build(indexed.Take(4500)).With([], indexed.Skip(4500)).With([], indexed.Where(n => n.SubjectId % 7 == 0))
            : NameIndex.Build(indexed);
        var options = NameMatchOptions.Default with { MaxCandidates = 100_000 };

        for (var q = 0; q < 300; q++)
        {
            var source = names[rng.Next(names.Count)].Name;
            var query = (q % 4) switch
            {
                0 => source,
                1 => source.Remove(rng.Next(source.Length), 1),
                2 => source.Insert(rng.Next(source.Length), Brands[rng.Next(Brands.Length)].ToString()),
                _ => source.Remove(rng.Next(source.Length), 1).Insert(rng.Next(source.Length - 1), Brands[rng.Next(Brands.Length)].ToString()),
            };
            var key = MatchKey.Parse(query);
            var found = index.Search(key, 0, 100_000, options).Hits.ToDictionary(h => h.SubjectId, h => h.Match.Score);
            foreach (var (id, name) in names)
            {
                var candidate = MatchKey.Parse(name);
                var m = NameMatcher.Match(key, candidate);
                if (m.Score < options.MinScore) continue;
                var expected = m.Kind is MatchKind.Exact or MatchKind.SameName
                    || (m.Kind == MatchKind.Similar && Levenshtein(key.Core, candidate.Core) <= NameMatcher.MaxEdits(Math.Max(key.Core.Length, candidate.Core.Length)))
                    || (m.Kind == MatchKind.Contains && candidate.Core.Length > key.Core.Length);
                if (!expected) continue;
                found.ShouldContainKey(id, $"query '{query}' should find '{name}' ({m.ReasonEn}, {m.Score:F3})");
                found[id].ShouldBe(m.Score, 1e-9);
            }
        }
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
