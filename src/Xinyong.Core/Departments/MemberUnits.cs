using System.Text.Json;

namespace Xinyong.Core.Departments;

/// <summary>A member unit of the platform (成员单位): a department, district, city-management office or the credit office.</summary>
public sealed record MemberUnit(string Code, string Name, string FullName, string Kind, IReadOnlyList<string> Aliases)
{
    public const string CreditOffice = "credit_office";
}

public static class MemberUnits
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    /// <summary>The units listed in the seeds' assessment tables, shipped with the platform.</summary>
    public static IReadOnlyList<MemberUnit> LoadDefault()
    {
        using var s = typeof(MemberUnits).Assembly.GetManifestResourceStream("Xinyong.Core.Departments.member-units.json")
                      ?? throw new InvalidOperationException("member-units.json is not embedded.");
        return JsonSerializer.Deserialize<List<MemberUnit>>(s, Options) ?? [];
    }
}
