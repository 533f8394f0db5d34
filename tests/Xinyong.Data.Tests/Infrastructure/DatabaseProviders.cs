using System.Reflection;
using Xunit.Sdk;

namespace Xinyong.Data.Tests.Infrastructure;

/// <summary>
/// Runs a theory once per database provider: SQLite always, PostgreSQL when XINYONG_TEST_POSTGRES is set, and always
/// under CI (where a missing server must fail, not silently skip).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DatabaseProvidersAttribute : DataAttribute
{
    public static IEnumerable<string> Configured()
    {
        yield return "sqlite";
        if (Environment.GetEnvironmentVariable(TestPlatform.PostgresVariable) is not null || Environment.GetEnvironmentVariable("CI") == "true")
            yield return "postgres";
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => Configured().Select(p => new object[] { p });
}

/// <summary>
/// A test of PostgreSQL's own behaviour (its planner, its statistics): runs where the theories above run PostgreSQL,
/// and is reported as skipped elsewhere.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!DatabaseProvidersAttribute.Configured().Contains("postgres")) Skip = $"PostgreSQL is not configured ({TestPlatform.PostgresVariable})";
    }
}
