using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Xinyong.Core.Commitments;
using Xinyong.Core.Publication;
using Xinyong.Core.Subjects;
using Xinyong.Data.Commitments;
using Xinyong.Data.Database;
using Xinyong.Data.Lists;
using Xinyong.Identifiers;

namespace Xinyong.Data.Publication;

/// <summary>A record as the public may see it: personal data removed or masked, with its publicity dates and basis.</summary>
public sealed record PublicRecord
{
    public long RecordId { get; init; }
    public string RecordType { get; init; } = "";
    public long SubjectId { get; init; }
    public string SubjectName { get; init; } = "";
    public string SubjectKind { get; init; } = "";
    public string? Uscc { get; init; }
    public string? LegalRepresentative { get; init; }
    public string DecisionNumber { get; init; } = "";
    public DateOnly DecisionDate { get; init; }
    public string AuthorityName { get; init; } = "";
    public long DepartmentId { get; init; }
    public string? Kinds { get; init; }
    public string? Content { get; init; }
    public string? Conduct { get; init; }
    public string? Facts { get; init; }
    public string? Basis { get; init; }
    public decimal? FineWan { get; init; }
    public string? DocumentName { get; init; }
    public string? LicenceName { get; init; }
    public string? LicenceNumber { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public string? Grade { get; init; }
    public string? Sector { get; init; }
    public string RuleSet { get; init; } = "";
    public DateOnly PublishFrom { get; init; }
    public DateOnly? PublishUntil { get; init; }
    public DateOnly? RepairFrom { get; init; }

    /// <summary>An objection about the record is being handled (shown as 异议中 wherever the record is shown).</summary>
    public bool UnderObjection { get; init; }
}

public sealed record PublicCode(string Scheme, string Value);

/// <summary>What a subject's public page shows, and counts of what it does not show and why.</summary>
public sealed record PublicSubject
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Uscc { get; init; }
    public string? LegalRepresentative { get; init; }
    public string? DivisionCode { get; init; }
    public string? DivisionName { get; init; }
    public IReadOnlyList<string> FormerNames { get; init; } = [];
    public IReadOnlyList<PublicCode> LegacyCodes { get; init; } = [];
    public IReadOnlyList<PublicRecord> Licences { get; init; } = [];
    public IReadOnlyList<PublicRecord> Penalties { get; init; } = [];
    /// <summary>Confirmed breaches of credit commitments (record type commitment-breach) on public view.</summary>
    public IReadOnlyList<PublicRecord> CommitmentBreaches { get; init; } = [];
    /// <summary>Records whose publicity period has ended (or ended early by repair / withdrawal).</summary>
    public int Expired { get; init; }
    /// <summary>Records the rules do not publish at all (e.g. natural persons' penalties, minor-grade penalties).</summary>
    public int Withheld { get; init; }
    public bool IsNaturalPerson => Kind == "natural_person";
}

/// <summary>The public subject page's data: the subject with its records, its commitments on view, its list entries in force.</summary>
public sealed record PublicSubjectPage(PublicSubject Subject, IReadOnlyList<PublicCommitment> Commitments, IReadOnlyList<ActiveListEntry> ListEntries);

/// <summary>What the rules decided for one record, as staff see it (no visibility filter).</summary>
public sealed record PublicationState
{
    public long RecordId { get; init; }
    public bool Published { get; init; }
    public string? WithheldReason { get; init; }
    public string? Grade { get; init; }
    public string? GradeSource { get; init; }
    public string? Sector { get; init; }
    public string RuleSet { get; init; } = "";
    public DateOnly PublishFrom { get; init; }
    public DateOnly? RepairFrom { get; init; }
    public DateOnly? PublishUntil { get; init; }
    public DateOnly? EndedOn { get; init; }
    public string? EndedReason { get; init; }

    public bool VisibleOn(DateOnly today) => Published && EndedOn is null && PublishFrom <= today && (PublishUntil is null || today < PublishUntil);
}

public sealed record ColumnQuery(string RecordType, DateOnly Today, long? DepartmentId = null, DateOnly? From = null, DateOnly? To = null, string? Kind = null,
    int Page = 1, int PageSize = 20);

