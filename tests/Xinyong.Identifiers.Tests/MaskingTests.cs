namespace Xinyong.Identifiers.Tests;

public class MaskingTests
{
    [Theory]
    [InlineData("11010519491231002X", "1101************2X")]
    [InlineData("110105491231002", "1101*********02")]
    [InlineData("12345678", "1234**78")]
    [InlineData("1234567", "*******")]
    [InlineData("1", "*")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void MaskResidentId_Input_MasksMiddle(string? input, string expected)
    {
        Masking.MaskResidentId(input).ShouldBe(expected);
    }

    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("张三丰", "张**")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData(" 李四 ", "李*")]
    [InlineData("王", "*")]
    [InlineData("𠀀明", "𠀀*")] // a character outside the BMP counts once
    [InlineData("", "")]
    [InlineData("  ", "")]
    [InlineData(null, "")]
    public void MaskPersonName_Input_KeepsFirstCharacter(string? input, string expected)
    {
        Masking.MaskPersonName(input).ShouldBe(expected);
    }
}
