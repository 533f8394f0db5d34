using Dapper;
using Xinyong.Data.Database;

namespace Xinyong.Web.Api;

internal static class HealthApi
{
    public static async Task<IResult> Check(XinyongDatabase db, CancellationToken ct)
    {
        try
        {
            await using var conn = await db.OpenAsync(ct);
            var version = await conn.ExecuteScalarAsync<string>("SELECT MAX(version) FROM schema_version");
            return Results.Ok(new { status = "healthy", database = db.Provider.ToString().ToLowerInvariant(), schema = version });
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return Results.Json(new { status = "unhealthy", database = db.Provider.ToString().ToLowerInvariant(), error = ex.Message }, statusCode: 503);
        }
    }
}
