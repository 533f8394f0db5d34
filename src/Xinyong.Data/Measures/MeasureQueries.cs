using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Core.Calendar;
using Xinyong.Core.DueProcess;
using Xinyong.Core.Lists;
using Xinyong.Core.Measures;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;
using Xinyong.Data.Departments;
using Xinyong.Data.Lists;
using Xinyong.Identifiers;

namespace Xinyong.Data.Measures;

/// <summary>"We are handling matter M for subject S" (S by any code, or by name).</summary>
public sealed record MeasureQuestion(long DepartmentId, string? MatterKind, string? MatterRef, string? MatterTitle, string? SubjectCode, string? SubjectName);

/// <summary>A department's report on one measure of its question.</summary>
public sealed record MeasureReport(string? MeasureId, bool Applied, string? Action, string? ReasonNotApplied);

/// <summary>A listing behind a measure, as stored with the answer.</summary>
public sealed record BasisView(long EntryId, string ListType, string ListNameZh, long SubjectId, string SubjectName, string? ViaRole,
    string LegalBasis, string? DecisionNumber, DateOnly ListedFrom, DateOnly? ListedUntil, bool UnderObjection = false);

/// <summary>A lenient rule that withheld a measure, as stored with the answer.</summary>
public sealed record WithheldByView(long RuleId, string Kind, string LegalBasis, string Reason, DateOnly ValidFrom, DateOnly? ValidUntil);

public sealed record QueryItemView(long Id, string MeasureId, string Kind, string TextZh, string LegalBasis, IReadOnlyList<BasisView> Basis, bool Withheld,
    IReadOnlyList<WithheldByView> WithheldBy, bool? Applied, string? Action, string? ReasonNotApplied, DateOnly? AnsweredOn, string? AnsweredBy);

public sealed record QueryView(long Id, long DepartmentId, string DepartmentName, string MatterKind, string? MatterRef, string? MatterTitle,
    long SubjectId, string SubjectKind, string SubjectName, string SubjectQuery, DateOnly AskedOn, DateOnly DueOn, string CatalogueVersion, string Status,
    DateOnly? AnsweredOn, string AskedBy, IReadOnlyList<QueryItemView> Items);

/// <summary>A subject the question may have meant (name not unique or not exact).</summary>
public sealed record SubjectCandidate(long Id, string Kind, string Name, string? Uscc, string Match);

/// <summary>The question's subject could not be pinned down: not found, or a name that fits several subjects.</summary>
public sealed class SubjectNotResolvedException(string code, string zh, string en, IReadOnlyList<SubjectCandidate> candidates) : Exception(en)
{
    public string Code { get; } = code;
    public string Zh { get; } = zh;
    public string En { get; } = en;
    public IReadOnlyList<SubjectCandidate> Candidates { get; } = candidates;
}

/// <summary>One row of the queries list.</summary>
public sealed record QuerySummary
{
    public long Id { get; init; }
    public long DepartmentId { get; init; }
    public string DepartmentName { get; init; } = default!;
    public string MatterKind { get; init; } = default!;
    public string? MatterRef { get; init; }
    public long SubjectId { get; init; }
    public string SubjectName { get; init; } = default!;
    public string SubjectKind { get; init; } = default!;
    public DateOnly AskedOn { get; init; }
    public DateOnly DueOn { get; init; }
    public int Items { get; init; }
    public int AnsweredItems { get; init; }
    public DateOnly? AnsweredOn { get; init; }
    public string Status { get; init; } = default!;
}

