using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Xinyong.Core.Catalogue;
using Xinyong.Data.Auditing;
using Xinyong.Data.Subjects;
using Xinyong.Identifiers;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Api;

/// <summary>Subjects by any code or by name, with their records. Personal data is masked unless an administrator asks to reveal it (audited).</summary>
internal static class SubjectsApi
{
    public sealed record SubjectDto(long Id, string Kind, string? Uscc, string Name, string? LegalRepresentative, string? DivisionCode, string? Division,
        IReadOnlyList<IdentifierDto> Identifiers, IReadOnlyList<string> FormerNames, IReadOnlyList<RecordDto> Records);

    public sealed record IdentifierDto(string Scheme, string Value);

    public sealed record RecordDto(long Id, string Type, int Version, string DecisionNumber, DateOnly DecisionDate, string Authority, decimal? Amount,
        long SubmissionId, long Row, int LagWorkingDays, JsonObject Fields);

    public sealed record SearchItemDto(long Id, string Kind, string? Uscc, string Name, string MatchedName, string Reason);

    public sealed record SearchResultDto(string Query, int Total, int Page, int PageSize, IReadOnlyList<SearchItemDto> Items);

    public static void MapSubjectsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/subjects").WithTags("subjects").RequireAuthorization();
        g.MapGet("/", Search).WithSummary("Search subjects by name (normalised: widths, brackets, spaces; current and former names)");
        g.MapGet("/{code}", GetByCode).WithSummary("A subject by any of its codes (credit code, organisation code, registration number, ID number) with its records")
            .ProducesProblem(404);
    }

    private static async Task<IResult> Search(HttpContext http, [FromQuery] string? name, [FromQuery] int? page, [FromQuery] int? pageSize, SubjectStore store, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name)) return Problems.Create(http, 400, "name_required", "请用 ?name= 提供名称", "Give a name with ?name=");
        var p = Math.Max(1, page ?? 1);
        var size = Math.Clamp(pageSize ?? 20, 1, 100);
        var (items, total) = await store.SearchByNameAsync(name, p, size, ct);
        return Results.Ok(new SearchResultDto(name, total, p, size, items.Select(i => new SearchItemDto(i.Subject.Id, i.Subject.Kind, i.Subject.Uscc,
            MaskName(i.Subject.Kind, i.Subject.Name), MaskName(i.Subject.Kind, i.MatchedName), i.Reason)).ToList()));
    }

    private static async Task<IResult> GetByCode(HttpContext http, string code, [FromQuery] bool? reveal, SubjectStore store, RecordCatalogue catalogue, AuditLog audit, CancellationToken ct)
    {
        var found = await store.FindByCodeAsync(code, ct);
        if (found is null)
        {
            var check = Identifier.Check(code);
            return check.IsValid
                ? Problems.NotFound(http, $"平台中没有代码为 {check.Normalized} 的主体", $"No subject with code {check.Normalized}")
                : Problems.Create(http, 404, "not_found", $"平台中没有该主体；另外该代码本身无效：{string.Join("；", check.Issues.Select(i => i.MessageZh))}",
                    $"No such subject; the code itself is invalid: {string.Join("; ", check.Issues.Select(i => i.MessageEn))}");
        }
        var detail = (await store.GetAsync(found.Id, ct: ct))!;
        var show = reveal == true && http.User.IsAdmin();
        var natural = detail.Subject.Kind == "natural_person";
        if (show || natural)
        {
            await audit.WriteAsync(http.User.ToActor(), show ? "personal_data.reveal" : "personal_data.view_masked", "subject",
                detail.Subject.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { code = Masking.MaskResidentId(code) }, ct: ct);
        }
        // Repaired and withdrawn records are no longer shared: other departments do not receive them (the finding department and the credit office still do).
        var states = await http.RequestServices.GetRequiredService<Xinyong.Data.Publication.PublicRecords>().StatesForSubjectAsync(detail.Subject.Id, ct);
        var mine = http.User.DepartmentId();
        if (!http.User.IsAdmin())
        {
            detail = detail with { Records = detail.Records.Where(r => r.DepartmentId == mine ||
                !(states.TryGetValue(r.Id, out var st) && st.EndedReason is Xinyong.Data.Repair.RepairStore.Repaired or Xinyong.Data.Objections.ObjectionCorrections.Withdrawn)).ToList() };
        }
        if (mine is { } dept && detail.Records.Count > 0)
            await http.RequestServices.GetRequiredService<Xinyong.Data.Repair.RepairStore>().RecordSharesAsync(dept, detail.Records.Select(r => r.Id).ToList(), ct);
        return Results.Ok(ToDto(detail, catalogue, show));
    }

    internal static SubjectDto ToDto(SubjectDetail d, RecordCatalogue catalogue, bool reveal)
    {
        var s = d.Subject;
        var natural = s.Kind == "natural_person";
        var identifiers = d.Identifiers.Select(i => new IdentifierDto(i.Scheme, i.Scheme == "idcard" && !reveal ? Masking.MaskResidentId(i.Value) : i.Value)).ToList();
        var records = d.Records.Select(r =>
        {
            var fields = JsonNode.Parse(r.Data)!.AsObject();
            if (!reveal && catalogue.TryGet(r.RecordType, out var type))
            {
                foreach (var f in type.Fields.Where(f => f.Personal))
                {
                    if (fields[f.Name] is JsonValue v) fields[f.Name] = Masking.MaskResidentId(v.GetValue<string>());
                }
                if (natural && fields[type.Subject.Name] is JsonValue n) fields[type.Subject.Name] = Masking.MaskPersonName(n.GetValue<string>());
            }
            return new RecordDto(r.Id, r.RecordType, r.Version, r.DecisionNumber, r.DecisionDate, r.AuthorityName, r.Amount, r.SubmissionId, r.RowNumber, r.LagWorkingDays, fields);
        }).ToList();
        var division = s.DivisionCode is not null && DivisionCodes.TryGetName(s.DivisionCode, out var dn) ? dn : null;
        return new SubjectDto(s.Id, s.Kind, s.Uscc, natural && !reveal ? Masking.MaskPersonName(s.Name) : s.Name, s.LegalRepresentative, s.DivisionCode, division,
            identifiers, d.Names.Where(n => !n.IsCurrent).Select(n => n.Name).ToList(), records);
    }

    private static string MaskName(string kind, string name) => kind == "natural_person" ? Masking.MaskPersonName(name) : name;
}