public sealed record ColumnPage(IReadOnlyList<PublicRecord> Items, int Page, int PageSize, bool HasNext);

public sealed record PublicFigures(long Subjects, long PublicPenalties, long PublicLicences, long PublishedToday, long DepartmentsReporting);

/// <summary>
/// Every public read of records goes through here, and every query here applies the same visibility rule: published by
/// the rules, not ended early, and today inside [publish_from, publish_until). Nothing needs to run for a record to
/// disappear on the day its period ends.
/// </summary>
public sealed partial class PublicRecords(XinyongDatabase db)
{
    public const string Visible =
        "p.published = TRUE AND p.ended_on IS NULL AND p.publish_from <= @today AND (p.publish_until IS NULL OR p.publish_until > @today)";

    private const string RecordColumns = """
        p.record_id AS RecordId, p.record_type AS RecordType, p.subject_id AS SubjectId, p.department_id AS DepartmentId,
        p.decision_date AS DecisionDate, p.kinds AS Kinds, p.grade AS Grade, p.sector AS Sector, p.rule_set AS RuleSet,
        p.publish_from AS PublishFrom, p.publish_until AS PublishUntil, p.repair_from AS RepairFrom,
        r.decision_number AS DecisionNumber, r.authority_name AS AuthorityName, r.subject_name AS SubjectName, r.data AS Data,
        s.kind AS SubjectKind, s.uscc AS Uscc,
        CASE WHEN EXISTS (SELECT 1 FROM objections o WHERE o.target_kind = 'record' AND o.target_id = p.record_id AND o.status <> 'decided') THEN 1 ELSE 0 END AS UnderObjection
        """;

    private const string RecordJoins = "FROM publications p JOIN records r ON r.id = p.record_id JOIN subjects s ON s.id = p.subject_id";

    public async Task<PublicSubject?> SubjectAsync(long subjectId, DateOnly today, CancellationToken ct = default)
    {
        // One command, five result sets: one round trip to PostgreSQL, one statement batch for SQLite, prepared once.
        await using var read = await db.ReadRepeatedAsync(SubjectSql, [("@subjectId", subjectId), ("@today", today)], ct);
        return await ReadSubjectAsync(read, ct);
    }

    /// <summary>
    /// Everything the subject's public page shows, in one command: <see cref="SubjectAsync"/>, the subject's
    /// commitments on public view (<see cref="PublicCommitments.ForSubjectAsync"/>) and its list entries in force
    /// (<see cref="ListEntries.ActiveEntriesAsync(IReadOnlyCollection{long}, DateOnly, CancellationToken)"/>), by the
    /// same queries. Three round trips became one: on PostgreSQL each costs a wake-up of the server process.
    /// </summary>
    public async Task<PublicSubjectPage?> SubjectPageAsync(long subjectId, DateOnly today, CancellationToken ct = default)
    {
        await using var read = await db.ReadRepeatedAsync(
            SubjectPageSql, [("@subjectId", subjectId), ("@today", today), ("@on", today), ("@registered", CommitmentStatus.Registered)], ct);
        var subject = await ReadSubjectAsync(read, ct);
        if (subject is null) return null;
        var commitments = (await read.ReadSetAsync<PublicCommitments.Row>(ct)).Select(PublicCommitments.ToPublic).ToList();
        var entries = await read.ReadSetAsync<ActiveListEntry>(ct);
        return new PublicSubjectPage(subject, commitments, entries);
    }

    /// <summary>
    /// The statements of <see cref="SubjectPageAsync"/>, in the order it reads them, over <c>@subjectId</c>, <c>@today</c>
    /// and <c>@on</c> (the same date) and <c>@registered</c> (<see cref="CommitmentStatus.Registered"/>). Public so that
    /// the website benchmark can time these reads alone (benchmarks/Xinyong.WebBench, verb <c>floor</c>).
    /// </summary>
    public const string SubjectPageSql = $"{SubjectSql};\n{PublicCommitments.ForSubjectSql};\n{ListEntries.ActiveForSubjectSql}";

