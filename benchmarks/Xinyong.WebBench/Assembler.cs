using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Xinyong.Core.Calendar;
using Xinyong.Core.Catalogue;
using Xinyong.Core.Normalization;
using Xinyong.Core.Publication;
using Xinyong.Core.Subjects;
using Xinyong.Data.Departments;
using Xinyong.Identifiers;

namespace Xinyong.WebBench;

/// <summary>
/// Places each validated row as the collection pipeline would have: the department that decided it (by authority
/// name, as the demo loader splits files), a daily submission per department and type received a few days after
/// the decision, the subject found or created by its credit code (ID number for natural persons) with the
/// identifiers <c>SubjectResolver</c> records, and sequential ids. Penalties and licences are interleaved in
/// proportion, deterministically, so the same seed gives the same ids on every database.
/// </summary>
internal sealed class Assembler(SeedOptions options, IReadOnlyList<Department> departments, WorkingDayCalendar calendar, IBulkLoader loader, DateOnly until)
{
    /// <summary>Share of enterprises with a former name: about 2 % of all subjects (enterprises are 85 %).</summary>
    private const double FormerNameShare = 0.0235;

    private static readonly string[] BrandChars =
    [
        "华", "鑫", "宏", "泰", "恒", "瑞", "盛", "达", "博", "创", "通", "汇", "源", "丰", "隆", "佳", "美", "新", "金", "富",
        "昌", "锦", "凯", "利", "祥", "和", "嘉", "信", "德", "安", "海", "天", "正", "腾", "翔", "远", "耀", "明", "星", "辉",
    ];

