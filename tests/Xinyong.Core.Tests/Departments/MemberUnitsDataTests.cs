using System.Text.Json;
using System.Text.RegularExpressions;
using Xinyong.Core.Calendar;

namespace Xinyong.Core.Tests.Departments;

public partial class MemberUnitsDataTests
{
    private const string ResourceName = "Xinyong.Core.Departments.member-units.json";

    private static readonly IReadOnlyList<MemberUnitRow> Units = Load();

    [Fact]
    public void Codes_AllUnits_AreUniqueLowercaseAscii()
    {
        Units.Select(u => u.Code).ShouldBeUnique();
        Units.ShouldAllBe(u => CodePattern().IsMatch(u.Code));
    }

    [Fact]
    public void NamesAndAliases_AllUnits_AreUniqueAcrossUnits()
    {
        Units.Select(u => u.Name).ShouldBeUnique();
        Units.SelectMany(u => u.Aliases.Prepend(u.Name)).ShouldBeUnique();
    }

    [Fact]
    public void Fields_AllUnits_AreFilledAndKindIsKnown()
    {
        string[] kinds = ["department", "district", "city_office", "credit_office"];
        foreach (var unit in Units)
        {
            unit.Name.ShouldNotBeNullOrWhiteSpace();
            unit.FullName.ShouldNotBeNullOrWhiteSpace();
            unit.Kind.ShouldBeOneOf(kinds);
            unit.Aliases.ShouldAllBe(a => !string.IsNullOrWhiteSpace(a) && a != unit.Name);
        }
    }

    [Theory]
    [InlineData("市场监管局", "department")]
    [InlineData("应急管理局", "department")]
    [InlineData("人民法院", "department")]
    [InlineData("昆山开发区", "district")]
    [InlineData("锦溪镇", "district")]
    [InlineData("柏庐城市管理办事处", "city_office")]
    [InlineData("市信用办", "credit_office")]
    public void Units_SeedAssessmentTables_ContainUnit(string name, string kind)
    {
        Units.ShouldContain(u => u.Name == name && u.Kind == kind);
    }

    [Fact]
    public void Units_SpacedSeedSpelling_IsAliasOfCanonicalName()
    {
        var unit = Units.Single(u => u.Aliases.Contains("宣传部 (文明办、网信办)"));

        unit.Name.ShouldBe("宣传部(文明办、网信办)");
    }

    [Fact]
    public void Units_Count_IsInSanityRange()
    {
        Units.Count.ShouldBeInRange(60, 120);
        Units.Count(u => u.Kind == "district").ShouldBe(12);
        Units.Count(u => u.Kind == "city_office").ShouldBe(4);
        Units.Count(u => u.Kind == "credit_office").ShouldBe(1);
    }

    private static List<MemberUnitRow> Load()
    {
        // The data ships embedded in Xinyong.Core; any Xinyong.Core type finds the assembly.
        using var stream = typeof(WorkingDayCalendar).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        return JsonSerializer.Deserialize<List<MemberUnitRow>>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("member-units.json is empty.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex CodePattern();

    private sealed record MemberUnitRow(string Code, string Name, string FullName, string Kind, IReadOnlyList<string> Aliases);
}