    private const string SubjectSql = $"""
        SELECT id, kind, uscc, name, legal_representative, division_code FROM subjects WHERE id = @subjectId;
        SELECT name FROM subject_names WHERE subject_id = @subjectId AND is_current = FALSE ORDER BY first_seen DESC;
        SELECT scheme, value FROM subject_identifiers WHERE subject_id = @subjectId AND scheme IN ('org', 'reg', 'tax', 'inst', 'soc') ORDER BY scheme;
        SELECT {RecordColumns} {RecordJoins} WHERE p.subject_id = @subjectId AND {Visible} ORDER BY p.decision_date DESC, p.record_id DESC LIMIT 500;
        SELECT COALESCE(SUM(CASE WHEN p.published = TRUE AND NOT ({Visible}) THEN 1 ELSE 0 END), 0),
               COALESCE(SUM(CASE WHEN p.published = FALSE THEN 1 ELSE 0 END), 0)
        FROM publications p WHERE p.subject_id = @subjectId
        """;

    /// <summary>Reads the five result sets of <see cref="SubjectSql"/>; null (the rest left unread) when there is no such subject.</summary>
    private static async Task<PublicSubject?> ReadSubjectAsync(RepeatedRead read, CancellationToken ct)
    {
        var s = (await read.ReadSetAsync<SubjectRow>(ct)).SingleOrDefault();
        if (s is null) return null;
        var natural = s.Kind == "natural_person";
        var formerNames = await read.ReadSetAsync<string>(ct);
        var codes = (await read.ReadSetAsync<(string Scheme, string Value)>(ct)).Select(c => new PublicCode(c.Scheme, c.Value)).ToList();
        var names = natural ? [] : formerNames;
        var legacy = natural ? [] : codes;
        var rows = (await read.ReadSetAsync<RecordRow>(ct)).Select(ToPublic).ToList();
        var hidden = (await read.ReadSetAsync<(long Expired, long Withheld)>(ct)).Single();
        return new PublicSubject
        {
            Id = s.Id,
            Kind = s.Kind,
            Name = natural ? Masking.MaskPersonName(s.Name) : s.Name,
            Uscc = natural ? null : s.Uscc,
            LegalRepresentative = s.Kind == "legal_person" ? s.LegalRepresentative : null,
            DivisionCode = s.DivisionCode,
            DivisionName = s.DivisionCode is { } d && DivisionCodes.TryGetName(d, out var dn) ? dn : null,
            FormerNames = names,
            LegacyCodes = legacy,
            Licences = rows.Where(r => r.RecordType == PublicationEngine.Licence).ToList(),
            Penalties = rows.Where(r => r.RecordType == PublicationEngine.Penalty).ToList(),
            CommitmentBreaches = rows.Where(r => r.RecordType == PublicationEngine.CommitmentBreach).ToList(),
            Expired = (int)hidden.Expired,
            Withheld = (int)hidden.Withheld,
        };
    }

    /// <summary>A page of a 双公示 column, newest decisions first.</summary>
    public async Task<ColumnPage> ColumnAsync(ColumnQuery q, CancellationToken ct = default)
    {
        var (where, args) = Filter(q);
        var pageSize = Math.Clamp(q.PageSize, 1, 100);
        var page = Math.Clamp(q.Page, 1, 500);
        args.Add("take", pageSize + 1);
        args.Add("skip", (page - 1) * pageSize);
        await using var conn = await db.OpenAsync(ct);
        var rows = (await conn.QueryAsync<RecordRow>(
            $"SELECT {RecordColumns} {RecordJoins} WHERE {where} ORDER BY p.decision_date DESC, p.record_id DESC LIMIT @take OFFSET @skip", args)).AsList();
        var items = rows.Take(pageSize).Select(ToPublic).ToList();
        return new ColumnPage(items, page, pageSize, rows.Count > pageSize);
    }

    /// <summary>Every record of a column currently public, newest first, streamed (for CSV downloads).</summary>
    public async IAsyncEnumerable<PublicRecord> StreamAsync(ColumnQuery q, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var (where, args) = Filter(q);
        await using var conn = await db.OpenAsync(ct);
        await using var reader = await conn.ExecuteReaderAsync(
            $"SELECT {RecordColumns} {RecordJoins} WHERE {where} ORDER BY p.decision_date DESC, p.record_id DESC", args);
        var parser = reader.GetRowParser<RecordRow>();
        while (await reader.ReadAsync(ct))
        {
            yield return ToPublic(parser(reader));
        }
    }