    private readonly Department _creditOffice = departments.First(d => d.IsCreditOffice);
    private readonly Dictionary<string, long> _departmentOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Id, SubjectKind Kind)> _subjects = new(StringComparer.Ordinal);
    private readonly HashSet<string> _identifiers = new(StringComparer.Ordinal);
    private readonly Dictionary<(long Department, string Type, int Day), Submission> _submissions = [];
    private readonly Random _rng = new(options.Seed ^ 0x5eed);
    private readonly DateTime _computedAt = DateTime.UtcNow;
    private readonly Dictionary<DateOnly, long> _visibleUntil = [];
    private long _visibleForever;

    public long Records { get; private set; }
    public long Penalties { get; private set; }
    public long RecordsOfLicence { get; private set; }
    public long Subjects { get; private set; }
    public long Identifiers { get; private set; }
    public long Names { get; private set; }
    public long FormerNames { get; private set; }
    public long Bracketed { get; private set; }

    /// <summary>Time the writing side waited for validated rows (the readers are the slower side when this is large).</summary>
    public TimeSpan Waiting { get; private set; }

    /// <summary>Time spent placing rows and handing them to the loader (database writes included).</summary>
    public TimeSpan Placing { get; private set; }

    public async Task RunAsync(RowSource[] sources, Action<long> report)
    {
        using var cts = new CancellationTokenSource();
        var readers = sources.Select(s => s.Start(cts.Token)).ToArray();
        var done = new long[sources.Length];
        var finished = new bool[sources.Length];
        try
        {
            while (!finished.All(f => f))
            {
                // The source furthest behind its share goes next: a fixed, data-independent order.
                var next = -1;
                for (var i = 0; i < sources.Length; i++)
                {
                    if (finished[i]) continue;
                    if (next < 0 || (double)done[i] / sources[i].Wanted < (double)done[next] / sources[next].Wanted) next = i;
                }
                var waitStart = Stopwatch.GetTimestamp();
                if (!await readers[next].WaitToReadAsync(cts.Token))
                {
                    finished[next] = true;
                    continue;
                }
                var chunk = await readers[next].ReadAsync(cts.Token);
                Waiting += Stopwatch.GetElapsedTime(waitStart);
                var type = sources[next].Type;
                var placeStart = Stopwatch.GetTimestamp();
                foreach (var row in chunk) Place(type, row);
                Placing += Stopwatch.GetElapsedTime(placeStart);
                done[next] += chunk.Count;
                report(Records);
            }
        }
        catch
        {
            await cts.CancelAsync();
            throw;
        }
    }

    private void Place(RecordType type, SeedRow row)
    {
        var v = row.Values;
        var authorityName = v[type.IndexOf(type.Authority.Name)]!;
        var department = DepartmentOf(authorityName);

        // Received on a working-hours morning a few days after the decision (most within the 7-working-day deadline).
        var r = _rng.Next(100);
        var lagDays = r < 70 ? _rng.Next(0, 6) : r < 92 ? _rng.Next(6, 13) : _rng.Next(13, 61);
        var receivedDay = row.DecisionDate.AddDays(lagDays);
        if (receivedDay > until) receivedDay = until;
        var submission = SubmissionOf(department, type.Code, receivedDay);
        var lag = calendar.WorkingDaysBetween(row.DecisionDate, receivedDay);
        submission.Rows++;
        if (lag > type.PublicationDeadlineWorkingDays) submission.Late++;

        var (subjectId, kind) = SubjectOf(type, row, submission);
        if (kind != row.Kind) throw new InvalidOperationException($"Subject {subjectId} is {kind} but a row names it as {row.Kind}.");

        var id = ++Records;
        if (type.Code == PublicationEngine.Penalty) Penalties++; else RecordsOfLicence++;
        var placement = new RecordPlacement(id, type.Code, department, subjectId, kind.ToCode(), submission.Id, submission.Rows + 1, lag,
            submission.ReceivedAt, v[type.IndexOf(type.DecisionNumber)]!, authorityName, v[type.IndexOf(type.Authority.Code)], v[type.IndexOf(type.Subject.Name)]!);
        loader.AddRecord(placement, row, _computedAt);

        var d = row.Publication;
        if (d.Published)
        {
            if (d.PublishUntil is { } pu) _visibleUntil[pu] = _visibleUntil.GetValueOrDefault(pu) + 1;
            else _visibleForever++;
        }
    }

    /// <summary>Records on public view on <paramref name="today"/> (all publish_from dates are in the past).</summary>
    public long VisibleOn(DateOnly today) => _visibleForever + _visibleUntil.Where(kv => kv.Key > today).Sum(kv => kv.Value);

    private long DepartmentOf(string authorityName)
    {
        if (!_departmentOf.TryGetValue(authorityName, out var id))
        {
            id = (departments.FirstOrDefault(d => d.IsNamedBy(authorityName)) ?? _creditOffice).Id;
            _departmentOf[authorityName] = id;
        }
        return id;
    }

    private Submission SubmissionOf(long department, string type, DateOnly day)
    {
        var key = (department, type, day.DayNumber);
        if (!_submissions.TryGetValue(key, out var s))
        {
            // 09:00-16:59 China time, a fixed minute per department: one file a day per department and type.
            var minutes = 9 * 60 + (int)(department * 37 % 480);
            var receivedAt = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddMinutes(minutes).AddHours(-8);
            s = new Submission(_submissions.Count + 1, department, type, day, receivedAt);
            _submissions[key] = s;
        }
        return s;
    }

    private (long Id, SubjectKind Kind) SubjectOf(RecordType type, SeedRow row, Submission submission)
    {
        var v = row.Values;
        var person = row.Kind == SubjectKind.NaturalPerson;
        var code = person ? v[type.IndexOf(type.Subject.IdNumber)]! : v[type.IndexOf(type.Subject.CreditCode)]!;
        var key = (person ? "idcard:" : "uscc:") + code;
        if (_subjects.TryGetValue(key, out var known)) return known;

        var id = ++Subjects;
        var name = v[type.IndexOf(type.Subject.Name)]!;
        var nameKey = ChineseText.NameKey(name);
        submission.SubjectsCreated++;
        if (person)
        {
            loader.AddSubject(new SubjectRow(id, row.Kind.ToCode(), null, name, nameKey, null, code[..6], submission.Id, submission.ReceivedAt));
            Identify("idcard", code, id);
        }
        else
        {
            var cc = CreditCode.Parse(code);
            loader.AddSubject(new SubjectRow(id, row.Kind.ToCode(), code, name, nameKey, v[type.IndexOf(type.Subject.LegalRepresentative)], cc.DivisionCode,
                submission.Id, submission.ReceivedAt));
            Identify("uscc", code, id);
            Identify("org", cc.OrganizationCode.Value, id);
            foreach (var (scheme, value) in LegacyClaims(type, v)) Identify(scheme, value, id);
            if (name.Contains('（', StringComparison.Ordinal)) Bracketed++;
        }
        loader.AddName(new NameRow(id, name, nameKey, true, submission.ReceivedAt));
        Names++;
        if (row.Kind == SubjectKind.LegalPerson && RowRewriter.Bucket(code, 2) < FormerNameShare && FormerName(name) is { } former
            && ChineseText.NameKey(former) is var formerKey && formerKey != nameKey)
        {
            loader.AddName(new NameRow(id, former, formerKey, false, submission.ReceivedAt.AddDays(-365 * (1 + _rng.Next(6)))));
            Names++;
            FormerNames++;
        }
        _subjects[key] = (id, row.Kind);
        return (id, row.Kind);
    }

    private void Identify(string scheme, string value, long subjectId)
    {
        if (!_identifiers.Add(string.Concat(scheme, ":", value))) return;
        loader.AddIdentifier(scheme, value, subjectId);
        Identifiers++;
    }

    /// <summary>Legacy codes of a row, as SubjectResolver.LegacyClaims reads them.</summary>
    private static IEnumerable<(string Scheme, string Value)> LegacyClaims(RecordType type, string?[] v)
    {
        foreach (var (field, scheme) in type.Subject.LegacyCodes)
        {
            var value = v[type.IndexOf(field)];
            if (value is null) continue;
            if (scheme == "tax")
            {
                var t = Identifier.Normalize(value);
                if (t.Length == 15 && OrganizationCode.TryParse(t[6..], out var org)) yield return ("org", org.Value);
                else if (t.Length == 18 && CreditCode.TryParse(t, out var cc)) yield return ("org", cc.OrganizationCode.Value);
                else yield return ("tax", t);
                continue;
            }
            yield return (scheme, value);
        }
    }

    /// <summary>The name before a rename: the two characters of the trade name after the place replaced.</summary>
    private string? FormerName(string name)
    {
        var start = name.StartsWith("昆山", StringComparison.Ordinal) || name.StartsWith("苏州", StringComparison.Ordinal) || name.StartsWith("江苏", StringComparison.Ordinal) ? 2 : 0;
        if (name.Length < start + 6) return null;
        return string.Concat(name.AsSpan(0, start), BrandChars[_rng.Next(BrandChars.Length)], BrandChars[_rng.Next(BrandChars.Length)], name.AsSpan(start + 2));
    }

    public IReadOnlyList<SubmissionRow> Submissions() =>
        _submissions.Values.OrderBy(s => s.Id).Select(s =>
        {
            var fileName = string.Create(CultureInfo.InvariantCulture, $"{s.Type}-{s.Department}-{s.Day:yyyyMMdd}.csv");
            var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fileName)));
            return new SubmissionRow(s.Id, s.Department, s.Type, fileName, sha, s.Rows * 450, s.Rows, s.Late, s.SubjectsCreated, s.ReceivedAt);
        }).ToList();

    private sealed class Submission(long id, long department, string type, DateOnly day, DateTime receivedAt)
    {
        public long Id { get; } = id;
        public long Department { get; } = department;
        public string Type { get; } = type;
        public DateOnly Day { get; } = day;
        public DateTime ReceivedAt { get; } = receivedAt;
        public long Rows { get; set; }
        public long Late { get; set; }
        public long SubjectsCreated { get; set; }
    }
}
