using Xinyong.Web.Public;

namespace Xinyong.Web.Tests.Public;

public sealed class PublicTextTests
{
    [Theory]
    [InlineData("罚款;警告", "罚款、警告")]
    [InlineData("罚款", "罚款")]
    [InlineData(" 警告 ；罚款；", "警告、罚款")]
    [InlineData("没收违法所得,罚款", "没收违法所得、罚款")]
    [InlineData(null, "—")]
    [InlineData(" ; ", "—")]
    public void Kinds_StoredSemicolonList_ShownAsAChineseList(string? stored, string shown) =>
        PublicText.Kinds(stored).ShouldBe(shown);
}
