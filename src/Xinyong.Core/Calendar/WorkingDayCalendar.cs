using System.Globalization;
using System.Text.Json;

namespace Xinyong.Core.Calendar;

/// <summary>
/// The PRC official working-day calendar: public holidays and adjusted working weekends (调休上班)
/// as published each year by the State Council General Office, loaded from data.
/// </summary>
/// <remarks>
/// Dates in years outside <see cref="CoveredYears"/> fall back to a plain Monday-to-Friday week,
/// so deadlines far in the past or beyond the last published year are still computable, only
/// without holidays. Add the new year to <c>cn-calendar.json</c> when the notice is published.
/// Instances are immutable and safe to share between threads.
/// </remarks>
public sealed class WorkingDayCalendar
{
    /// <summary>Manifest name of the calendar data embedded in Xinyong.Core.</summary>
    public const string DefaultResourceName = "Xinyong.Core.Calendar.cn-calendar.json";

    private static readonly Lazy<WorkingDayCalendar> Default = new(LoadEmbedded);

    // DayNumber of 1 January of the first covered year.
    private readonly int _start;
    private readonly bool[] _working;
    // _adjustment[i]: working days in [_start, _start + i] minus Mon-Fri days in the same span.
    // The working-day rank of any date is then MondayToFridayRank + adjustment, which makes
    // WorkingDaysBetween two array reads regardless of the span.
    private readonly int[] _adjustment;
    private readonly Dictionary<DateOnly, string> _holidayNames;

    private WorkingDayCalendar(int firstYear, int lastYear, Dictionary<DateOnly, string> holidays, HashSet<DateOnly> workdays)
    {
        CoveredYears = (firstYear, lastYear);
        _start = new DateOnly(firstYear, 1, 1).DayNumber;
        var end = new DateOnly(lastYear, 12, 31).DayNumber;
        _working = new bool[end - _start + 1];
        _adjustment = new int[_working.Length];
        _holidayNames = holidays;

        var adjustment = 0;
        for (var i = 0; i < _working.Length; i++)
        {
            var date = DateOnly.FromDayNumber(_start + i);
            var weekday = IsMondayToFriday(_start + i);
            var working = workdays.Contains(date) || (weekday && !holidays.ContainsKey(date));
            _working[i] = working;
            adjustment += (working ? 1 : 0) - (weekday ? 1 : 0);
            _adjustment[i] = adjustment;
        }
    }

    /// <summary>First and last calendar year for which holidays and adjusted working days are known.</summary>
    public (int First, int Last) CoveredYears { get; }

    /// <summary>The calendar shipped with Xinyong.Core (loaded once, then shared).</summary>
    public static WorkingDayCalendar LoadDefault() => Default.Value;

    /// <summary>
    /// Reads a calendar in the <c>cn-calendar.json</c> format:
    /// <c>{"years":{"2026":{"holidays":{"2026-01-01":"元旦"},"workdays":{"2026-01-04":"元旦调休"}}}}</c>.
    /// The years must be consecutive.
    /// </summary>
    /// <exception cref="InvalidDataException">The data is malformed or contradicts itself.</exception>
    public static WorkingDayCalendar FromJson(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = ParseDocument(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("years", out var years)
            || years.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("Calendar data must be an object with a \"years\" object.");
        }

        var holidays = new Dictionary<DateOnly, string>();
        var workdays = new HashSet<DateOnly>();
        var yearNumbers = new List<int>();
        foreach (var year in years.EnumerateObject())
        {
            if (!int.TryParse(year.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var yearNumber)
                || yearNumber < 1 || yearNumber > 9999)
            {
                throw new InvalidDataException($"Calendar year \"{year.Name}\" is not a year.");
            }

            yearNumbers.Add(yearNumber);
            foreach (var (date, name) in ReadDates(year.Value, "holidays", yearNumber))
            {
                if (!holidays.TryAdd(date, name))
                {
                    throw new InvalidDataException($"Holiday {date:yyyy-MM-dd} is listed twice.");
                }
            }

            foreach (var (date, _) in ReadDates(year.Value, "workdays", yearNumber))
            {
                if (IsMondayToFriday(date.DayNumber))
                {
                    throw new InvalidDataException($"Adjusted working day {date:yyyy-MM-dd} is not a weekend day.");
                }

                if (holidays.ContainsKey(date) || !workdays.Add(date))
                {
                    throw new InvalidDataException($"Adjusted working day {date:yyyy-MM-dd} is listed twice or is also a holiday.");
                }
            }
        }

        if (yearNumbers.Count == 0)
        {
            throw new InvalidDataException("Calendar data covers no year.");
        }

        var first = yearNumbers.Min();
        var last = yearNumbers.Max();
        if (last - first + 1 != yearNumbers.Count)
        {
            throw new InvalidDataException($"Calendar years {first}..{last} have gaps or duplicates.");
        }

        return new WorkingDayCalendar(first, last, holidays, workdays);
    }

