using Xinyong.Identifiers;

namespace Xinyong.Core.Demo;

/// <summary>
/// The invented subjects, held as parallel arrays so that every row about a subject repeats the same name and
/// codes. About 85% enterprises (9/1), 12% individual businesses (9/2) and 3% natural persons.
/// </summary>
internal sealed class DemoSubjects
{
    public const byte Enterprise = 0;
    public const byte Individual = 1;
    public const byte Person = 2;

    private const string Kunshan = "320583";

    private static readonly DateOnly RepresentativeBornFrom = new(1955, 1, 1);
    private static readonly DateOnly RepresentativeBornTo = new(2000, 12, 31);
    private static readonly DateOnly PersonBornFrom = new(1950, 1, 1);
    private static readonly DateOnly PersonBornTo = new(2005, 12, 31);

    private readonly int[] _business;
    private readonly int _frequent;

    private DemoSubjects(int count)
    {
        Kind = new byte[count];
        Name = new string[count];
        Code = new string[count];
        Registration = new string?[count];
        WithOrganizationCode = new bool[count];
        Representative = new string?[count];
        RepresentativeId = new string?[count];
        _business = new int[count];
        _frequent = Math.Max(1, count / 20);
    }

    public byte[] Kind { get; }

    public string[] Name { get; }

    /// <summary>Credit code, or the resident ID number of a natural person.</summary>
    public string[] Code { get; }

    /// <summary>GS 15 registration number of subjects registered before the credit code.</summary>
    public string?[] Registration { get; }

    /// <summary>Whether the rows also give the organization code embedded in the credit code (pos 9-17).</summary>
    public bool[] WithOrganizationCode { get; }

    /// <summary>Legal representative, or the operator of an individual business.</summary>
    public string?[] Representative { get; }

    public string?[] RepresentativeId { get; }

    private int BusinessCount { get; set; }

    /// <summary>Any subject; a quarter of the picks go to the first 5%, the "frequent" subjects.</summary>
    public int PickAny(Random rng) => rng.Next(4) == 0 ? rng.Next(_frequent) : rng.Next(Kind.Length);

    /// <summary>An enterprise or individual business (falls back to any subject if there is none).</summary>
    public int PickBusiness(Random rng) => BusinessCount == 0 ? PickAny(rng) : _business[rng.Next(BusinessCount)];

    public static DemoSubjects Create(int count, int seed)
    {
        var rng = new Random(seed);
        var subjects = new DemoSubjects(count);
        var names = new HashSet<string>(count, StringComparer.Ordinal);
        var codes = new HashSet<string>(count, StringComparer.Ordinal);
        var otherSuzhou = new List<string>();
        foreach (var code in DivisionCodes.KunshanAndSuzhou)
        {
            if (code != Kunshan)
            {
                otherSuzhou.Add(code);
            }
        }

        var origins = new List<string>();
        foreach (var code in DemoNames.OriginDivisions)
        {
            if (DivisionCodes.IsKnown(code))
            {
                origins.Add(code);
            }
        }

        var context = new Context(rng, names, codes, otherSuzhou, origins);
        for (var i = 0; i < count; i++)
        {
            var r = rng.Next(100);
            var kind = r < 85 ? Enterprise : r < 97 ? Individual : Person;
            subjects.Kind[i] = kind;
            switch (kind)
            {
                case Enterprise:
                    subjects.AddEnterprise(i, context);
                    break;
                case Individual:
                    subjects.AddIndividual(i, context);
                    break;
                default:
                    subjects.AddPerson(i, context);
                    break;
            }

            if (kind != Person)
            {
                subjects._business[subjects.BusinessCount++] = i;
            }
        }

        return subjects;
    }

    private void AddEnterprise(int i, Context c)
    {
        var division = c.RegistrationDivision();
        var prefix = division == Kunshan ? "昆山" : c.Rng.Next(4) == 0 ? "江苏" : "苏州";
        string name;
        do
        {
            var brand = DemoNames.Brand(c.Rng, c.Rng.Next(100) < 70 ? 2 : 3);
            var industry = DemoNames.Industries[c.Rng.Next(DemoNames.Industries.Length)];
            name = string.Concat(prefix, brand, industry, DemoNames.CompanyForms[c.Rng.Next(DemoNames.CompanyForms.Length)]);
        }
        while (!c.Names.Add(name));

        Name[i] = name;
        Code[i] = c.UniqueCreditCode(division, '1');
        Representative[i] = DemoNames.PersonName(c.Rng);
        RepresentativeId[i] = c.Rng.Next(2) == 0 ? c.UniqueResidentId(RepresentativeBornFrom, RepresentativeBornTo) : null;
        WithOrganizationCode[i] = c.Rng.Next(100) < 30;
        Registration[i] = c.Rng.Next(100) < 25 ? c.UniqueRegistration(division) : null;
    }