/// <summary>
/// Trigger -> response -> feedback. A department asks; the platform resolves the subject, finds the listings in force
/// (ListEntries, the one active predicate) of the subject and of the entities it represents, matches the catalogue in
/// force, withholds what lenient rules cover, and stores and audits the question with every measure and its basis.
/// The department then reports per measure; questions without a full report become overdue after the configured number
/// of working days.
/// </summary>
public sealed class MeasureQueries(XinyongDatabase db, ListEntries entries, MeasureCatalogueStore catalogues, SubjectRoleStore roles,
    LenientRuleStore lenient, Subjects.SubjectStore subjects, ListTypeCatalogue types, DepartmentStore departments, MeasureRules rules,
    WorkingDayCalendar calendar, Objections.OpenObjections objections, AuditLog audit, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);

    /// <summary>Answers and stores a question. Refused for an unknown matter kind or a subject that cannot be resolved.</summary>
    public async Task<QueryView> AskAsync(MeasureQuestion q, Actor actor, CancellationToken ct = default)
    {
        var department = await departments.GetAsync(q.DepartmentId, ct)
                         ?? throw new RefusedException("department-not-found", "部门不存在。", "No such department.", RefusalKind.Invalid);
        var matter = MatterKinds.Find(q.MatterKind) ?? throw new RefusedException("unknown-matter-kind",
            $"未知的事项类别“{q.MatterKind}”。可选：{string.Join("、", MatterKinds.All.Select(t => $"{t.Code}（{t.Zh}）"))}",
            $"Unknown matter kind '{q.MatterKind}'. Use one of: {string.Join(", ", MatterKinds.All.Select(t => t.Code))}", RefusalKind.Invalid);
        var (subject, asked) = await ResolveAsync(q, actor, ct);
        var today = Today;
        var held = subject.Kind == "natural_person" ? await roles.HeldByAsync(subject.Id, today, ct) : [];
        var subjectIds = held.Select(r => r.EntityId).Append(subject.Id).Distinct().ToList();
        var active = (await entries.ActiveEntriesAsync(subjectIds, today, ct))
            .Select(e => new TriggeringEntry(e.Id, e.ListType, e.SubjectId, e.LegalBasis, e.DecisionNumber, e.ListedFrom, e.ListedUntil)).ToList();
        var lenientRules = await lenient.ForSubjectsAsync(subjectIds, today, ct);
        var catalogue = await catalogues.CurrentAsync(ct);
        var matches = MeasureMatcher.Match(catalogue, department.Code, matter.Code, subject.Id, active, held, lenientRules, today);
        var names = await NamesAsync(active.Select(e => e.SubjectId).Distinct().ToList(), ct);
        // A listing under objection (异议中) still triggers its measures while it is in force, but the department is told.
        var disputed = active.Count == 0 ? new HashSet<long>() : await objections.ForListEntriesAsync(active.Select(e => e.Id).ToList(), ct);
        var dueOn = calendar.AddWorkingDays(today, rules.FeedbackWorkingDays(today));
        var toReport = matches.Count(m => !m.IsWithheld);

        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>(
            """
            INSERT INTO measure_queries (department_id, matter_kind, matter_ref, matter_title, subject_id, subject_query, asked_on, due_on, catalogue_version,
                                         items, answered_items, answered_on, asked_by, asked_at)
            VALUES (@dept, @matter, @ref, @title, @subject, @asked, @today, @dueOn, @version, @toReport, 0, NULL, @by, @at) RETURNING id
            """,
            new
            {
                dept = department.Id, matter = matter.Code, @ref = Trim(q.MatterRef), title = Trim(q.MatterTitle), subject = subject.Id, asked, today, dueOn,
                version = catalogue.Version, toReport, by = actor.ToString(), at = clock.GetUtcNow().UtcDateTime,
            }, tx);
        foreach (var m in matches)
        {
            var basis = (m.IsWithheld ? Covered(m, active, lenientRules, today) : m.Basis).Select(b => new BasisView(b.Entry.Id, b.Entry.ListType,
                types.Latest(b.Entry.ListType)?.NameZh ?? b.Entry.ListType, b.Entry.SubjectId, names.GetValueOrDefault(b.Entry.SubjectId, ""), b.ViaRole,
                b.Entry.LegalBasis, b.Entry.DecisionNumber, b.Entry.ListedFrom, b.Entry.ListedUntil, disputed.Contains(b.Entry.Id))).ToList();
            var withheldBy = m.Withheld.Select(r => new WithheldByView(r.Id, r.Kind, r.LegalBasis, r.Reason, r.ValidFrom, r.ValidUntil)).ToList();
            await conn.ExecuteAsync(
                """
                INSERT INTO measure_query_items (query_id, measure_id, measure_from, kind, text_zh, legal_basis, basis, withheld, lenient_rules)
                VALUES (@id, @measureId, @from, @kind, @text, @legalBasis, @basis, @withheld, @lenient)
                """,
                new
                {
                    id, measureId = m.Measure.Id, from = m.Measure.EffectiveFrom, kind = m.Measure.Kind.ToCode(), text = m.Measure.TextZh, legalBasis = m.Measure.LegalBasis,
                    basis = JsonSerializer.Serialize(basis, Json), withheld = m.IsWithheld,
                    lenient = withheldBy.Count == 0 ? null : JsonSerializer.Serialize(withheldBy, Json),
                }, tx);
        }
        await audit.WriteAsync(actor, "measures.query", "measure_query", id.ToString(CultureInfo.InvariantCulture),
            new
            {
                department = department.Code, matter = matter.Code, matterRef = Trim(q.MatterRef), subjectId = subject.Id, asked, catalogue = catalogue.Version,
                measures = matches.Where(m => !m.IsWithheld).Select(m => m.Measure.Id), withheld = matches.Where(m => m.IsWithheld).Select(m => m.Measure.Id),
            }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    // A withheld measure still shows which listings would have triggered it.
    private static IEnumerable<MeasureBasis> Covered(MeasureMatch m, IReadOnlyList<TriggeringEntry> active, IReadOnlyList<LenientRule> rules, DateOnly day) =>
        active.Where(e => m.Measure.TriggeredBy(e.ListType) && rules.Any(r => m.Withheld.Contains(r) && r.Covers(e, day))).Select(e => new MeasureBasis(e, null));

    private async Task<(Subjects.SubjectSummary Subject, string Asked)> ResolveAsync(MeasureQuestion q, Actor actor, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(q.SubjectCode))
        {
            var code = Identifier.Normalize(q.SubjectCode);
            var masked = Identifier.Detect(code) == IdentifierKind.ResidentId ? Masking.MaskResidentId(code) : code;
            var found = await subjects.FindByCodeAsync(code, ct);
            if (found is null && Identifier.Detect(code) == IdentifierKind.ResidentId && await roles.RegisterRepresentativeAsync(code, Today, actor, ct) is not null)
                found = await subjects.FindByCodeAsync(code, ct);
            if (found is not null) return (found, masked);
            await audit.WriteAsync(actor, "measures.query_refused", "subject", null, new { code = masked, reason = "subject-not-found" }, ct: ct);
            throw new SubjectNotResolvedException("subject-not-found", $"平台中没有代码为 {masked} 的主体。", $"No subject with code {masked}.", []);
        }
        if (string.IsNullOrWhiteSpace(q.SubjectName))
            throw new RefusedException("subject-required", "请提供主体的统一社会信用代码（或其他代码）或名称。", "Give the subject's credit code (or another code) or its name.", RefusalKind.Invalid);
        var name = q.SubjectName.Trim();
        var (items, _) = await subjects.SearchByNameAsync(name, 1, 10, ct);
        var exact = items.Where(i => i.Reason is "exact" or "former_name").ToList();
        if (exact.Count == 1) return (exact[0].Subject, name);
        var candidates = (exact.Count > 1 ? exact : items).Select(i => new SubjectCandidate(i.Subject.Id, i.Subject.Kind,
            i.Subject.Kind == "natural_person" ? Masking.MaskPersonName(i.Subject.Name) : i.Subject.Name, i.Subject.Uscc, i.Reason)).ToList();
        await audit.WriteAsync(actor, "measures.query_refused", "subject", null,
            new { name, reason = exact.Count > 1 ? "ambiguous" : "no-exact-name", candidates = candidates.Select(c => c.Id) }, ct: ct);
        if (exact.Count > 1)
        {
            throw new SubjectNotResolvedException("subject-ambiguous", $"名称“{name}”对应 {exact.Count} 个主体，请改用统一社会信用代码查询。",
                $"The name '{name}' fits {exact.Count} subjects; ask by credit code.", candidates);
        }
        throw new SubjectNotResolvedException("subject-not-found",
            candidates.Count > 0 ? $"没有名称为“{name}”的主体；相近的主体见候选列表，请核对后用统一社会信用代码查询。" : $"没有名称为“{name}”的主体。",
            candidates.Count > 0 ? $"No subject named '{name}'; see the similar candidates and ask by credit code." : $"No subject named '{name}'.", candidates);
    }

    /// <summary>
    /// Records the department's reports. All or nothing: refused when the question does not exist or belongs to another
    /// department, when a measure is not part of it, or when a report is refused by the item (twice, withheld, no what/why).
    /// </summary>
    /// <param name="departmentId">The reporting department; null = the credit office acting for any department.</param>
    public async Task<QueryView> ReportAsync(long queryId, long? departmentId, IReadOnlyList<MeasureReport> reports, Actor actor, CancellationToken ct = default)
    {
        var today = Today;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var query = await conn.QuerySingleOrDefaultAsync<(long Id, long DepartmentId, int Items, int AnsweredItems)?>(
            "SELECT id, department_id, items, answered_items FROM measure_queries WHERE id = @queryId", new { queryId }, tx);
        if (query is not { } qv)
            throw new RefusedException("query-not-found", $"查询 {queryId} 不存在，不能反馈。", $"Query {queryId} does not exist; nothing to report on.", RefusalKind.Invalid);
        if (departmentId is { } d && d != qv.DepartmentId)
            throw new RefusedException("not-your-query", "只能反馈本单位发起的查询。", "Only the department that asked may report.", RefusalKind.Forbidden);
        if (reports.Count == 0)
            throw new RefusedException("reports-required", "请至少反馈一项措施。", "Report on at least one measure.", RefusalKind.Invalid);
        var items = (await conn.QueryAsync<(long Id, string MeasureId, bool Withheld, bool? Applied, string? Action, string? Reason, DateOnly? AnsweredOn)>(
                "SELECT id, measure_id, withheld, applied, action_taken, reason_not_applied, answered_on FROM measure_query_items WHERE query_id = @queryId",
                new { queryId }, tx))
            .ToDictionary(i => i.MeasureId, i => MeasureQueryItem.Restore(i.Id, queryId, i.MeasureId, i.Withheld, i.Applied, i.Action, i.Reason, i.AnsweredOn),
                StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in reports)
        {
            var mid = r.MeasureId?.Trim() ?? "";
            if (!items.TryGetValue(mid, out var item))
                throw new RefusedException("measure-not-found", $"查询 {queryId} 的答复中没有措施“{mid}”，不能反馈。",
                    $"Query {queryId} has no measure '{mid}' to report on.", RefusalKind.Invalid);
            if (!seen.Add(mid))
                throw new RefusedException("duplicate-report", $"措施 {mid} 在本次反馈中出现了两次。", $"Measure {mid} is reported twice.", RefusalKind.Invalid);
            item.Answer(new FeedbackReport(r.Applied, r.Action, r.ReasonNotApplied), today);
            var n = await conn.ExecuteAsync(
                """
                UPDATE measure_query_items SET applied = @Applied, action_taken = @Action, reason_not_applied = @ReasonNotApplied, answered_on = @AnsweredOn,
                       answered_by = @by, answered_at = @at WHERE id = @Id AND applied IS NULL
                """, new { item.Applied, item.Action, item.ReasonNotApplied, item.AnsweredOn, item.Id, by = actor.ToString(), at = clock.GetUtcNow().UtcDateTime }, tx);
            if (n != 1) throw new RefusedException("already-answered", $"措施 {mid} 已反馈。", $"Measure {mid} was already reported.", RefusalKind.Conflict);
        }
        var answered = qv.AnsweredItems + reports.Count;
        await conn.ExecuteAsync("UPDATE measure_queries SET answered_items = @answered, answered_on = @on WHERE id = @queryId",
            new { answered, on = answered >= qv.Items ? today : (DateOnly?)null, queryId }, tx);
        await audit.WriteAsync(actor, "measures.feedback", "measure_query", queryId.ToString(CultureInfo.InvariantCulture),
            new { reports = reports.Select(r => new { r.MeasureId, r.Applied, r.Action, r.ReasonNotApplied }) }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return (await GetAsync(queryId, ct))!;
    }

    public async Task<QueryView?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var q = await conn.QuerySingleOrDefaultAsync<QuerySummaryRow>(
            $"{SummarySql} WHERE q.id = @id", new { id });
        if (q is null) return null;
        var items = (await conn.QueryAsync<ItemRow>(
            "SELECT id, measure_id, kind, text_zh, legal_basis, basis, withheld, lenient_rules, applied, action_taken, reason_not_applied, answered_on, answered_by FROM measure_query_items WHERE query_id = @id ORDER BY id",
            new { id })).Select(i => new QueryItemView(i.Id, i.MeasureId, i.Kind, i.TextZh, i.LegalBasis,
                JsonSerializer.Deserialize<List<BasisView>>(i.Basis, Json) ?? [], i.Withheld,
                i.LenientRules is null ? [] : JsonSerializer.Deserialize<List<WithheldByView>>(i.LenientRules, Json) ?? [],
                i.Applied, i.ActionTaken, i.ReasonNotApplied, i.AnsweredOn, i.AnsweredBy)).ToList();
        var s = ToSummary(q);
        return new QueryView(q.Id, q.DepartmentId, q.DepartmentName, q.MatterKind, q.MatterRef, q.MatterTitle, q.SubjectId, q.SubjectKind, q.SubjectName,
            q.SubjectQuery, q.AskedOn, q.DueOn, q.CatalogueVersion, s.Status, q.AnsweredOn, q.AskedBy, items);
    }

    /// <summary>Questions newest first; optionally one department's, one status (open / answered / overdue / nothing-to-report), a period of asking.</summary>
    public async Task<IReadOnlyList<QuerySummary>> ListAsync(long? departmentId = null, string? status = null, DateOnly? from = null, DateOnly? to = null,
        int limit = 200, CancellationToken ct = default)
    {
        var today = Today;
        var where = new List<string> { "1 = 1" };
        if (departmentId is not null) where.Add("q.department_id = @departmentId");
        if (from is not null) where.Add("q.asked_on >= @from");
        if (to is not null) where.Add("q.asked_on <= @to");
        switch (status)
        {
            case MeasureQueryStatus.NothingToReport: where.Add("q.items = 0"); break;
            case MeasureQueryStatus.Answered: where.Add("q.items > 0 AND q.answered_items >= q.items"); break;
            case MeasureQueryStatus.Overdue: where.Add("q.answered_items < q.items AND q.due_on < @today"); break;
            case MeasureQueryStatus.Open: where.Add("q.answered_items < q.items AND q.due_on >= @today"); break;
        }
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<QuerySummaryRow>(
            $"{SummarySql} WHERE {string.Join(" AND ", where)} ORDER BY q.id DESC LIMIT @limit", new { departmentId, from, to, today, limit });
        return rows.Select(ToSummary).ToList();
    }

    private const string SummarySql =
        """
        SELECT q.id, q.department_id, d.name AS department_name, q.matter_kind, q.matter_ref, q.matter_title, q.subject_id, s.kind AS subject_kind,
               s.name AS subject_name, q.subject_query, q.asked_on, q.due_on, q.catalogue_version, q.items, q.answered_items, q.answered_on, q.asked_by
        FROM measure_queries q JOIN departments d ON d.id = q.department_id JOIN subjects s ON s.id = q.subject_id
        """;

    private QuerySummary ToSummary(QuerySummaryRow q) => new()
    {
        Id = q.Id, DepartmentId = q.DepartmentId, DepartmentName = q.DepartmentName, MatterKind = q.MatterKind, MatterRef = q.MatterRef, SubjectId = q.SubjectId,
        SubjectName = q.SubjectKind == "natural_person" ? Masking.MaskPersonName(q.SubjectName) : q.SubjectName, SubjectKind = q.SubjectKind,
        AskedOn = q.AskedOn, DueOn = q.DueOn, Items = q.Items, AnsweredItems = q.AnsweredItems, AnsweredOn = q.AnsweredOn,
        Status = q.Items == 0 ? MeasureQueryStatus.NothingToReport
            : q.AnsweredItems >= q.Items ? MeasureQueryStatus.Answered
            : q.DueOn < Today ? MeasureQueryStatus.Overdue : MeasureQueryStatus.Open,
    };

    private async Task<Dictionary<long, string>> NamesAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<(long Id, string Kind, string Name)>($"SELECT id, kind, name FROM subjects WHERE id {db.InList("ids")}", new { ids = db.ListParam(ids) }))
            .ToDictionary(r => r.Id, r => r.Kind == "natural_person" ? Masking.MaskPersonName(r.Name) : r.Name);
    }

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private sealed record QuerySummaryRow
    {
        public long Id { get; init; }
        public long DepartmentId { get; init; }
        public string DepartmentName { get; init; } = default!;
        public string MatterKind { get; init; } = default!;
        public string? MatterRef { get; init; }
        public string? MatterTitle { get; init; }
        public long SubjectId { get; init; }
        public string SubjectKind { get; init; } = default!;
        public string SubjectName { get; init; } = default!;
        public string SubjectQuery { get; init; } = default!;
        public DateOnly AskedOn { get; init; }
        public DateOnly DueOn { get; init; }
        public string CatalogueVersion { get; init; } = default!;
        public int Items { get; init; }
        public int AnsweredItems { get; init; }
        public DateOnly? AnsweredOn { get; init; }
        public string AskedBy { get; init; } = default!;
    }

    private sealed record ItemRow
    {
        public long Id { get; init; }
        public string MeasureId { get; init; } = default!;
        public string Kind { get; init; } = default!;
        public string TextZh { get; init; } = default!;
        public string LegalBasis { get; init; } = default!;
        public string Basis { get; init; } = default!;
        public bool Withheld { get; init; }
        public string? LenientRules { get; init; }
        public bool? Applied { get; init; }
        public string? ActionTaken { get; init; }
        public string? ReasonNotApplied { get; init; }
        public DateOnly? AnsweredOn { get; init; }
        public string? AnsweredBy { get; init; }
    }
}