    public async Task<PublicRecord?> RecordAsync(long recordId, DateOnly today, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<RecordRow>(
            $"SELECT {RecordColumns} {RecordJoins} WHERE p.record_id = @recordId AND {Visible}", new { recordId, today });
        return row is null ? null : ToPublic(row);
    }

    /// <summary>The publication state of a subject's records, for the staff workbench.</summary>
    public async Task<IReadOnlyDictionary<long, PublicationState>> StatesForSubjectAsync(long subjectId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<PublicationState>("""
            SELECT record_id, published, withheld_reason, grade, grade_source, sector, rule_set, publish_from, repair_from, publish_until, ended_on, ended_reason
            FROM publications WHERE subject_id = @subjectId
            """, new { subjectId })).ToDictionary(p => p.RecordId);
    }

    public async Task<PublicFigures> FiguresAsync(DateOnly today, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var subjects = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM subjects WHERE kind <> 'natural_person'");
        var counts = (await conn.QueryAsync<(string Type, long Count)>(
            $"SELECT p.record_type, COUNT(*) FROM publications p WHERE {Visible} GROUP BY p.record_type", new { today })).ToDictionary(x => x.Type, x => x.Count);
        var recent = await conn.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM publications p WHERE {Visible} AND p.decision_date >= @since", new { today, since = today.AddDays(-7) });
        var departments = await conn.ExecuteScalarAsync<long>(
            $"SELECT COUNT(DISTINCT p.department_id) FROM publications p WHERE {Visible}", new { today });
        return new PublicFigures(subjects, counts.GetValueOrDefault(PublicationEngine.Penalty), counts.GetValueOrDefault(PublicationEngine.Licence), recent, departments);
    }

    private (string Where, DynamicParameters Args) Filter(ColumnQuery q)
    {
        var where = new List<string> { "p.record_type = @type", Visible };
        var args = new DynamicParameters();
        args.Add("type", q.RecordType);
        args.Add("today", q.Today);
        if (q.DepartmentId is { } d) { where.Add("p.department_id = @dept"); args.Add("dept", d); }
        if (q.From is { } from) { where.Add("p.decision_date >= @from"); args.Add("from", from); }
        if (q.To is { } to) { where.Add("p.decision_date <= @to"); args.Add("to", to); }
        if (!string.IsNullOrWhiteSpace(q.Kind)) { where.Add("p.kinds LIKE @kind"); args.Add("kind", "%" + q.Kind.Trim() + "%"); }
        return (string.Join(" AND ", where), args);
    }

    private static PublicRecord ToPublic(RecordRow r)
    {
        var f = PublicationProjector.ParseData(r.Data);
        var natural = r.SubjectKind == "natural_person";
        var personName = natural || r.SubjectKind == "individual_business" ? f.GetValueOrDefault("CF_FRDB") ?? f.GetValueOrDefault("XK_FRDB") ?? f.GetValueOrDefault("WN_FRDB") : null;
        string? Text(string name)
        {
            if (!f.TryGetValue(name, out var v) || string.IsNullOrWhiteSpace(v)) return null;
            return Scrub(v, natural ? r.SubjectName : null, personName);
        }
        var penalty = r.RecordType == PublicationEngine.Penalty;
        if (r.RecordType == PublicationEngine.CommitmentBreach) return BreachToPublic(r, f, natural, Text);
        return new PublicRecord
        {
            RecordId = r.RecordId,
            RecordType = r.RecordType,
            SubjectId = r.SubjectId,
            SubjectName = natural ? Masking.MaskPersonName(r.SubjectName) : r.SubjectName,
            SubjectKind = r.SubjectKind,
            Uscc = natural ? null : r.Uscc,
            LegalRepresentative = r.SubjectKind == "legal_person" ? f.GetValueOrDefault(penalty ? "CF_FRDB" : "XK_FRDB") : null,
            DecisionNumber = r.DecisionNumber,
            DecisionDate = r.DecisionDate,
            AuthorityName = r.AuthorityName,
            DepartmentId = r.DepartmentId,
            Kinds = r.Kinds,
            Content = Text(penalty ? "CF_NR" : "XK_NR"),
            Conduct = penalty ? Text("CF_WFXW") : null,
            Facts = penalty ? Text("CF_SY") : null,
            Basis = penalty ? Text("CF_YJ") : null,
            FineWan = penalty && f.TryGetValue("CF_NR_FK", out var fine) && decimal.TryParse(fine, NumberStyles.Number, CultureInfo.InvariantCulture, out var fk) ? fk : null,
            DocumentName = penalty ? null : Text("XK_XKWS"),
            LicenceName = penalty ? null : Text("XK_XKZS"),
            LicenceNumber = penalty ? null : Text("XK_XKBH"),
            ValidFrom = penalty ? null : Date(f.GetValueOrDefault("XK_YXQZ")),
            ValidTo = penalty ? null : Date(f.GetValueOrDefault("XK_YXQZI")),
            Grade = r.Grade,
            Sector = r.Sector,
            RuleSet = r.RuleSet,
            PublishFrom = r.PublishFrom,
            PublishUntil = r.PublishUntil,
            RepairFrom = r.RepairFrom,
            UnderObjection = r.UnderObjection != 0,
        };
    }

    /// <summary>A confirmed breach of a commitment: the commitment (content, matter, kind), the facts and the legal basis of the finding.</summary>
    private static PublicRecord BreachToPublic(RecordRow r, Dictionary<string, string> f, bool natural, Func<string, string?> text) => new()
    {
        RecordId = r.RecordId,
        RecordType = r.RecordType,
        SubjectId = r.SubjectId,
        SubjectName = natural ? Masking.MaskPersonName(r.SubjectName) : r.SubjectName,
        SubjectKind = r.SubjectKind,
        Uscc = natural ? null : r.Uscc,
        LegalRepresentative = r.SubjectKind == "legal_person" ? f.GetValueOrDefault("WN_FRDB") : null,
        DecisionNumber = r.DecisionNumber,
        DecisionDate = r.DecisionDate,
        AuthorityName = r.AuthorityName,
        DepartmentId = r.DepartmentId,
        Kinds = text("WN_CNLX"),
        Content = text("WN_CNNR"),
        Conduct = text("WN_CNSX"),
        Facts = text("WN_SY"),
        Basis = text("WN_YJ"),
        Grade = r.Grade,
        RuleSet = r.RuleSet,
        PublishFrom = r.PublishFrom,
        PublishUntil = r.PublishUntil,
        RepairFrom = r.RepairFrom,
    };

    /// <summary>Removes ID numbers from free text and masks the names of natural persons mentioned in it.</summary>
    public static string Scrub(string text, params string?[] personNames)
    {
        var cleaned = IdNumberPattern().Replace(text, m => Masking.MaskResidentId(m.Value));
        foreach (var name in personNames)
        {
            if (name is { Length: >= 2 }) cleaned = cleaned.Replace(name, Masking.MaskPersonName(name), StringComparison.Ordinal);
        }
        return cleaned;
    }

    [GeneratedRegex(@"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdNumberPattern();

    private static DateOnly? Date(string? s) =>
        s is not null && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private sealed record SubjectRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string? Uscc { get; init; }
        public string Name { get; init; } = "";
        public string? LegalRepresentative { get; init; }
        public string? DivisionCode { get; init; }
    }

    private sealed record RecordRow
    {
        public long RecordId { get; init; }
        public string RecordType { get; init; } = "";
        public long SubjectId { get; init; }
        public long DepartmentId { get; init; }
        public DateOnly DecisionDate { get; init; }
        public string? Kinds { get; init; }
        public string? Grade { get; init; }
        public string? Sector { get; init; }
        public string RuleSet { get; init; } = "";
        public DateOnly PublishFrom { get; init; }
        public DateOnly? PublishUntil { get; init; }
        public DateOnly? RepairFrom { get; init; }
        public string DecisionNumber { get; init; } = "";
        public string AuthorityName { get; init; } = "";
        public string SubjectName { get; init; } = "";
        public string Data { get; init; } = "";
        public string SubjectKind { get; init; } = "";
        public string? Uscc { get; init; }
        public int UnderObjection { get; init; }
    }
}