    /// <summary>
    /// True for a Monday-to-Friday day that is not a public holiday, and for a weekend day that is an
    /// adjusted working day.
    /// </summary>
    public bool IsWorkingDay(DateOnly date)
    {
        var index = date.DayNumber - _start;
        return (uint)index < (uint)_working.Length ? _working[index] : IsMondayToFriday(date.DayNumber);
    }

    /// <summary>The festival name (e.g. 国庆节) if the date is a public holiday, otherwise null.</summary>
    public string? HolidayName(DateOnly date) => _holidayNames.GetValueOrDefault(date);

    /// <summary>
    /// Number of working days after <paramref name="from"/> up to and including <paramref name="to"/>:
    /// something decided on day D and done on the next working day took 1 working day.
    /// 0 when <paramref name="to"/> is not after <paramref name="from"/>. Constant time.
    /// </summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to) =>
        to > from ? checked((int)(Rank(to.DayNumber) - Rank(from.DayNumber))) : 0;

    /// <summary>
    /// The date that is <paramref name="days"/> working days after <paramref name="from"/>; that date is
    /// always a working day, except for 0 which returns <paramref name="from"/> itself.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly from, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        if (days == 0)
        {
            return from;
        }

        var target = Rank(from.DayNumber) + days;
        // Working days are well over half of any long span and no run of days off comes near 32
        // (the longest, Spring Festival 2020, was 10), so the answer lies within 2 * days + 32 days.
        var low = (long)from.DayNumber + 1;
        var high = Math.Min(from.DayNumber + (2L * days) + 32, DateOnly.MaxValue.DayNumber);
        if (Rank((int)high) < target)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, "The result is past the last representable date.");
        }

        // Smallest day whose rank reaches the target; ranks only grow, by one on each working day.
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (Rank((int)middle) >= target)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return DateOnly.FromDayNumber((int)low);
    }

    // Number of working days from DayNumber 0 up to and including dayNumber, shifted by a constant
    // that cancels out in differences.
    private long Rank(int dayNumber)
    {
        var index = dayNumber - _start;
        var adjustment = index < 0 ? 0 : _adjustment[Math.Min(index, _adjustment.Length - 1)];
        return MondayToFridayThrough(dayNumber) + adjustment;
    }

    // DayNumber 0 (0001-01-01) is a Monday, so DayNumber % 7 gives 0 = Monday .. 6 = Sunday.
    private static bool IsMondayToFriday(int dayNumber) => dayNumber % 7 < 5;

    private static long MondayToFridayThrough(int dayNumber)
    {
        var days = (long)dayNumber + 1;
        return (days / 7 * 5) + Math.Min(days % 7, 5);
    }

    private static IEnumerable<(DateOnly Date, string Name)> ReadDates(JsonElement year, string property, int yearNumber)
    {
        if (year.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"Calendar year {yearNumber} must be an object.");
        }

        if (!year.TryGetProperty(property, out var dates))
        {
            yield break;
        }

        if (dates.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"\"{property}\" of {yearNumber} must be an object of date to name.");
        }

        foreach (var entry in dates.EnumerateObject())
        {
            if (!DateOnly.TryParseExact(entry.Name, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || date.Year != yearNumber)
            {
                throw new InvalidDataException($"\"{entry.Name}\" in \"{property}\" of {yearNumber} is not a date of that year.");
            }

            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"The name of {entry.Name} in \"{property}\" must be a string.");
            }

            yield return (date, entry.Value.GetString()!);
        }
    }

    private static JsonDocument ParseDocument(Stream json)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException("Calendar data is not valid JSON.", exception);
        }
    }

    private static WorkingDayCalendar LoadEmbedded()
    {
        using var stream = typeof(WorkingDayCalendar).Assembly.GetManifestResourceStream(DefaultResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {DefaultResourceName} is missing.");
        return FromJson(stream);
    }
}
