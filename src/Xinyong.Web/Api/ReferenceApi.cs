using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Xinyong.Core.Catalogue;
using Xinyong.Data.Departments;
using Xinyong.Data.Statistics;
using Xinyong.Web.Auth;

namespace Xinyong.Web.Api;

/// <summary>Member units, the collection catalogue and collection statistics.</summary>
internal static class ReferenceApi
{
    public sealed record DepartmentDto(string Code, string Name, string FullName, string Kind);

    public static void MapReferenceApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1").RequireAuthorization();
        g.MapGet("/departments", async (DepartmentStore store, CancellationToken ct) =>
            Results.Ok((await store.ListAsync(ct)).Select(d => new DepartmentDto(d.Code, d.Name, d.FullName, d.Kind))))
            .WithTags("reference").WithSummary("Member units with their codes");
        g.MapGet("/catalogue", (RecordCatalogue c) => Results.Ok(c.Types.Select(t => new { t.Code, t.Version, t.NameZh, t.NameEn, t.NationalCategory })))
            .WithTags("reference").WithSummary("Record types of the collection catalogue");
        g.MapGet("/catalogue/{code}", (HttpContext http, string code, RecordCatalogue c) =>
                c.TryGet(code, out var t) ? Results.Text(RecordCatalogue.Serialize(t), "application/json") : Problems.NotFound(http, $"没有数据类型 {code}", $"No record type {code}"))
            .WithTags("reference").WithSummary("One catalogue entry: fields, types, required-ness, enums, rules");
        g.MapGet("/statistics/collection", Collection).WithTags("statistics")
            .WithSummary("Per-department, per-month collection figures (officers see their own department)");
    }

    private static async Task<IResult> Collection(ClaimsPrincipal user, [FromQuery] string? from, [FromQuery] string? to, CollectionStatistics stats,
        DepartmentStore departments, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var fromDate = DateTime.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var f) ? f : now.AddYears(-1);
        var toDate = DateTime.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var t) ? t.AddDays(1) : now.AddDays(1);
        long? dept = user.IsAdmin() ? null : user.DepartmentId() ?? -1;
        var rows = await stats.ByDepartmentAsync(fromDate, toDate, dept, ct);
        var reasons = await stats.RejectReasonsAsync(fromDate, toDate, dept, ct);
        var all = await departments.ListAsync(ct);
        return Results.Ok(rows.Select(r => new
        {
            department = all.FirstOrDefault(d => d.Id == r.DepartmentId)?.Code,
            departmentName = all.FirstOrDefault(d => d.Id == r.DepartmentId)?.Name,
            r.Period, r.Submissions, r.Submitted, r.Accepted, r.Unchanged, r.NewVersions, r.Rejected, r.Late,
            rejectedByReason = reasons.Where(x => x.DepartmentId == r.DepartmentId && x.Period == r.Period).ToDictionary(x => x.ReasonCode, x => x.Count),
        }));
    }
}