    private void AddIndividual(int i, Context c)
    {
        var division = c.RegistrationDivision();
        var area = AreaName(division, c.Rng);
        var operatorName = DemoNames.PersonName(c.Rng);
        string name;
        do
        {
            var r = c.Rng.Next(100);
            var brand = r < 40
                ? operatorName
                : r < 70
                    ? "老" + DemoNames.Surnames[DemoNames.Skewed(c.Rng, DemoNames.Surnames.Length)]
                    : DemoNames.Brand(c.Rng, 2);
            name = string.Concat(area, brand, DemoNames.ShopTypes[c.Rng.Next(DemoNames.ShopTypes.Length)]);
        }
        while (!c.Names.Add(name));

        Name[i] = name;
        Code[i] = c.UniqueCreditCode(division, '2');
        Representative[i] = operatorName;
        RepresentativeId[i] = c.Rng.Next(2) == 0 ? c.UniqueResidentId(RepresentativeBornFrom, RepresentativeBornTo) : null;
        Registration[i] = c.Rng.Next(100) < 40 ? c.UniqueRegistration(division) : null;
    }

    private void AddPerson(int i, Context c)
    {
        Name[i] = DemoNames.PersonName(c.Rng);
        Code[i] = c.UniqueResidentId(PersonBornFrom, PersonBornTo);
    }

    /// <summary>"昆山市玉山镇" for Kunshan, "常熟市" for the other county-level cities, "苏州市吴中区" for districts.</summary>
    private static string AreaName(string division, Random rng)
    {
        if (division == Kunshan)
        {
            return "昆山市" + DemoNames.KunshanTowns[rng.Next(DemoNames.KunshanTowns.Length)];
        }

        if (!DivisionCodes.TryGetName(division, out var fullName))
        {
            return "苏州市";
        }

        var local = fullName.StartsWith("江苏省", StringComparison.Ordinal) ? fullName[3..] : fullName;
        return local.Length > 3 && local.StartsWith("苏州市", StringComparison.Ordinal) && local.EndsWith('市') ? local[3..] : local;
    }

    private sealed class Context(Random rng, HashSet<string> names, HashSet<string> codes, List<string> otherSuzhou, List<string> origins)
    {
        public Random Rng { get; } = rng;

        public HashSet<string> Names { get; } = names;

        /// <summary>Mostly Kunshan, the rest spread over Suzhou.</summary>
        public string RegistrationDivision() => Rng.Next(100) < 80 ? Kunshan : otherSuzhou[Rng.Next(otherSuzhou.Count)];

        public string UniqueCreditCode(string division, char category)
        {
            string code;
            do
            {
                code = CodeGenerator.NextCreditCode(Rng, division, '9', category).Value;
            }
            // The organisation code inside a credit code identifies the subject too: it must be unique as well.
            while (codes.Contains(code) || !codes.Add("org:" + code[8..17]));
            codes.Add(code);

            return code;
        }

        /// <summary>Born in Kunshan, elsewhere in Suzhou, or somewhere people moved to Kunshan from.</summary>
        public string UniqueRegistration(string division)
        {
            string number;
            do
            {
                number = CodeGenerator.NextRegistrationNumber(Rng, division).Value;
            }
            while (!codes.Add(number));

            return number;
        }

        public string UniqueResidentId(DateOnly bornFrom, DateOnly bornTo)
        {
            string id;
            do
            {
                var r = Rng.Next(100);
                var division = r < 55 ? Kunshan : r < 70 || origins.Count == 0 ? otherSuzhou[Rng.Next(otherSuzhou.Count)] : origins[Rng.Next(origins.Count)];
                id = CodeGenerator.NextResidentId(Rng, division, bornFrom, bornTo).Value;
            }
            while (!codes.Add(id));

            return id;
        }
    }
}
