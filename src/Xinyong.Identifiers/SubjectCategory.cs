namespace Xinyong.Identifiers;

/// <summary>The kind of credit subject an identifier stands for.</summary>
public enum SubjectCategory
{
    Unknown,
    LegalPerson,
    IndividualBusiness,
    NaturalPerson,
}
