using Xinyong.Core.Catalogue;
using Xinyong.Core.Ingestion;

namespace Xinyong.Core.Tests.Ingestion;

public sealed class HeaderMappingTests
{
    private static readonly RecordType Penalty = RecordCatalogue.LoadDefault()["penalty"];

    [Fact]
    public void Map_OldNamesChineseHeadingsAnyOrder_MapsToCurrentFields()
    {
        string[] header = ["处罚决定日期", "CF_XDR_ZDM", "CF_WSH*", "行政相对人名称", "CF_FR", "ＣＦ＿ＸＺＪＧ", "自定义", "CF_SJC"];
        var m = HeaderMapping.Map(Penalty, header);

        m.ColumnOfField[Penalty.IndexOf("CF_JDRQ")].ShouldBe(0);
        m.ColumnOfField[Penalty.IndexOf("CF_XDR_ZZJG")].ShouldBe(1);
        m.ColumnOfField[Penalty.IndexOf("CF_WSH")].ShouldBe(2);
        m.ColumnOfField[Penalty.IndexOf("CF_XDR_MC")].ShouldBe(3);
        m.ColumnOfField[Penalty.IndexOf("CF_FRDB")].ShouldBe(4);
        m.ColumnOfField[Penalty.IndexOf("CF_CFJG")].ShouldBe(5);
        m.Issues.ShouldContain(i => i.Code == "unknown_columns" && i.MessageZh.Contains("自定义") && !i.MessageZh.Contains("CF_SJC"));
        m.Issues.ShouldContain(i => i.Code == "missing_columns" && i.Fatal && i.MessageZh.Contains("CF_CFLB"));
    }

    [Fact]
    public void Map_NoKnownColumn_IsFatalAndHintsAtEncodingOrType()
    {
        var m = HeaderMapping.Map(Penalty, ["XK_WSH", "XK_XDR_MC"]);
        m.IsUsable.ShouldBeFalse();
        m.Issues.Single(i => i.Fatal).MessageZh.ShouldContain("编码");
    }
}
