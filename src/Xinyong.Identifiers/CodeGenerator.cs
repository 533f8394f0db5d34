namespace Xinyong.Identifiers;

/// <summary>
/// Makes valid identifiers from a <see cref="Random"/>: the same seed gives the same codes. For property
/// tests and demo data only; generated codes may collide with real ones.
/// </summary>
public static class CodeGenerator
{
    // Bodies drawn from the credit code alphabet (no I, O, Z, S, V) can be embedded in a credit code.
    private const string BodyChars = CreditCode.Alphabet;
    private const string Digits = "0123456789";

    /// <summary>
    /// An organization code whose body uses only credit code characters, so it can be embedded in a credit
    /// code. Half are all-digit (pre-2015 style), half "MA" + 6 characters (the style issued since 2015).
    /// </summary>
    public static OrganizationCode NextOrganizationCode(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Span<char> body = stackalloc char[8];
        if (rng.Next(2) == 0)
        {
            for (var i = 0; i < 8; i++)
            {
                body[i] = Digits[rng.Next(Digits.Length)];
            }
        }
        else
        {
            body[0] = 'M';
            body[1] = 'A';
            for (var i = 2; i < 8; i++)
            {
                body[i] = BodyChars[rng.Next(BodyChars.Length)];
            }
        }

        return OrganizationCode.Create(new string(body));
    }

    public static CreditCode NextCreditCode(Random rng, string divisionCode, char department = '9', char category = '1')
    {
        ArgumentNullException.ThrowIfNull(rng);
        RequireDivision(divisionCode);
        return CreditCode.Create(department, category, divisionCode, NextOrganizationCode(rng));
    }

    public static RegistrationNumber NextRegistrationNumber(Random rng, string divisionCode)
    {
        ArgumentNullException.ThrowIfNull(rng);
        RequireDivision(divisionCode);
        Span<char> first14 = stackalloc char[14];
        divisionCode.AsSpan().CopyTo(first14);

        // Position 7 is 0-3 for domestic enterprises in GS 15-2006.
        first14[6] = (char)('0' + rng.Next(4));
        for (var i = 7; i < 14; i++)
        {
            first14[i] = (char)('0' + rng.Next(10));
        }

        return RegistrationNumber.Create(new string(first14));
    }

    public static ResidentId NextResidentId(Random rng, string divisionCode, DateOnly minBirth, DateOnly maxBirth)
    {
        ArgumentNullException.ThrowIfNull(rng);
        RequireDivision(divisionCode);
        if (minBirth < ResidentId.EarliestBirthDate)
        {
            minBirth = ResidentId.EarliestBirthDate;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxBirth, minBirth);
        var birth = minBirth.AddDays(rng.Next(maxBirth.DayNumber - minBirth.DayNumber + 1));
        return ResidentId.Create(divisionCode, birth, rng.Next(1000));
    }

    private static void RequireDivision(string divisionCode)
    {
        ArgumentNullException.ThrowIfNull(divisionCode);
        if (divisionCode.Length != 6)
        {
            throw new ArgumentException("A division code has 6 digits.", nameof(divisionCode));
        }

        foreach (var c in divisionCode)
        {
            if (!char.IsAsciiDigit(c))
            {
                throw new ArgumentException("A division code has 6 digits.", nameof(divisionCode));
            }
        }
    }
}
