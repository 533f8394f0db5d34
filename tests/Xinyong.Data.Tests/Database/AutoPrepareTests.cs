using Npgsql;
using Xinyong.Data.Database;

namespace Xinyong.Data.Tests.Database;

public sealed class AutoPrepareTests
{
    [Fact]
    public void WithAutoPrepare_NotConfigured_TurnsItOn()
    {
        var cs = new NpgsqlConnectionStringBuilder(XinyongDatabase.WithAutoPrepare("Host=127.0.0.1;Port=5432;Username=postgres;Database=x"));
        Assert.Equal(64, cs.MaxAutoPrepare);
        Assert.Equal(2, cs.AutoPrepareMinUsages);
        Assert.Equal("x", cs.Database);
    }

    [Theory]
    [InlineData("Host=h;Database=x;Max Auto Prepare=0", 0)]
    [InlineData("Host=h;Database=x;MaxAutoPrepare=10", 10)]
    public void WithAutoPrepare_ExplicitSetting_Wins(string given, int expected)
    {
        var cs = new NpgsqlConnectionStringBuilder(XinyongDatabase.WithAutoPrepare(given));
        Assert.Equal(expected, cs.MaxAutoPrepare);
    }
}
