namespace Xinyong.Core.Subjects;

/// <summary>The kinds of credit subject the law distinguishes (相对人类别).</summary>
public enum SubjectKind
{
    /// <summary>Enterprises, public institutions, social organisations, government bodies (法人及非法人组织).</summary>
    LegalPerson = 1,

    /// <summary>Individual businesses (个体工商户).</summary>
    IndividualBusiness = 2,

    /// <summary>Natural persons (自然人): personal data is masked on every public surface.</summary>
    NaturalPerson = 3,
}

public static class SubjectKinds
{
    public static string ToCode(this SubjectKind kind) => kind switch
    {
        SubjectKind.LegalPerson => "legal_person",
        SubjectKind.IndividualBusiness => "individual_business",
        SubjectKind.NaturalPerson => "natural_person",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static SubjectKind FromCode(string code) => code switch
    {
        "legal_person" => SubjectKind.LegalPerson,
        "individual_business" => SubjectKind.IndividualBusiness,
        "natural_person" => SubjectKind.NaturalPerson,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown subject kind."),
    };

    /// <summary>Maps the national 相对人类别 wording (after enum canonicalisation).</summary>
    public static SubjectKind FromNationalCategory(string? category) => category switch
    {
        "自然人" => SubjectKind.NaturalPerson,
        "个体工商户" => SubjectKind.IndividualBusiness,
        _ => SubjectKind.LegalPerson,
    };

    public static string NameZh(this SubjectKind kind) => kind switch
    {
        SubjectKind.LegalPerson => "法人及非法人组织",
        SubjectKind.IndividualBusiness => "个体工商户",
        SubjectKind.NaturalPerson => "自然人",
        _ => "",
    };
}
